// The contract of the official auth0 SDK 7 with the local tenant, as data: every Management API call that the
// auth0 provider (our stack's resources), the mfa tool (ops/mfa), recovery (ops/stack-command/tenant-lookup.ts)
// and adopt (ops/adopt) make, with a success path and error paths. Each endpoint is written once, with who uses
// it and its SDK method (its documented statuses are read from the SDK, see documented.ts), and lists its cases:
// what is tried, the call, and the check of a success or what the tenant must answer. A case that knowingly
// differs from what the SDK documents says why; calls the tenant does not serve say so. The test
// (sdk-contract.e2e.test.ts) runs every case as one row (ROWS) and counts the outcomes per user.

import type { TenantClient } from '@auth0-mfa/local-tenant';
import type { ManagementClient } from 'auth0';

export type Consumer = 'provider' | 'mfa tool' | 'recovery' | 'adopt';

export interface Fixture {
  sdk: ManagementClient;
  /** Raw HTTPS calls, for the two reads the SDK has no method for. */
  api: TenantClient;
  /** The bearer token of raw calls (undefined: a good one). */
  token?: string;
  /** An SDK client of the tenant's M2M application that authenticates with `secret`. */
  clientWith(secret: string): ManagementClient;
  /** Empties the tenant's rate-limit bucket; call the result to refill it. */
  exhaustRateLimit(): Promise<() => void>;
  /** A user with a recovery code enrolled (one authentication method). */
  userId: string;
  /** Deployed and bound to post-login. */
  boundActionId: string;
  boundActionName: string;
  /** Never deployed. */
  draftActionId: string;
  /** A role and an organization whose one user (and member) is `userId`. */
  role: { id: string; name: string };
  organization: { id: string; name: string };
  /** A fresh name for things a row creates. */
  unique(prefix: string): string;
}

interface Row {
  endpoint: string;
  users: Consumer[];
  what: string;
  call(f: Fixture): Promise<unknown>;
}

export interface SuccessRow extends Row {
  kind: 'success';
  /** The SDK method the call goes through (undefined: a raw call, the SDK has none). */
  sdkMethod?: string;
  check(result: unknown, f: Fixture): void;
}

/**
 * What the tenant must answer; `errorCode: null` means the body carries none. Management API bodies are
 * `{statusCode, error, message, errorCode?}`; `oauth` ones (the token endpoint) `{error, error_description}`.
 */
export interface Answer {
  status: number;
  message: string | RegExp;
  errorCode: string | null;
  oauth?: boolean;
}

export interface ErrorRow extends Row {
  kind: 'error';
  sdkMethod?: string;
  /**
   * For calls the SDK has no method for: the statuses accepted, those Auth0's reference gives its Management API
   * endpoints (400, 401, 403, 429), since the WebAuthn settings routes the provider calls are not in it.
   */
  documented?: number[];
  answer: Answer;
  /** Why this answer is not among the statuses the SDK documents. */
  differs?: string;
}

export interface NotServedRow extends Row {
  kind: 'not served';
  why: string;
}

export type ContractRow = SuccessRow | ErrorRow | NotServedRow;

/** What every case of one endpoint shares. */
interface Endpoint {
  users: Consumer[];
  /** The SDK method the calls go through (undefined: a raw call, the SDK has none). */
  sdkMethod?: string;
  /** For an endpoint without an SDK method: see ErrorRow.documented. */
  documented?: number[];
}

/** One case of an endpoint, made into a row once the endpoint is known. */
type Case = (endpoint: string, of: Endpoint) => ContractRow;

/** An endpoint with its users and SDK method, written once, and its cases in the order they run. */
function endpoint(name: string, of: Endpoint, cases: Case[]): ContractRow[] {
  return cases.map((make) => make(name, of));
}

/** A call of the endpoint's SDK method with fixed arguments, so the method is named once, by the endpoint. */
interface Args {
  args(f: Fixture): unknown[];
}
const args = (...values: unknown[]): Args => ({ args: () => values });
/** The same, with arguments taken from the fixture. */
const argsOf = (values: (f: Fixture) => unknown[]): Args => ({ args: values });

/** What a case calls: `args(...)` or `argsOf(...)`, or a function of the fixture for a raw call or more than one. */
type CaseCall = Row['call'] | Args;

/** The SDK method at `path` (e.g. `guardian.policies.list`) on `sdk`, bound to the object that has it. */
function sdkMethodAt(sdk: ManagementClient, path: string): (...args: unknown[]) => Promise<unknown> {
  const parts = path.split('.');
  const name = parts.pop() as string;
  const owner = parts.reduce<Record<string, unknown> | undefined>(
    (at, part) => at?.[part] as Record<string, unknown> | undefined,
    sdk as unknown as Record<string, unknown>,
  );
  const method = owner?.[name];
  if (typeof method !== 'function') throw new Error(`the SDK client has no method ${path}`);
  return method.bind(owner);
}

function callOf(call: CaseCall, endpoint: string, { sdkMethod }: Endpoint): Row['call'] {
  if (typeof call === 'function') return call;
  if (!sdkMethod) throw new Error(`${endpoint}: args() needs the endpoint's SDK method`);
  return (f) => sdkMethodAt(f.sdk, sdkMethod)(...call.args(f));
}

function success(what: string, call: CaseCall, check: SuccessRow['check']): Case {
  return (endpoint, of) => ({
    kind: 'success',
    endpoint,
    users: of.users,
    what,
    sdkMethod: of.sdkMethod,
    call: callOf(call, endpoint, of),
    check,
  });
}

interface ErrorCaseOptions {
  /** Why this answer is not among the statuses the SDK documents. */
  differs?: string;
  /** The users this case concerns, when they are fewer than the endpoint's. */
  only?: Consumer[];
}

function error(what: string, call: CaseCall, answer: Answer, options: ErrorCaseOptions = {}): Case {
  const { differs, only } = options;
  return (endpoint, of) => {
    const stranger = only?.find((user) => !of.users.includes(user));
    if (stranger) throw new Error(`${endpoint} (${what}): ${stranger} is not among the endpoint's users`);
    const { sdkMethod, documented } = of;
    const users = only ?? of.users;
    return {
      kind: 'error',
      endpoint,
      users,
      what,
      sdkMethod,
      documented,
      call: callOf(call, endpoint, of),
      answer,
      differs,
    };
  };
}

/** A success case that sends `values` to the endpoint's SDK method and gets exactly the last one back. */
function echoes(what: string, ...values: unknown[]): Case {
  return success(what, args(...values), (result) => expect(result).toEqual(values.at(-1)));
}

/** A raw GET/PUT under /api/v2 that throws like the SDK does (statusCode and body) on an error status. */
async function raw(f: Fixture, method: string, path: string, body?: unknown): Promise<unknown> {
  const reply = await f.api.request(method, `/api/v2${path}`, { body, token: f.token });
  if (reply.status >= 400)
    throw Object.assign(new Error(reply.text), { statusCode: reply.status, body: reply.body });
  return reply.body;
}

const CODE = 'exports.onExecutePostLogin = async (event, api) => {};';
const POST_LOGIN = [{ id: 'post-login' as const, version: 'v3' }];
const DB = 'Username-Password-Authentication';
/** The statuses Auth0's reference gives its Management API endpoints (see ErrorRow.documented). */
const MANAGEMENT_API_STATUSES = [400, 401, 403, 429];
// What the provider writes and then reads back (the secrets beside them are sent as 'x').
const TWILIO = { sid: 'AC-contract', from: '+15550100' };
const DUO = { ikey: 'DI-contract', host: 'api-x.duosecurity.com' };
// The fixture's user and bound action, as the only argument of a call.
const THE_USER = argsOf((f) => [f.userId]);
const THE_BOUND_ACTION = argsOf((f) => [f.boundActionId]);
const UNKNOWN_ACTION = '00000000-0000-4000-8000-000000000000';

// The answers several endpoints give.
const INVALID_BODY: Answer = {
  status: 400,
  message: /^Payload validation error: /,
  errorCode: 'invalid_body',
};
const INVALID_URI: Answer = { status: 400, message: /^Path validation error: /, errorCode: 'invalid_uri' };
const INVALID_QUERY: Answer = {
  status: 400,
  message: /^Query validation error: /,
  errorCode: 'invalid_query_string',
};
const NO_USER: Answer = { status: 404, message: 'The user does not exist.', errorCode: 'inexistent_user' };
// Ours: no public source shows Auth0's words for an unknown role or organization (see the tenant's README).
const NO_ROLE: Answer = { status: 404, message: 'The role does not exist.', errorCode: 'inexistent_role' };
const NO_ORGANIZATION: Answer = {
  status: 404,
  message: 'The organization does not exist.',
  errorCode: 'inexistent_organization',
};
const NO_ACTION: Answer = {
  status: 404,
  message: 'The action does not exist.',
  errorCode: 'inexistent_action',
};

const expectShape = (shape: object) => (result: unknown) => expect(result).toMatchObject(shape);
/** The check of an answer without a body: that the call did not throw is all there is. */
const noContent = () => undefined;
const expectArray = (result: unknown) => expect(Array.isArray(result)).toBe(true);

/** The page an SDK list call answered, as the tenant sent it. */
const response = (page: unknown) => (page as { response: unknown }).response;

/** Phone and push each read and choose their provider through the same two calls. */
function selectedProvider(of: {
  /** The factor's name in the path, and the SDK's name for it. */
  factor: string;
  client: string;
  what: string;
  /** What choosing is called, and the provider chosen. */
  choose: [string, string];
  unknown: string;
}): ContractRow[][] {
  const path = `/guardian/factors/${of.factor}/selected-provider`;
  const sdk = `guardian.factors.${of.client}`;
  const [choosing, provider] = of.choose;
  return [
    endpoint(`GET ${path}`, { users: ['provider', 'adopt'], sdkMethod: `${sdk}.getSelectedProvider` }, [
      success(of.what, args(), expectShape({ provider: expect.any(String) })),
    ]),
    endpoint(`PUT ${path}`, { users: ['provider'], sdkMethod: `${sdk}.setProvider` }, [
      echoes(choosing, { provider }),
      error('an unknown provider', args({ provider: of.unknown }), INVALID_BODY),
    ]),
  ];
}

/** Why an answer knowingly differs from the statuses the SDK documents, for the cases that name one. */
const DIFFERS = {
  takenName:
    'the SDK documents no 409 for a create and no public source (recordings, SDK and provider test suites, ' +
    'issues of the provider, node-auth0, go-auth0 and deploy-cli) shows what Auth0 answers a taken name: ' +
    'the tenant keeps 409 in its own words',
  unknownDeploy:
    'the SDK documents no 404 for a deploy; what Auth0 answers an unknown id here is in no public source, so the ' +
    "tenant answers as for the action's other routes",
  boundDelete:
    'the SDK documents no 409 for a delete, but Auth0 answers it (terraform-provider-auth0 issues #64, #1550 ' +
    'quote "409 Conflict: Unable to delete an action bound to a trigger."; its errorCode is not public)',
  unknownUserInvalidate:
    "the SDK documents 400, 401 and 403 only; Auth0's answer for an unknown user is in no public source, so " +
    "the tenant answers as for the user's other routes",
  unknownUserReset:
    "the SDK documents no 404 for a reset; Auth0's answer for an unknown user is in no public source, so " +
    "the tenant answers as for the user's other routes",
};

export const ROWS: ContractRow[] = [
  // ---- the token every client gets first -----------------------------------------------------
  endpoint(
    'POST /oauth/token',
    { users: ['provider', 'mfa tool', 'recovery', 'adopt'], documented: MANAGEMENT_API_STATUSES },
    [
      error(
        'client credentials with a wrong secret',
        (f) => f.clientWith('not-the-secret').guardian.policies.list(),
        // Auth0's answer as node-auth0 #682 quotes it.
        { status: 401, message: 'Unauthorized', errorCode: 'access_denied', oauth: true },
      ),
    ],
  ),

  // ---- guardian ------------------------------------------------------------------------------
  endpoint('GET /guardian/policies', { users: ['provider', 'adopt'], sdkMethod: 'guardian.policies.list' }, [
    success('the MFA policies', args(), expectArray),
  ]),
  endpoint('PUT /guardian/policies', { users: ['provider'], sdkMethod: 'guardian.policies.set' }, [
    echoes('policy "never" is the empty list', []),
    error('an unknown policy', args(['sometimes']), INVALID_BODY),
  ]),
  endpoint('GET /guardian/factors', { users: ['provider', 'adopt'], sdkMethod: 'guardian.factors.list' }, [
    success('every factor with its state', args(), (result) =>
      expect(result).toEqual(
        expect.arrayContaining([expect.objectContaining({ name: 'otp', enabled: expect.any(Boolean) })]),
      ),
    ),
  ]),
  endpoint('PUT /guardian/factors/{name}', { users: ['provider'], sdkMethod: 'guardian.factors.set' }, [
    echoes('turn one-time passwords on', 'otp', { enabled: true }),
    error('an unknown factor', args('carrier-pigeon', { enabled: true }), INVALID_URI),
    error('`enabled` that is not a boolean', args('otp', { enabled: 'yes' }), INVALID_BODY),
  ]),
  ...selectedProvider({
    factor: 'phone',
    client: 'phone',
    what: 'the phone provider',
    choose: ['choose Twilio', 'twilio'],
    unknown: 'carrier-pigeon',
  }),
  endpoint(
    'GET /guardian/factors/phone/message-types',
    { users: ['provider', 'adopt'], sdkMethod: 'guardian.factors.phone.getMessageTypes' },
    [success('the phone message types', args(), expectShape({ message_types: expect.any(Array) }))],
  ),
  endpoint(
    'PUT /guardian/factors/phone/message-types',
    { users: ['provider'], sdkMethod: 'guardian.factors.phone.setMessageTypes' },
    [
      echoes('SMS and voice', { message_types: ['sms', 'voice'] }),
      error('an unknown message type', args({ message_types: ['fax'] }), INVALID_BODY),
    ],
  ),
  endpoint(
    'PUT /guardian/factors/sms/providers/twilio',
    { users: ['provider'], sdkMethod: 'guardian.factors.sms.setTwilioProvider' },
    [
      success(
        'Twilio settings (the auth token is write-only)',
        args({ ...TWILIO, auth_token: 'x' }),
        expectShape(TWILIO),
      ),
      error('a sid that is not a string', args({ sid: 42 }), INVALID_BODY),
    ],
  ),
  endpoint(
    'GET /guardian/factors/sms/providers/twilio',
    { users: ['provider', 'adopt'], sdkMethod: 'guardian.factors.sms.getTwilioProvider' },
    [success('Twilio settings', args(), expectShape(TWILIO))],
  ),
  endpoint(
    'GET /guardian/factors/sms/templates',
    { users: ['provider'], sdkMethod: 'guardian.factors.sms.getTemplates' },
    [
      success(
        'the SMS templates (the provider reads them whenever the phone factor is on)',
        args(),
        expectShape({ enrollment_message: expect.any(String), verification_message: expect.any(String) }),
      ),
    ],
  ),
  endpoint('GET /prompts/mfa-push', { users: ['provider'] }, [
    success(
      'the custom push app (the provider reads it whenever push is on; no SDK method: a plain call)',
      (f) => raw(f, 'GET', '/prompts/mfa-push'),
      (result) => expect(typeof result).toBe('object'),
    ),
  ]),
  ...selectedProvider({
    factor: 'push-notification',
    client: 'pushNotification',
    what: 'the push provider',
    choose: ['choose SNS', 'sns'],
    unknown: 'pager',
  }),
  endpoint(
    'PUT /guardian/factors/push-notification/providers/sns',
    { users: ['provider'], sdkMethod: 'guardian.factors.pushNotification.setSnsProvider' },
    [
      success(
        'SNS settings (the secret key is write-only)',
        args({ aws_access_key_id: 'AKIA-contract', aws_secret_access_key: 'x', aws_region: 'eu-west-1' }),
        (result) => {
          expect(result).toMatchObject({ aws_access_key_id: 'AKIA-contract', aws_region: 'eu-west-1' });
          expect(result).not.toHaveProperty('aws_secret_access_key');
        },
      ),
    ],
  ),
  endpoint(
    'GET /guardian/factors/push-notification/providers/sns',
    { users: ['provider', 'adopt'], sdkMethod: 'guardian.factors.pushNotification.getSnsProvider' },
    [success('SNS settings', args(), expectShape({ aws_region: 'eu-west-1' }))],
  ),
  endpoint(
    'PUT /guardian/factors/duo/settings',
    { users: ['provider'], sdkMethod: 'guardian.factors.duo.settings.set' },
    [
      success('Duo settings', args({ ...DUO, skey: 'x' }), expectShape(DUO)),
      error('a host that is not a string', args({ host: 7 }), INVALID_BODY),
    ],
  ),
  endpoint(
    'GET /guardian/factors/duo/settings',
    { users: ['provider', 'adopt'], sdkMethod: 'guardian.factors.duo.settings.get' },
    [success('Duo settings', args(), expectShape(DUO))],
  ),
  ...(['webauthn-roaming', 'webauthn-platform'] as const).flatMap((factor) => [
    endpoint(
      `PUT /guardian/factors/${factor}/settings`,
      { users: ['provider'], documented: MANAGEMENT_API_STATUSES },
      [
        success(
          'a relying party of our own (no SDK method: a plain call)',
          (f) =>
            raw(f, 'PUT', `/guardian/factors/${factor}/settings`, {
              overrideRelyingParty: true,
              relyingPartyIdentifier: 'example.com',
            }),
          expectShape({ overrideRelyingParty: true, relyingPartyIdentifier: 'example.com' }),
        ),
        error(
          'overrideRelyingParty that is not a boolean',
          (f) => raw(f, 'PUT', `/guardian/factors/${factor}/settings`, { overrideRelyingParty: 'yes' }),
          INVALID_BODY,
        ),
      ],
    ),
    endpoint(`GET /guardian/factors/${factor}/settings`, { users: ['provider', 'adopt'] }, [
      success(
        'the relying party settings (no SDK method: a plain call)',
        (f) => raw(f, 'GET', `/guardian/factors/${factor}/settings`),
        expectShape({ overrideRelyingParty: true }),
      ),
    ]),
  ]),

  // ---- actions -------------------------------------------------------------------------------
  endpoint('POST /actions/actions', { users: ['provider'], sdkMethod: 'actions.create' }, [
    success(
      'a post-login v3 action, pending until built',
      argsOf((f) => [
        {
          name: f.unique('contract-created'),
          code: CODE,
          runtime: 'node22',
          supported_triggers: POST_LOGIN,
        },
      ]),
      expectShape({ id: expect.any(String), status: 'pending', supported_triggers: POST_LOGIN }),
    ),
    error(
      'no supported_triggers',
      argsOf((f) => [{ name: f.unique('contract-bad') }]),
      INVALID_BODY,
    ),
    error(
      'a name another action has',
      argsOf((f) => [{ name: f.boundActionName, code: CODE, supported_triggers: POST_LOGIN }]),
      { status: 409, message: /already exists/, errorCode: 'action_conflict' },
      { differs: DIFFERS.takenName },
    ),
  ]),
  endpoint('GET /actions/actions/{id}', { users: ['provider'], sdkMethod: 'actions.get' }, [
    success(
      'a built, deployed action (what the provider polls)',
      THE_BOUND_ACTION,
      expectShape({ status: 'built', deployed_version: expect.objectContaining({ deployed: true }) }),
    ),
    error('an unknown id (the provider drops it from state)', args(UNKNOWN_ACTION), NO_ACTION),
  ]),
  endpoint('PATCH /actions/actions/{id}', { users: ['provider'], sdkMethod: 'actions.update' }, [
    success(
      'new code, pending again',
      argsOf((f) => [f.draftActionId, { code: `${CODE}\n// v2` }]),
      expectShape({ status: 'pending', code: `${CODE}\n// v2` }),
    ),
    error('an unknown id', args(UNKNOWN_ACTION, { code: CODE }), NO_ACTION),
  ]),
  endpoint('POST /actions/actions/{id}/deploy', { users: ['provider'], sdkMethod: 'actions.deploy' }, [
    success(
      'a new version (deployed: false in the answer, as recorded)',
      THE_BOUND_ACTION,
      expectShape({ id: expect.any(String), number: expect.any(Number), deployed: false }),
    ),
    error('an unknown id', args(UNKNOWN_ACTION), NO_ACTION, { differs: DIFFERS.unknownDeploy }),
  ]),
  endpoint('DELETE /actions/actions/{id}', { users: ['provider'], sdkMethod: 'actions.delete' }, [
    error(
      'an action still bound to a trigger',
      THE_BOUND_ACTION,
      { status: 409, message: 'Unable to delete an action bound to a trigger.', errorCode: null },
      { differs: DIFFERS.boundDelete },
    ),
    success(
      'an unbound action',
      async (f) => {
        const created = await f.sdk.actions.create({
          name: f.unique('contract-gone'),
          supported_triggers: POST_LOGIN,
        });
        await f.sdk.actions.delete(created.id as string);
        return created.id;
      },
      noContent,
    ),
    error('an unknown id', args(UNKNOWN_ACTION), NO_ACTION),
  ]),
  endpoint('GET /actions/actions', { users: ['recovery', 'adopt'], sdkMethod: 'actions.list' }, [
    success(
      'the actions of one name',
      argsOf((f) => [{ actionName: f.boundActionName }]),
      (page, f) =>
        expect((page as { data: Array<{ id: string }> }).data.map((a) => a.id)).toEqual([f.boundActionId]),
    ),
    success(
      'installed=true: none (nothing here comes from the Marketplace)',
      args({ installed: true }),
      (page) => expect((page as { data: unknown[] }).data).toEqual([]),
    ),
    error('a page size over the maximum', args({ per_page: 1000 }), INVALID_QUERY),
  ]),

  // ---- triggers and bindings -----------------------------------------------------------------
  endpoint(
    'GET /actions/triggers/{triggerId}/bindings',
    { users: ['provider', 'recovery', 'adopt'], sdkMethod: 'actions.triggers.bindings.list' },
    [
      success(
        'the Login flow, paged as recovery and adopt page it',
        args('post-login', { page: 0, per_page: 20 }),
        (page, f) =>
          expect(
            (page as { data: Array<{ action?: { id?: string } }> }).data.map((b) => b.action?.id),
          ).toContain(f.boundActionId),
      ),
      error('an unknown trigger', args('no-such-trigger'), INVALID_URI),
    ],
  ),
  endpoint(
    'PATCH /actions/triggers/{triggerId}/bindings',
    { users: ['provider'], sdkMethod: 'actions.triggers.bindings.updateMany' },
    [
      success(
        'the whole ordered list, by reference to the action id',
        argsOf((f) => [
          'post-login',
          {
            bindings: [
              { ref: { type: 'action_id', value: f.boundActionId }, display_name: f.boundActionName },
            ],
          },
        ]),
        (result, f) =>
          expect(
            (result as { bindings: Array<{ action: { id: string } }> }).bindings.map((b) => b.action.id),
          ).toEqual([f.boundActionId]),
      ),
      error(
        'an action that was never deployed',
        argsOf((f) => [
          'post-login',
          {
            bindings: [{ ref: { type: 'action_id', value: f.draftActionId } }],
          },
        ]),
        {
          status: 400,
          message: 'Trying to create a binding for an action that has not been deployed yet.',
          errorCode: null,
        },
      ),
      error(
        'a reference to no action',
        args('post-login', {
          bindings: [{ ref: { type: 'action_id', value: UNKNOWN_ACTION } }],
        }),
        { status: 400, message: /does not exist/, errorCode: 'inexistent_action' },
      ),
    ],
  ),

  // ---- users ---------------------------------------------------------------------------------
  endpoint('POST /users', { users: ['provider'], sdkMethod: 'users.create' }, [
    success(
      'a database user with the flag in user_metadata',
      argsOf((f) => [
        {
          connection: DB,
          email: `${f.unique('created')}@example.com`,
          password: 'Contract-Passw0rd!',
          user_metadata: { use_mfa: true },
        },
      ]),
      expectShape({ user_id: expect.stringMatching(/^auth0\|/), user_metadata: { use_mfa: true } }),
    ),
    error(
      'an email the connection already has',
      args({ connection: DB, email: 'contract-flagged@example.com', password: 'Contract-Passw0rd!' }),
      { status: 409, message: 'The user already exists.', errorCode: 'auth0_idp_error' },
    ),
    error(
      'an unknown connection',
      args({ connection: 'No-Such-Connection', email: 'x@example.com', password: 'Contract-Passw0rd!' }),
      { status: 400, message: 'The connection does not exist.', errorCode: 'inexistent_connection' },
    ),
    error(
      'a password under the policy',
      argsOf((f) => [{ connection: DB, email: `${f.unique('weak')}@example.com`, password: 'short' }]),
      { status: 400, message: 'PasswordStrengthError: Password is too weak', errorCode: 'invalid_password' },
    ),
  ]),
  endpoint('GET /users/{id}', { users: ['provider', 'mfa tool'], sdkMethod: 'users.get' }, [
    success('a user by id', THE_USER, (result, f) =>
      expect(result).toMatchObject({ user_id: f.userId, email: 'contract-flagged@example.com' }),
    ),
    error('an unknown id', args('auth0|no-such-user'), NO_USER),
    // The rate limit every call meets; the mfa tool is the user that waits for its reset.
    error(
      'the bucket is empty (the mfa tool waits for X-RateLimit-Reset)',
      async (f) => {
        const refill = await f.exhaustRateLimit();
        try {
          return await f.sdk.users.get(f.userId);
        } finally {
          refill();
        }
      },
      { status: 429, message: 'Global limit has been reached', errorCode: 'too_many_requests' },
      { only: ['mfa tool'] },
    ),
  ]),
  endpoint('PATCH /users/{id}', { users: ['provider', 'mfa tool'], sdkMethod: 'users.update' }, [
    success(
      'the flag off (metadata merges at the top level)',
      argsOf((f) => [f.userId, { user_metadata: { use_mfa: false } }]),
      expectShape({ user_metadata: { use_mfa: false } }),
    ),
    error('an unknown id', args('auth0|no-such-user', { user_metadata: { use_mfa: true } }), NO_USER),
    error(
      'email_verified that is not a boolean',
      argsOf((f) => [f.userId, { email_verified: 'yes' }]),
      INVALID_BODY,
    ),
  ]),
  endpoint('DELETE /users/{id}', { users: ['provider'], sdkMethod: 'users.delete' }, [
    success('an unknown id is 204 too, as on Auth0', args('auth0|no-such-user'), noContent),
  ]),
  endpoint('GET /users', { users: ['mfa tool'], sdkMethod: 'users.list' }, [
    success(
      'search v3 with totals and only the fields asked for',
      args({
        q: 'email:"contract-flagged@example.com"',
        search_engine: 'v3',
        include_totals: true,
        fields: 'user_id,email',
        include_fields: true,
      }),
      (page, f) =>
        expect(response(page)).toEqual({
          start: 0,
          limit: 50,
          length: 1,
          total: 1,
          users: [{ user_id: f.userId, email: 'contract-flagged@example.com' }],
        }),
    ),
    error('a retired search engine', args({ q: 'email:x', search_engine: 'v2' }), {
      status: 400,
      message: /search_engine=v3/,
      errorCode: 'operation_not_supported',
    }),
    error('paging past the first 1000 results', args({ q: 'email:*', page: 20, per_page: 50 }), {
      status: 400,
      message: 'You can only page through the first 1000 records.',
      errorCode: 'invalid_paging',
    }),
  ]),
  endpoint('GET /users-by-email', { users: ['mfa tool', 'recovery'], sdkMethod: 'users.listUsersByEmail' }, [
    success('the users of one email', args({ email: 'contract-flagged@example.com' }), (result, f) =>
      expect((result as Array<{ user_id: string }>).map((u) => u.user_id)).toEqual([f.userId]),
    ),
    success(
      'another case of the email finds no one (the lookup is case-sensitive, as Auth0 documents)',
      args({ email: 'Contract-Flagged@example.com' }),
      (result) => expect(result).toEqual([]),
    ),
    error('an empty email', args({ email: '' }), INVALID_QUERY),
  ]),
  endpoint(
    'GET /users/{id}/authentication-methods',
    { users: ['mfa tool'], sdkMethod: 'users.authenticationMethods.list' },
    [
      success(
        'with totals, as the mfa tool pages them',
        argsOf((f) => [f.userId, { page: 0, per_page: 100, include_totals: true }]),
        (page) =>
          expect(response(page)).toEqual({
            start: 0,
            limit: 100,
            total: 1,
            authenticators: [expect.objectContaining({ type: 'recovery-code' })],
          }),
      ),
      error('an unknown user', args('auth0|no-such-user'), NO_USER),
    ],
  ),
  endpoint(
    'POST /users/{id}/multifactor/actions/invalidate-remember-browser',
    { users: ['mfa tool'], sdkMethod: 'users.multifactor.invalidateRememberBrowser' },
    [
      success('forget remembered browsers', THE_USER, noContent),
      error('an unknown user', args('auth0|no-such-user'), NO_USER, {
        differs: DIFFERS.unknownUserInvalidate,
      }),
    ],
  ),
  endpoint(
    'DELETE /users/{id}/authentication-methods',
    { users: ['mfa tool'], sdkMethod: 'users.authenticationMethods.deleteAll' },
    [
      success(
        "reset a user's MFA",
        async (f) => {
          await f.sdk.users.authenticationMethods.deleteAll(f.userId);
          return f.sdk.users.authenticationMethods.list(f.userId);
        },
        (page) => expect((page as { data: unknown[] }).data).toEqual([]),
      ),
      error('an unknown user', args('auth0|no-such-user'), NO_USER, { differs: DIFFERS.unknownUserReset }),
    ],
  ),

  // ---- tenant settings -----------------------------------------------------------------------
  endpoint('GET /tenants/settings', { users: ['provider', 'adopt'], sdkMethod: 'tenants.settings.get' }, [
    success(
      'the settings (phone_consolidated_experience decides the phone provider)',
      args(),
      expectShape({ flags: expect.any(Object) }),
    ),
    error(
      'include_fields that is not a boolean',
      args({ fields: 'flags', include_fields: 'yes' }),
      INVALID_QUERY,
    ),
  ]),

  // ---- what the mfa tool's selections read (--role, --organization) ------------------------------
  endpoint('GET /roles', { users: ['mfa tool'], sdkMethod: 'roles.list' }, [
    success(
      'roles by name with totals, as the mfa tool pages them (--role)',
      argsOf((f) => [{ name_filter: f.role.name, page: 0, per_page: 100, include_totals: true }]),
      (page, f) =>
        expect(response(page)).toEqual({
          start: 0,
          limit: 100,
          total: 1,
          roles: [{ id: f.role.id, name: f.role.name }],
        }),
    ),
    error('a page size over the maximum', args({ per_page: 1000 }), INVALID_QUERY),
  ]),
  endpoint('GET /roles/{id}/users', { users: ['mfa tool'], sdkMethod: 'roles.users.list' }, [
    success(
      'the users of a role by checkpoint (take), one page and no next',
      argsOf((f) => [f.role.id, { take: 100 }]),
      (page, f) =>
        expect(response(page)).toEqual({ users: [expect.objectContaining({ user_id: f.userId })] }),
    ),
    error('an unknown role', args('rol_0000000000000000'), NO_ROLE),
  ]),
  endpoint('GET /organizations/name/{name}', { users: ['mfa tool'], sdkMethod: 'organizations.getByName' }, [
    success(
      'an organization by name (--organization)',
      argsOf((f) => [f.organization.name]),
      (result, f) => expect(result).toEqual({ id: f.organization.id, name: f.organization.name }),
    ),
    error('a name no organization has', args('no-such-organization'), NO_ORGANIZATION),
  ]),
  endpoint(
    'GET /organizations/{id}/members',
    { users: ['mfa tool'], sdkMethod: 'organizations.members.list' },
    [
      success(
        'the members by checkpoint (take), one page and no next',
        argsOf((f) => [f.organization.id, { take: 100 }]),
        (page, f) =>
          expect(response(page)).toEqual({ members: [expect.objectContaining({ user_id: f.userId })] }),
      ),
      error('an unknown organization', args('org_0000000000000000'), NO_ORGANIZATION),
    ],
  ),
].flat();
