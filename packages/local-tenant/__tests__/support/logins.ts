// Test support for logins: the tenant the login tests share (OTP enabled, a flagged and a plain
// user) and binding post-login Actions by their code.
import { type Reply, TEST_USER_PASSWORD, type TenantClient } from '../../src/client';
import { type TestTenant, useTestTenant } from './tenant';

/** The product's rule in short: MFA for users whose user_metadata.use_mfa is true, not on refresh. */
export const FLAG_ACTION = `
exports.onExecutePostLogin = async (event, api) => {
  if (event.transaction && event.transaction.protocol === 'oauth2-refresh-token') return;
  const flagged = event.user.user_metadata && event.user.user_metadata.use_mfa === true;
  if (flagged) api.multifactor.enable('any', { allowRememberBrowser: false });
};
`;

/** OTP enabled; flagged@example.com has use_mfa true, plain@example.com false. */
export async function seedLoginUsers(client: TenantClient): Promise<void> {
  await client.put('/api/v2/guardian/factors/otp', { enabled: true });
  await client.createUser('flagged@example.com', { user_metadata: { use_mfa: true } });
  await client.createUser('plain@example.com', { user_metadata: { use_mfa: false } });
}

/** A tenant for the file's login tests, seeded once; after each test nothing is bound and the policy is never. */
export function useLoginTenant(): TestTenant {
  const t = useTestTenant({ setup: ({ client }) => seedLoginUsers(client) });
  afterEach(async () => {
    await t.client.bind('post-login', []);
    await t.client.put('/api/v2/guardian/policies', []);
  });
  return t;
}

let counter = 0;

/** Creates one Action per code (named action-N) and binds them to post-login in order; answers their names. */
export async function bindActions(t: TestTenant, ...codes: string[]): Promise<string[]> {
  const names: string[] = [];
  const ids: string[] = [];
  for (const code of codes) {
    const name = `action-${++counter}`;
    ids.push(await t.client.createAction(name, code));
    names.push(name);
  }
  const reply = await t.client.bind('post-login', ids);
  if (reply.status !== 200) throw new Error(reply.text);
  return names;
}

/** A password-realm login of a seeded user with the tenant's login application (the bound Actions run). */
export function passwordRealmLogin(t: TestTenant, username: string): Promise<Reply> {
  const form = new URLSearchParams({
    grant_type: 'http://auth0.com/oauth/grant-type/password-realm',
    client_id: t.tenant.env.LOCAL_TENANT_APP_CLIENT_ID,
    client_secret: t.tenant.env.LOCAL_TENANT_APP_CLIENT_SECRET,
    username,
    password: TEST_USER_PASSWORD,
    realm: 'Username-Password-Authentication',
    scope: 'openid email',
  });
  return t.client.raw('POST', '/oauth/token', {
    raw: form.toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
}
