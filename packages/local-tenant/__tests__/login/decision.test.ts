// The simulator (sandbox) and the real logins (Action workers) decide a login's outcome by one rule:
// a failed Action, then a denial, then MFA from an Action (provider none: none) or the policy.
import { simulateLogin } from '../../src';
import { bindActions, useLoginTenant } from '../support/logins';

const t = useLoginTenant();

const action = (body: string) => `exports.onExecutePostLogin = async (event, api) => { ${body} };`;

function passwordRealm() {
  return t.client.raw('POST', '/oauth/token', {
    raw: new URLSearchParams({
      client_id: t.tenant.env.LOCAL_TENANT_APP_CLIENT_ID,
      client_secret: t.tenant.env.LOCAL_TENANT_APP_CLIENT_SECRET,
      grant_type: 'http://auth0.com/oauth/grant-type/password-realm',
      username: 'plain@example.com',
      password: 'Corr3ct-Horse-Battery',
      realm: 'Username-Password-Authentication',
      scope: 'openid',
    }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
}

type Outcome = 'complete' | 'mfa' | 'denied' | 'failed';

it.each<{ what: string; code?: string; policy: string[]; outcome: Outcome }>([
  { what: 'no Action, policy never', policy: [], outcome: 'complete' },
  { what: 'no Action, policy all-applications', policy: ['all-applications'], outcome: 'mfa' },
  {
    what: "an Action's provider none over policy all-applications",
    code: action("api.multifactor.enable('none');"),
    policy: ['all-applications'],
    outcome: 'complete',
  },
  {
    what: 'an Action enabling MFA',
    code: action("api.multifactor.enable('any');"),
    policy: [],
    outcome: 'mfa',
  },
  {
    what: 'a denial after MFA was enabled',
    code: action("api.multifactor.enable('any'); api.access.deny('Not today');"),
    policy: ['all-applications'],
    outcome: 'denied',
  },
  {
    what: 'an Action that throws after enabling MFA',
    code: action("api.multifactor.enable('any'); throw new Error('backend down');"),
    policy: [],
    outcome: 'failed',
  },
])('$what: both paths decide $outcome', async ({ code, policy, outcome }) => {
  if (code) await bindActions(t, code);
  await t.client.put('/api/v2/guardian/policies', policy);

  const simulated = await simulateLogin(t.tenant, { email: 'plain@example.com', persist: false });
  const simulatedOutcome: Outcome = simulated.error
    ? 'failed'
    : simulated.denied
      ? 'denied'
      : simulated.mfa.required
        ? 'mfa'
        : 'complete';
  expect(simulatedOutcome).toBe(outcome);

  const reply = await passwordRealm();
  const realOutcome: Outcome =
    reply.status === 200
      ? 'complete'
      : reply.body.error === 'mfa_required'
        ? 'mfa'
        : reply.body.error_description === 'Not today'
          ? 'denied'
          : 'failed';
  expect(realOutcome).toBe(outcome);
  if (outcome === 'failed')
    expect(reply.body).toEqual({ error: 'access_denied', error_description: 'backend down' });
});
