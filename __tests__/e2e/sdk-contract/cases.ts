// The contract of the official auth0 SDK 7 with the local tenant, as data: every Management API call that the
// auth0 provider (our stack's resources), the mfa tool (ops/mfa), recovery (ops/stack-command/tenant-lookup.ts)
// and adopt (ops/adopt) make, with a success path and error paths. Each row names who uses the endpoint, the
// SDK method (its documented statuses are read from the SDK, see documented.ts), and what the tenant must
// answer. A row that knowingly differs from what the SDK documents says why; calls the tenant does not serve
// say so. The test (sdk-contract.e2e.test.ts) runs every row and counts the outcomes per user.

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
const PAYLOAD = /^Payload validation error: /;
const PATH = /^Path validation error: /;
const QUERY = /^Query validation error: /;

const ok = (check: (result: unknown, f: Fixture) => void) => check;
const expectShape = (shape: object) => (result: unknown) => expect(result).toMatchObject(shape);
const expectArray = (result: unknown) => expect(Array.isArray(result)).toBe(true);

/** The page an SDK list call answered, as the tenant sent it. */
const response = (page: unknown) => (page as { response: unknown }).response;

const NOT_SERVED_WHY =
  'the local tenant models no roles or organizations (the mfa tool selects users by them only when told to)';

export const ROWS: ContractRow[] = [
  // ---- the token every client gets first, and the rate limit every call meets ----------------
  {
    kind: 'error',
    endpoint: 'POST /oauth/token',
    users: ['provider', 'mfa tool', 'recovery', 'adopt'],
    what: 'client credentials with a wrong secret',
    documented: [400, 401, 403, 429],
    call: (f) => f.clientWith('not-the-secret').guardian.policies.list(),
    // Auth0's answer as node-auth0 #682 quotes it.
    answer: { status: 401, message: 'Unauthorized', errorCode: 'access_denied', oauth: true },
  },
  {
    kind: 'error',
    endpoint: 'GET /users/{id}',
    users: ['mfa tool'],
    what: 'the bucket is empty (the mfa tool waits for X-RateLimit-Reset)',
    sdkMethod: 'users.get',
    call: async (f) => {
      const refill = await f.exhaustRateLimit();
      try {
        return await f.sdk.users.get(f.userId);
      } finally {
        refill();
      }
    },
    answer: { status: 429, message: 'Global limit has been reached', errorCode: 'too_many_requests' },
  },
  // ---- guardian ------------------------------------------------------------------------------
  {
    kind: 'success',
    endpoint: 'GET /guardian/policies',
    users: ['provider', 'adopt'],
    what: 'the MFA policies',
    sdkMethod: 'guardian.policies.list',
    call: (f) => f.sdk.guardian.policies.list(),
    check: ok(expectArray),
  },
  {
    kind: 'success',
    endpoint: 'PUT /guardian/policies',
    users: ['provider'],
    what: 'policy "never" is the empty list',
    sdkMethod: 'guardian.policies.set',
    call: (f) => f.sdk.guardian.policies.set([]),
    check: (result) => expect(result).toEqual([]),
  },
  {
    kind: 'error',
    endpoint: 'PUT /guardian/policies',
    users: ['provider'],
    what: 'an unknown policy',
    sdkMethod: 'guardian.policies.set',
    call: (f) => f.sdk.guardian.policies.set(['sometimes' as never]),
    answer: { status: 400, message: PAYLOAD, errorCode: 'invalid_body' },
  },
  {
    kind: 'success',
    endpoint: 'GET /guardian/factors',
    users: ['provider', 'adopt'],
    what: 'every factor with its state',
    sdkMethod: 'guardian.factors.list',
    call: (f) => f.sdk.guardian.factors.list(),
    check: (result) =>
      expect(result).toEqual(
        expect.arrayContaining([expect.objectContaining({ name: 'otp', enabled: expect.any(Boolean) })]),
      ),
  },
  {
    kind: 'success',
    endpoint: 'PUT /guardian/factors/{name}',
    users: ['provider'],
    what: 'turn one-time passwords on',
    sdkMethod: 'guardian.factors.set',
    call: (f) => f.sdk.guardian.factors.set('otp', { enabled: true }),
    check: (result) => expect(result).toEqual({ enabled: true }),
  },
  {
    kind: 'error',
    endpoint: 'PUT /guardian/factors/{name}',
    users: ['provider'],
    what: 'an unknown factor',
    sdkMethod: 'guardian.factors.set',
    call: (f) => f.sdk.guardian.factors.set('carrier-pigeon' as never, { enabled: true }),
    answer: { status: 400, message: PATH, errorCode: 'invalid_uri' },
  },
  {
    kind: 'error',
    endpoint: 'PUT /guardian/factors/{name}',
    users: ['provider'],
    what: '`enabled` that is not a boolean',
    sdkMethod: 'guardian.factors.set',
    call: (f) => f.sdk.guardian.factors.set('otp', { enabled: 'yes' as never }),
    answer: { status: 400, message: PAYLOAD, errorCode: 'invalid_body' },
  },
  {
    kind: 'success',
    endpoint: 'GET /guardian/factors/phone/selected-provider',
    users: ['provider', 'adopt'],
    what: 'the phone provider',
    sdkMethod: 'guardian.factors.phone.getSelectedProvider',
    call: (f) => f.sdk.guardian.factors.phone.getSelectedProvider(),
    check: ok(expectShape({ provider: expect.any(String) })),
  },
  {
    kind: 'success',
    endpoint: 'PUT /guardian/factors/phone/selected-provider',
    users: ['provider'],
    what: 'choose Twilio',
    sdkMethod: 'guardian.factors.phone.setProvider',
    call: (f) => f.sdk.guardian.factors.phone.setProvider({ provider: 'twilio' }),
    check: (result) => expect(result).toEqual({ provider: 'twilio' }),
  },
  {
    kind: 'error',
    endpoint: 'PUT /guardian/factors/phone/selected-provider',
    users: ['provider'],
    what: 'an unknown provider',
    sdkMethod: 'guardian.factors.phone.setProvider',
    call: (f) => f.sdk.guardian.factors.phone.setProvider({ provider: 'carrier-pigeon' as never }),
    answer: { status: 400, message: PAYLOAD, errorCode: 'invalid_body' },
  },
  {
    kind: 'success',
    endpoint: 'GET /guardian/factors/phone/message-types',
    users: ['provider', 'adopt'],
    what: 'the phone message types',
    sdkMethod: 'guardian.factors.phone.getMessageTypes',
    call: (f) => f.sdk.guardian.factors.phone.getMessageTypes(),
    check: ok(expectShape({ message_types: expect.any(Array) })),
  },
  {
    kind: 'success',
    endpoint: 'PUT /guardian/factors/phone/message-types',
    users: ['provider'],
    what: 'SMS and voice',
    sdkMethod: 'guardian.factors.phone.setMessageTypes',
    call: (f) => f.sdk.guardian.factors.phone.setMessageTypes({ message_types: ['sms', 'voice'] }),
    check: (result) => expect(result).toEqual({ message_types: ['sms', 'voice'] }),
  },
  {
    kind: 'error',
    endpoint: 'PUT /guardian/factors/phone/message-types',
    users: ['provider'],
    what: 'an unknown message type',
    sdkMethod: 'guardian.factors.phone.setMessageTypes',
    call: (f) => f.sdk.guardian.factors.phone.setMessageTypes({ message_types: ['fax' as never] }),
    answer: { status: 400, message: PAYLOAD, errorCode: 'invalid_body' },
  },
  {
    kind: 'success',
    endpoint: 'PUT /guardian/factors/sms/providers/twilio',
    users: ['provider'],
    what: 'Twilio settings (the auth token is write-only)',
    sdkMethod: 'guardian.factors.sms.setTwilioProvider',
    call: (f) =>
      f.sdk.guardian.factors.sms.setTwilioProvider({
        sid: 'AC-contract',
        from: '+15550100',
        auth_token: 'x',
      }),
    check: ok(expectShape({ sid: 'AC-contract', from: '+15550100' })),
  },
  {
    kind: 'success',
    endpoint: 'GET /guardian/factors/sms/providers/twilio',
    users: ['provider', 'adopt'],
    what: 'Twilio settings',
    sdkMethod: 'guardian.factors.sms.getTwilioProvider',
    call: (f) => f.sdk.guardian.factors.sms.getTwilioProvider(),
    check: ok(expectShape({ sid: 'AC-contract', from: '+15550100' })),
  },
  {
    kind: 'error',
    endpoint: 'PUT /guardian/factors/sms/providers/twilio',
    users: ['provider'],
    what: 'a sid that is not a string',
    sdkMethod: 'guardian.factors.sms.setTwilioProvider',
    call: (f) => f.sdk.guardian.factors.sms.setTwilioProvider({ sid: 42 as never }),
    answer: { status: 400, message: PAYLOAD, errorCode: 'invalid_body' },
  },
  {
    kind: 'success',
    endpoint: 'GET /guardian/factors/sms/templates',
    users: ['provider'],
    what: 'the SMS templates (the provider reads them whenever the phone factor is on)',
    sdkMethod: 'guardian.factors.sms.getTemplates',
    call: (f) => f.sdk.guardian.factors.sms.getTemplates(),
    check: ok(
      expectShape({ enrollment_message: expect.any(String), verification_message: expect.any(String) }),
    ),
  },
  {
    kind: 'success',
    endpoint: 'GET /prompts/mfa-push',
    users: ['provider'],
    what: 'the custom push app (the provider reads it whenever push is on; no SDK method: a plain call)',
    call: (f) => raw(f, 'GET', '/prompts/mfa-push'),
    check: (result) => expect(typeof result).toBe('object'),
  },
  {
    kind: 'success',
    endpoint: 'GET /guardian/factors/push-notification/selected-provider',
    users: ['provider', 'adopt'],
    what: 'the push provider',
    sdkMethod: 'guardian.factors.pushNotification.getSelectedProvider',
    call: (f) => f.sdk.guardian.factors.pushNotification.getSelectedProvider(),
    check: ok(expectShape({ provider: expect.any(String) })),
  },
  {
    kind: 'success',
    endpoint: 'PUT /guardian/factors/push-notification/selected-provider',
    users: ['provider'],
    what: 'choose SNS',
    sdkMethod: 'guardian.factors.pushNotification.setProvider',
    call: (f) => f.sdk.guardian.factors.pushNotification.setProvider({ provider: 'sns' }),
    check: (result) => expect(result).toEqual({ provider: 'sns' }),
  },
  {
    kind: 'error',
    endpoint: 'PUT /guardian/factors/push-notification/selected-provider',
    users: ['provider'],
    what: 'an unknown provider',
    sdkMethod: 'guardian.factors.pushNotification.setProvider',
    call: (f) => f.sdk.guardian.factors.pushNotification.setProvider({ provider: 'pager' as never }),
    answer: { status: 400, message: PAYLOAD, errorCode: 'invalid_body' },
  },
  {
    kind: 'success',
    endpoint: 'PUT /guardian/factors/push-notification/providers/sns',
    users: ['provider'],
    what: 'SNS settings (the secret key is write-only)',
    sdkMethod: 'guardian.factors.pushNotification.setSnsProvider',
    call: (f) =>
      f.sdk.guardian.factors.pushNotification.setSnsProvider({
        aws_access_key_id: 'AKIA-contract',
        aws_secret_access_key: 'x',
        aws_region: 'eu-west-1',
      }),
    check: (result) => {
      expect(result).toMatchObject({ aws_access_key_id: 'AKIA-contract', aws_region: 'eu-west-1' });
      expect(result).not.toHaveProperty('aws_secret_access_key');
    },
  },
  {
    kind: 'success',
    endpoint: 'GET /guardian/factors/push-notification/providers/sns',
    users: ['provider', 'adopt'],
    what: 'SNS settings',
    sdkMethod: 'guardian.factors.pushNotification.getSnsProvider',
    call: (f) => f.sdk.guardian.factors.pushNotification.getSnsProvider(),
    check: ok(expectShape({ aws_region: 'eu-west-1' })),
  },
  {
    kind: 'success',
    endpoint: 'PUT /guardian/factors/duo/settings',
    users: ['provider'],
    what: 'Duo settings',
    sdkMethod: 'guardian.factors.duo.settings.set',
    call: (f) =>
      f.sdk.guardian.factors.duo.settings.set({
        ikey: 'DI-contract',
        skey: 'x',
        host: 'api-x.duosecurity.com',
      }),
    check: ok(expectShape({ ikey: 'DI-contract', host: 'api-x.duosecurity.com' })),
  },
  {
    kind: 'success',
    endpoint: 'GET /guardian/factors/duo/settings',
    users: ['provider', 'adopt'],
    what: 'Duo settings',
    sdkMethod: 'guardian.factors.duo.settings.get',
    call: (f) => f.sdk.guardian.factors.duo.settings.get(),
    check: ok(expectShape({ ikey: 'DI-contract' })),
  },
  {
    kind: 'error',
    endpoint: 'PUT /guardian/factors/duo/settings',
    users: ['provider'],
    what: 'a host that is not a string',
    sdkMethod: 'guardian.factors.duo.settings.set',
    call: (f) => f.sdk.guardian.factors.duo.settings.set({ host: 7 as never }),
    answer: { status: 400, message: PAYLOAD, errorCode: 'invalid_body' },
  },
  ...(['webauthn-roaming', 'webauthn-platform'] as const).flatMap((factor): ContractRow[] => [
    {
      kind: 'success',
      endpoint: `PUT /guardian/factors/${factor}/settings`,
      users: ['provider'],
      what: 'a relying party of our own (no SDK method: a plain call)',
      call: (f) =>
        raw(f, 'PUT', `/guardian/factors/${factor}/settings`, {
          overrideRelyingParty: true,
          relyingPartyIdentifier: 'example.com',
        }),
      check: ok(expectShape({ overrideRelyingParty: true, relyingPartyIdentifier: 'example.com' })),
    },
    {
      kind: 'success',
      endpoint: `GET /guardian/factors/${factor}/settings`,
      users: ['provider', 'adopt'],
      what: 'the relying party settings (no SDK method: a plain call)',
      call: (f) => raw(f, 'GET', `/guardian/factors/${factor}/settings`),
      check: ok(expectShape({ overrideRelyingParty: true })),
    },
    {
      kind: 'error',
      endpoint: `PUT /guardian/factors/${factor}/settings`,
      users: ['provider'],
      what: 'overrideRelyingParty that is not a boolean',
      documented: [400, 401, 403, 429],
      call: (f) => raw(f, 'PUT', `/guardian/factors/${factor}/settings`, { overrideRelyingParty: 'yes' }),
      answer: { status: 400, message: PAYLOAD, errorCode: 'invalid_body' },
    },
  ]),

  // ---- actions -------------------------------------------------------------------------------
  {
    kind: 'success',
    endpoint: 'POST /actions/actions',
    users: ['provider'],
    what: 'a post-login v3 action, pending until built',
    sdkMethod: 'actions.create',
    call: (f) =>
      f.sdk.actions.create({
        name: f.unique('contract-created'),
        code: CODE,
        runtime: 'node22',
        supported_triggers: POST_LOGIN,
      }),
    check: ok(expectShape({ id: expect.any(String), status: 'pending', supported_triggers: POST_LOGIN })),
  },
  {
    kind: 'error',
    endpoint: 'POST /actions/actions',
    users: ['provider'],
    what: 'no supported_triggers',
    sdkMethod: 'actions.create',
    call: (f) => f.sdk.actions.create({ name: f.unique('contract-bad') } as never),
    answer: { status: 400, message: PAYLOAD, errorCode: 'invalid_body' },
  },
  {
    kind: 'error',
    endpoint: 'POST /actions/actions',
    users: ['provider'],
    what: 'a name another action has',
    sdkMethod: 'actions.create',
    call: (f) =>
      f.sdk.actions.create({ name: f.boundActionName, code: CODE, supported_triggers: POST_LOGIN }),
    answer: { status: 409, message: /already exists/, errorCode: 'action_conflict' },
    differs:
      'the SDK documents no 409 for a create and no public source (recordings, SDK and provider test suites, ' +
      'issues of the provider, node-auth0, go-auth0 and deploy-cli) shows what Auth0 answers a taken name: ' +
      'the tenant keeps 409 in its own words',
  },
  {
    kind: 'success',
    endpoint: 'GET /actions/actions/{id}',
    users: ['provider'],
    what: 'a built, deployed action (what the provider polls)',
    sdkMethod: 'actions.get',
    call: (f) => f.sdk.actions.get(f.boundActionId),
    check: ok(
      expectShape({ status: 'built', deployed_version: expect.objectContaining({ deployed: true }) }),
    ),
  },
  {
    kind: 'error',
    endpoint: 'GET /actions/actions/{id}',
    users: ['provider'],
    what: 'an unknown id (the provider drops it from state)',
    sdkMethod: 'actions.get',
    call: (f) => f.sdk.actions.get('00000000-0000-4000-8000-000000000000'),
    answer: { status: 404, message: 'The action does not exist.', errorCode: 'inexistent_action' },
  },
  {
    kind: 'success',
    endpoint: 'PATCH /actions/actions/{id}',
    users: ['provider'],
    what: 'new code, pending again',
    sdkMethod: 'actions.update',
    call: (f) => f.sdk.actions.update(f.draftActionId, { code: `${CODE}\n// v2` }),
    check: ok(expectShape({ status: 'pending', code: `${CODE}\n// v2` })),
  },
  {
    kind: 'error',
    endpoint: 'PATCH /actions/actions/{id}',
    users: ['provider'],
    what: 'an unknown id',
    sdkMethod: 'actions.update',
    call: (f) => f.sdk.actions.update('00000000-0000-4000-8000-000000000000', { code: CODE }),
    answer: { status: 404, message: 'The action does not exist.', errorCode: 'inexistent_action' },
  },
  {
    kind: 'success',
    endpoint: 'POST /actions/actions/{id}/deploy',
    users: ['provider'],
    what: 'a new version (deployed: false in the answer, as recorded)',
    sdkMethod: 'actions.deploy',
    call: (f) => f.sdk.actions.deploy(f.boundActionId),
    check: ok(expectShape({ id: expect.any(String), number: expect.any(Number), deployed: false })),
  },
  {
    kind: 'error',
    endpoint: 'POST /actions/actions/{id}/deploy',
    users: ['provider'],
    what: 'an unknown id',
    sdkMethod: 'actions.deploy',
    call: (f) => f.sdk.actions.deploy('00000000-0000-4000-8000-000000000000'),
    answer: { status: 404, message: 'The action does not exist.', errorCode: 'inexistent_action' },
    differs:
      'the SDK documents no 404 for a deploy; what Auth0 answers an unknown id here is in no public source, so the ' +
      "tenant answers as for the action's other routes",
  },
  {
    kind: 'error',
    endpoint: 'DELETE /actions/actions/{id}',
    users: ['provider'],
    what: 'an action still bound to a trigger',
    sdkMethod: 'actions.delete',
    call: (f) => f.sdk.actions.delete(f.boundActionId),
    answer: { status: 409, message: 'Unable to delete an action bound to a trigger.', errorCode: null },
    differs:
      'the SDK documents no 409 for a delete, but Auth0 answers it (terraform-provider-auth0 issues #64, #1550 ' +
      'quote "409 Conflict: Unable to delete an action bound to a trigger."; its errorCode is not public)',
  },
  {
    kind: 'success',
    endpoint: 'DELETE /actions/actions/{id}',
    users: ['provider'],
    what: 'an unbound action',
    sdkMethod: 'actions.delete',
    call: async (f) => {
      const created = await f.sdk.actions.create({
        name: f.unique('contract-gone'),
        supported_triggers: POST_LOGIN,
      });
      await f.sdk.actions.delete(created.id as string);
      return created.id;
    },
    check: () => undefined,
  },
  {
    kind: 'error',
    endpoint: 'DELETE /actions/actions/{id}',
    users: ['provider'],
    what: 'an unknown id',
    sdkMethod: 'actions.delete',
    call: (f) => f.sdk.actions.delete('00000000-0000-4000-8000-000000000000'),
    answer: { status: 404, message: 'The action does not exist.', errorCode: 'inexistent_action' },
  },
  {
    kind: 'success',
    endpoint: 'GET /actions/actions',
    users: ['recovery', 'adopt'],
    what: 'the actions of one name',
    sdkMethod: 'actions.list',
    call: (f) => f.sdk.actions.list({ actionName: f.boundActionName }),
    check: (page, f) =>
      expect((page as { data: Array<{ id: string }> }).data.map((a) => a.id)).toEqual([f.boundActionId]),
  },
  {
    kind: 'success',
    endpoint: 'GET /actions/actions',
    users: ['recovery', 'adopt'],
    what: 'installed=true: none (nothing here comes from the Marketplace)',
    sdkMethod: 'actions.list',
    call: (f) => f.sdk.actions.list({ installed: true }),
    check: (page) => expect((page as { data: unknown[] }).data).toEqual([]),
  },
  {
    kind: 'error',
    endpoint: 'GET /actions/actions',
    users: ['recovery', 'adopt'],
    what: 'a page size over the maximum',
    sdkMethod: 'actions.list',
    call: (f) => f.sdk.actions.list({ per_page: 1000 }),
    answer: { status: 400, message: QUERY, errorCode: 'invalid_query_string' },
  },

  // ---- triggers and bindings -----------------------------------------------------------------
  {
    kind: 'success',
    endpoint: 'GET /actions/triggers/{triggerId}/bindings',
    users: ['provider', 'recovery', 'adopt'],
    what: 'the Login flow, paged as recovery and adopt page it',
    sdkMethod: 'actions.triggers.bindings.list',
    call: (f) => f.sdk.actions.triggers.bindings.list('post-login', { page: 0, per_page: 20 }),
    check: (page, f) =>
      expect((page as { data: Array<{ action?: { id?: string } }> }).data.map((b) => b.action?.id)).toContain(
        f.boundActionId,
      ),
  },
  {
    kind: 'error',
    endpoint: 'GET /actions/triggers/{triggerId}/bindings',
    users: ['provider', 'recovery', 'adopt'],
    what: 'an unknown trigger',
    sdkMethod: 'actions.triggers.bindings.list',
    call: (f) => f.sdk.actions.triggers.bindings.list('no-such-trigger' as never),
    answer: { status: 400, message: PATH, errorCode: 'invalid_uri' },
  },
  {
    kind: 'success',
    endpoint: 'PATCH /actions/triggers/{triggerId}/bindings',
    users: ['provider'],
    what: 'the whole ordered list, by reference to the action id',
    sdkMethod: 'actions.triggers.bindings.updateMany',
    call: (f) =>
      f.sdk.actions.triggers.bindings.updateMany('post-login', {
        bindings: [{ ref: { type: 'action_id', value: f.boundActionId }, display_name: f.boundActionName }],
      }),
    check: (result, f) =>
      expect(
        (result as { bindings: Array<{ action: { id: string } }> }).bindings.map((b) => b.action.id),
      ).toEqual([f.boundActionId]),
  },
  {
    kind: 'error',
    endpoint: 'PATCH /actions/triggers/{triggerId}/bindings',
    users: ['provider'],
    what: 'an action that was never deployed',
    sdkMethod: 'actions.triggers.bindings.updateMany',
    call: (f) =>
      f.sdk.actions.triggers.bindings.updateMany('post-login', {
        bindings: [{ ref: { type: 'action_id', value: f.draftActionId } }],
      }),
    answer: {
      status: 400,
      message: 'Trying to create a binding for an action that has not been deployed yet.',
      errorCode: null,
    },
  },
  {
    kind: 'error',
    endpoint: 'PATCH /actions/triggers/{triggerId}/bindings',
    users: ['provider'],
    what: 'a reference to no action',
    sdkMethod: 'actions.triggers.bindings.updateMany',
    call: (f) =>
      f.sdk.actions.triggers.bindings.updateMany('post-login', {
        bindings: [{ ref: { type: 'action_id', value: '00000000-0000-4000-8000-000000000000' } }],
      }),
    answer: { status: 400, message: /does not exist/, errorCode: 'inexistent_action' },
  },

  // ---- users ---------------------------------------------------------------------------------
  {
    kind: 'success',
    endpoint: 'POST /users',
    users: ['provider'],
    what: 'a database user with the flag in user_metadata',
    sdkMethod: 'users.create',
    call: (f) =>
      f.sdk.users.create({
        connection: DB,
        email: `${f.unique('created')}@example.com`,
        password: 'Contract-Passw0rd!',
        user_metadata: { use_mfa: true },
      }),
    check: ok(expectShape({ user_id: expect.stringMatching(/^auth0\|/), user_metadata: { use_mfa: true } })),
  },
  {
    kind: 'error',
    endpoint: 'POST /users',
    users: ['provider'],
    what: 'an email the connection already has',
    sdkMethod: 'users.create',
    call: (f) =>
      f.sdk.users.create({
        connection: DB,
        email: 'contract-flagged@example.com',
        password: 'Contract-Passw0rd!',
      }),
    answer: { status: 409, message: 'The user already exists.', errorCode: 'auth0_idp_error' },
  },
  {
    kind: 'error',
    endpoint: 'POST /users',
    users: ['provider'],
    what: 'an unknown connection',
    sdkMethod: 'users.create',
    call: (f) =>
      f.sdk.users.create({
        connection: 'No-Such-Connection',
        email: 'x@example.com',
        password: 'Contract-Passw0rd!',
      }),
    answer: { status: 400, message: 'The connection does not exist.', errorCode: 'inexistent_connection' },
  },
  {
    kind: 'error',
    endpoint: 'POST /users',
    users: ['provider'],
    what: 'a password under the policy',
    sdkMethod: 'users.create',
    call: (f) =>
      f.sdk.users.create({ connection: DB, email: `${f.unique('weak')}@example.com`, password: 'short' }),
    answer: {
      status: 400,
      message: 'PasswordStrengthError: Password is too weak',
      errorCode: 'invalid_password',
    },
  },
  {
    kind: 'success',
    endpoint: 'GET /users/{id}',
    users: ['provider', 'mfa tool'],
    what: 'a user by id',
    sdkMethod: 'users.get',
    call: (f) => f.sdk.users.get(f.userId),
    check: (result, f) =>
      expect(result).toMatchObject({ user_id: f.userId, email: 'contract-flagged@example.com' }),
  },
  {
    kind: 'error',
    endpoint: 'GET /users/{id}',
    users: ['provider', 'mfa tool'],
    what: 'an unknown id',
    sdkMethod: 'users.get',
    call: (f) => f.sdk.users.get('auth0|no-such-user'),
    answer: { status: 404, message: 'The user does not exist.', errorCode: 'inexistent_user' },
  },
  {
    kind: 'success',
    endpoint: 'PATCH /users/{id}',
    users: ['provider', 'mfa tool'],
    what: 'the flag off (metadata merges at the top level)',
    sdkMethod: 'users.update',
    call: (f) => f.sdk.users.update(f.userId, { user_metadata: { use_mfa: false } }),
    check: ok(expectShape({ user_metadata: { use_mfa: false } })),
  },
  {
    kind: 'error',
    endpoint: 'PATCH /users/{id}',
    users: ['provider', 'mfa tool'],
    what: 'an unknown id',
    sdkMethod: 'users.update',
    call: (f) => f.sdk.users.update('auth0|no-such-user', { user_metadata: { use_mfa: true } }),
    answer: { status: 404, message: 'The user does not exist.', errorCode: 'inexistent_user' },
  },
  {
    kind: 'error',
    endpoint: 'PATCH /users/{id}',
    users: ['provider', 'mfa tool'],
    what: 'email_verified that is not a boolean',
    sdkMethod: 'users.update',
    call: (f) => f.sdk.users.update(f.userId, { email_verified: 'yes' as never }),
    answer: { status: 400, message: PAYLOAD, errorCode: 'invalid_body' },
  },
  {
    kind: 'success',
    endpoint: 'DELETE /users/{id}',
    users: ['provider'],
    what: 'an unknown id is 204 too, as on Auth0',
    sdkMethod: 'users.delete',
    call: (f) => f.sdk.users.delete('auth0|no-such-user'),
    check: () => undefined,
  },
  {
    kind: 'success',
    endpoint: 'GET /users',
    users: ['mfa tool'],
    what: 'search v3 with totals and only the fields asked for',
    sdkMethod: 'users.list',
    call: (f) =>
      f.sdk.users.list({
        q: 'email:"contract-flagged@example.com"',
        search_engine: 'v3',
        include_totals: true,
        fields: 'user_id,email',
        include_fields: true,
      }),
    check: (page, f) =>
      expect(response(page)).toEqual({
        start: 0,
        limit: 50,
        length: 1,
        total: 1,
        users: [{ user_id: f.userId, email: 'contract-flagged@example.com' }],
      }),
  },
  {
    kind: 'error',
    endpoint: 'GET /users',
    users: ['mfa tool'],
    what: 'a retired search engine',
    sdkMethod: 'users.list',
    call: (f) => f.sdk.users.list({ q: 'email:x', search_engine: 'v2' }),
    answer: { status: 400, message: /search_engine=v3/, errorCode: 'operation_not_supported' },
  },
  {
    kind: 'error',
    endpoint: 'GET /users',
    users: ['mfa tool'],
    what: 'paging past the first 1000 results',
    sdkMethod: 'users.list',
    call: (f) => f.sdk.users.list({ q: 'email:*', page: 20, per_page: 50 }),
    answer: {
      status: 400,
      message: 'You can only page through the first 1000 records.',
      errorCode: 'invalid_paging',
    },
  },
  {
    kind: 'success',
    endpoint: 'GET /users-by-email',
    users: ['mfa tool', 'recovery'],
    what: 'the users of one email',
    sdkMethod: 'users.listUsersByEmail',
    call: (f) => f.sdk.users.listUsersByEmail({ email: 'contract-flagged@example.com' }),
    check: (result, f) =>
      expect((result as Array<{ user_id: string }>).map((u) => u.user_id)).toEqual([f.userId]),
  },
  {
    kind: 'success',
    endpoint: 'GET /users-by-email',
    users: ['mfa tool', 'recovery'],
    what: 'another case of the email finds no one (the lookup is case-sensitive, as Auth0 documents)',
    sdkMethod: 'users.listUsersByEmail',
    call: (f) => f.sdk.users.listUsersByEmail({ email: 'Contract-Flagged@example.com' }),
    check: (result) => expect(result).toEqual([]),
  },
  {
    kind: 'error',
    endpoint: 'GET /users-by-email',
    users: ['mfa tool', 'recovery'],
    what: 'an empty email',
    sdkMethod: 'users.listUsersByEmail',
    call: (f) => f.sdk.users.listUsersByEmail({ email: '' }),
    answer: { status: 400, message: QUERY, errorCode: 'invalid_query_string' },
  },
  {
    kind: 'success',
    endpoint: 'GET /users/{id}/authentication-methods',
    users: ['mfa tool'],
    what: 'with totals, as the mfa tool pages them',
    sdkMethod: 'users.authenticationMethods.list',
    call: (f) =>
      f.sdk.users.authenticationMethods.list(f.userId, { page: 0, per_page: 100, include_totals: true }),
    check: (page) =>
      expect(response(page)).toEqual({
        start: 0,
        limit: 100,
        total: 1,
        authenticators: [expect.objectContaining({ type: 'recovery-code' })],
      }),
  },
  {
    kind: 'error',
    endpoint: 'GET /users/{id}/authentication-methods',
    users: ['mfa tool'],
    what: 'an unknown user',
    sdkMethod: 'users.authenticationMethods.list',
    call: (f) => f.sdk.users.authenticationMethods.list('auth0|no-such-user'),
    answer: { status: 404, message: 'The user does not exist.', errorCode: 'inexistent_user' },
  },
  {
    kind: 'success',
    endpoint: 'POST /users/{id}/multifactor/actions/invalidate-remember-browser',
    users: ['mfa tool'],
    what: 'forget remembered browsers',
    sdkMethod: 'users.multifactor.invalidateRememberBrowser',
    call: (f) => f.sdk.users.multifactor.invalidateRememberBrowser(f.userId),
    check: () => undefined,
  },
  {
    kind: 'error',
    endpoint: 'POST /users/{id}/multifactor/actions/invalidate-remember-browser',
    users: ['mfa tool'],
    what: 'an unknown user',
    sdkMethod: 'users.multifactor.invalidateRememberBrowser',
    call: (f) => f.sdk.users.multifactor.invalidateRememberBrowser('auth0|no-such-user'),
    answer: { status: 404, message: 'The user does not exist.', errorCode: 'inexistent_user' },
    differs:
      "the SDK documents 400, 401 and 403 only; Auth0's answer for an unknown user is in no public source, so the " +
      "tenant answers as for the user's other routes",
  },
  {
    kind: 'success',
    endpoint: 'DELETE /users/{id}/authentication-methods',
    users: ['mfa tool'],
    what: "reset a user's MFA",
    sdkMethod: 'users.authenticationMethods.deleteAll',
    call: async (f) => {
      await f.sdk.users.authenticationMethods.deleteAll(f.userId);
      return f.sdk.users.authenticationMethods.list(f.userId);
    },
    check: (page) => expect((page as { data: unknown[] }).data).toEqual([]),
  },
  {
    kind: 'error',
    endpoint: 'DELETE /users/{id}/authentication-methods',
    users: ['mfa tool'],
    what: 'an unknown user',
    sdkMethod: 'users.authenticationMethods.deleteAll',
    call: (f) => f.sdk.users.authenticationMethods.deleteAll('auth0|no-such-user'),
    answer: { status: 404, message: 'The user does not exist.', errorCode: 'inexistent_user' },
    differs:
      "the SDK documents no 404 for a reset; Auth0's answer for an unknown user is in no public source, so the " +
      "tenant answers as for the user's other routes",
  },

  // ---- tenant settings -----------------------------------------------------------------------
  {
    kind: 'success',
    endpoint: 'GET /tenants/settings',
    users: ['provider', 'adopt'],
    what: 'the settings (phone_consolidated_experience decides the phone provider)',
    sdkMethod: 'tenants.settings.get',
    call: (f) => f.sdk.tenants.settings.get(),
    check: ok(expectShape({ flags: expect.any(Object) })),
  },
  {
    kind: 'error',
    endpoint: 'GET /tenants/settings',
    users: ['provider', 'adopt'],
    what: 'include_fields that is not a boolean',
    sdkMethod: 'tenants.settings.get',
    call: (f) => f.sdk.tenants.settings.get({ fields: 'flags', include_fields: 'yes' as never }),
    answer: { status: 400, message: QUERY, errorCode: 'invalid_query_string' },
  },

  // ---- what the mfa tool's selections read, which the tenant does not model ------------------
  ...(
    [
      ['GET /roles', 'roles by name (--role)', (f) => f.sdk.roles.list({ name_filter: 'admins' })],
      ['GET /roles/{id}/users', 'the members of a role', (f) => f.sdk.roles.users.list('rol_contract')],
      [
        'GET /organizations/name/{name}',
        'an organization by name (--organization)',
        (f) => f.sdk.organizations.getByName('acme'),
      ],
      [
        'GET /organizations/{id}/members',
        'the members of an organization',
        (f) => f.sdk.organizations.members.list('org_contract'),
      ],
    ] satisfies Array<[string, string, Row['call']]>
  ).map(
    ([endpoint, what, call]): NotServedRow => ({
      kind: 'not served',
      endpoint,
      users: ['mfa tool'],
      what,
      why: NOT_SERVED_WHY,
      call,
    }),
  ),
];
