// The official auth0 SDK 7 against the local tenant: every Management API call of the provider, the mfa tool,
// recovery and adopt (the rows of sdk-contract/cases.ts), success and error paths, judged against what the
// SDK documents for each method. Each endpoint also meets a refused token. The run ends with the tally per
// user: tried, as documented, differs (why), not served.
import { readFileSync } from 'node:fs';
import { STATUS_CODES } from 'node:http';
import { DEFAULT_RATE_LIMIT, fetchTrusting } from '@auth0-mfa/local-tenant';
import { Management, ManagementClient, ManagementError } from 'auth0';
import {
  type Answer,
  type Consumer,
  type ContractRow,
  type ErrorRow,
  type Fixture,
  ROWS,
} from './sdk-contract/cases';
import { documentedErrors, documentedStatuses } from './sdk-contract/documented';
import { startTestTenant, type TestTenant } from './test-tenant';

jest.setTimeout(60_000);

type Outcome =
  | { kind: 'as documented' }
  | { kind: 'differs'; why: string }
  | { kind: 'not served'; why: string };

const CODE = 'exports.onExecutePostLogin = async (event, api) => {};';
/** A JWT this tenant never signed: what a client holding a stale or foreign token sends. */
const FOREIGN_TOKEN = [
  Buffer.from('{"alg":"RS256","typ":"JWT"}').toString('base64url'),
  Buffer.from('{"sub":"someone@clients","exp":4102444800}').toString('base64url'),
  'c2lnbmF0dXJl',
].join('.');

let t: TestTenant;
let fixture: Fixture;
let refused: Fixture;
const outcomes: Array<{ row: ContractRow; outcome: Outcome }> = [];

beforeAll(async () => {
  t = await startTestTenant();
  const fetch = fetchTrusting(readFileSync(t.tenant.caFile)) as typeof globalThis.fetch;
  // The SDK's own retries off, so a 429 or 5xx reaches the row that expects it.
  const common = { domain: t.tenant.domain, fetch, maxRetries: 0 };
  const clientWith = (clientSecret: string) =>
    new ManagementClient({ ...common, clientId: t.tenant.clientId, clientSecret });
  const api = t.client;
  const userId = await api.createUser('contract-flagged@example.com', { user_metadata: { use_mfa: true } });
  const enrolled = await api.post(`/api/v2/users/${encodeURIComponent(userId)}/recovery-code-regeneration`);
  if (enrolled.status !== 200) throw new Error(`recovery code: ${enrolled.status} ${enrolled.text}`);
  const boundActionName = 'contract-bound';
  const boundActionId = await api.createAction(boundActionName, CODE);
  const bound = await api.bind('post-login', [boundActionId]);
  if (bound.status !== 200) throw new Error(`bind: ${bound.status} ${bound.text}`);
  const draftActionId = await api.createAction('contract-draft', CODE, { deploy: false });
  const role = await api.call<{ id: string; name: string }>('POST', '/roles', { name: 'Contract Admins' });
  await api.call('POST', `/roles/${role.id}/users`, { users: [userId] });
  const organization = await api.call<{ id: string; name: string }>('POST', '/organizations', {
    name: 'contract-org',
  });
  await api.call('POST', `/organizations/${organization.id}/members`, { members: [userId] });
  let serial = 0;
  fixture = {
    sdk: clientWith(t.tenant.clientSecret),
    api,
    clientWith,
    async exhaustRateLimit() {
      t.tenant.setRateLimit({ perSecond: 0.001, burst: 1 });
      await api.get('/api/v2/guardian/policies');
      return () => t.tenant.setRateLimit(DEFAULT_RATE_LIMIT);
    },
    userId,
    boundActionId,
    boundActionName,
    draftActionId,
    role,
    organization,
    unique: (prefix) => `${prefix}-${++serial}`,
  };
  refused = {
    ...fixture,
    sdk: new ManagementClient({ ...common, token: FOREIGN_TOKEN }),
    token: FOREIGN_TOKEN,
  };
});

afterAll(async () => {
  if (outcomes.length > 0) console.log(tally(outcomes));
  await t?.cleanup();
});

/** The status and body of what a call threw: the SDK's ManagementError, or a raw call's error. */
function answerOf(error: unknown): { status: number; body: Record<string, unknown>; error: unknown } {
  const { statusCode, body } = error as { statusCode?: number; body?: unknown };
  if (typeof statusCode !== 'number') throw error;
  return { status: statusCode, body: (body ?? {}) as Record<string, unknown>, error };
}

/** The SDK turns a documented status into its typed error (404: NotFoundError), any other into ManagementError. */
function expectTypedError(sdkMethod: string, status: number, error: unknown): void {
  expect(error).toBeInstanceOf(ManagementError);
  const typed = documentedErrors(sdkMethod).get(status);
  if (typed)
    expect((error as object).constructor).toBe((Management as unknown as Record<string, unknown>)[typed]);
}

async function failure(row: ContractRow, f: Fixture) {
  let result: unknown;
  try {
    result = await row.call(f);
  } catch (error) {
    return answerOf(error);
  }
  throw new Error(`${row.endpoint} (${row.what}) succeeded: ${JSON.stringify(result)?.slice(0, 300)}`);
}

function expectBody(body: Record<string, unknown>, answer: Answer): void {
  const message = answer.oauth ? body.error_description : body.message;
  if (answer.message instanceof RegExp) expect(message).toMatch(answer.message);
  else expect(message).toBe(answer.message);
  if (answer.oauth) {
    expect(body.error).toBe(answer.errorCode);
    return;
  }
  expect(body.statusCode).toBe(answer.status);
  expect(body.error).toBe(STATUS_CODES[answer.status]);
  if (answer.errorCode === null) expect(body).not.toHaveProperty('errorCode');
  else expect(body.errorCode).toBe(answer.errorCode);
}

function documented(row: ErrorRow): number[] {
  if (row.sdkMethod) return documentedStatuses(row.sdkMethod);
  if (!row.documented) throw new Error(`${row.endpoint}: a raw call must say what Auth0 documents`);
  return row.documented;
}

async function judge(row: ContractRow, f: Fixture): Promise<Outcome> {
  if (row.kind === 'not served') {
    const { status, body } = await failure(row, f);
    expect({ status, body }).toEqual({
      status: 404,
      body: { statusCode: 404, error: 'Not Found', message: 'Not Found' },
    });
    return { kind: 'not served', why: row.why };
  }
  if (row.kind === 'success') {
    if (row.sdkMethod) documentedStatuses(row.sdkMethod); // the method exists in the SDK
    row.check(await row.call(f), f);
    return { kind: 'as documented' };
  }
  const { status, body, error } = await failure(row, f);
  expect(status).toBe(row.answer.status);
  expectBody(body, row.answer);
  if (row.sdkMethod) expectTypedError(row.sdkMethod, status, error);
  const listed = documented(row).includes(status);
  if (listed && row.differs)
    throw new Error(`${row.endpoint}: ${status} is documented, yet the row says it differs`);
  if (!listed && !row.differs)
    throw new Error(
      `${row.endpoint} (${row.what}): ${status} is not among ${documented(row)} and no reason is given`,
    );
  return row.differs ? { kind: 'differs', why: row.differs } : { kind: 'as documented' };
}

/** Every endpoint a success row reaches, called with a token the tenant never issued. */
function refusedTokenRows(): ErrorRow[] {
  const seen = new Set<string>();
  const rows: ErrorRow[] = [];
  for (const row of ROWS) {
    if (row.kind !== 'success' || seen.has(row.endpoint)) continue;
    seen.add(row.endpoint);
    rows.push({
      kind: 'error',
      endpoint: row.endpoint,
      users: row.users,
      what: 'a token this tenant never issued',
      sdkMethod: row.sdkMethod,
      documented: row.sdkMethod ? undefined : [401],
      call: row.call,
      answer: { status: 401, message: 'Invalid token', errorCode: null },
    });
  }
  return rows;
}

describe.each(ROWS.map((row) => [`${row.endpoint}: ${row.what}`, row] as const))('%s', (_name, row) => {
  it(
    row.kind === 'not served'
      ? 'is not served'
      : `answers ${row.kind === 'success' ? 'as the SDK documents' : row.answer.status}`,
    async () => {
      outcomes.push({ row, outcome: await judge(row, fixture) });
    },
  );
});

describe.each(
  refusedTokenRows().map((row) => [row.endpoint, row] as const),
)('%s with a refused token', (_name, row) => {
  it("answers Auth0's 401", async () => {
    const outcome = await judge(row, refused);
    const { body } = await failure(row, refused);
    expect(body.attributes).toEqual({ error: 'Invalid token' });
    outcomes.push({ row, outcome });
  });
});

/** Calls tried per user of the SDK, and how each came out. */
function tally(results: typeof outcomes): string {
  const consumers: Consumer[] = ['provider', 'mfa tool', 'recovery', 'adopt'];
  const lines = ['auth0 SDK 7 contract with the local tenant (calls tried, by the code that makes them):'];
  const count = (of: typeof outcomes) => {
    const by = (kind: Outcome['kind']) => of.filter((r) => r.outcome.kind === kind).length;
    const endpoints = new Set(of.map((r) => r.row.endpoint)).size;
    return `${of.length} calls on ${endpoints} endpoints: ${by('as documented')} as documented, ${by('differs')} differ, ${by('not served')} not served`;
  };
  for (const consumer of consumers)
    lines.push(`  ${consumer}: ${count(results.filter((r) => r.row.users.includes(consumer)))}`);
  lines.push(`  all: ${count(results)}`);
  for (const { row, outcome } of results) {
    if (outcome.kind !== 'as documented')
      lines.push(`  ${outcome.kind}: ${row.endpoint} (${row.what}): ${outcome.why}`);
  }
  return lines.join('\n');
}
