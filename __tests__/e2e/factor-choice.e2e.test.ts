// Choosing the factor (mfa.challenge) and scoping MFA by application (mfa.applications), deployed with the real
// Terraform and provider to the local tenant, and judged by logins that run the deployed Action.
import { simulateLogin } from '@auth0-mfa/local-tenant';
import { apply, type E2eEnvironment, init, plan, startE2e } from './harness';

jest.setTimeout(300_000);

const USERS = [
  { email: 'alice@example.com', useMfa: true },
  { email: 'bob@example.com', useMfa: false },
];
const FACTORS = { factors: ['otp', 'email'], challenge: ['email', 'otp'] };

describe('factor choice and application scope against the local tenant', () => {
  let e2e: E2eEnvironment;
  // The simulated logins come from the tenant's own client: the application whose scope is tested.
  let clientId: string;

  beforeAll(async () => {
    e2e = await startE2e('scope');
    clientId = e2e.tenant.clientId;
  });
  afterAll(async () => {
    await e2e?.tenant.stop();
  });

  const login = async (email: string) => (await simulateLogin(e2e.tenant, { email })).mfa;

  it('a trusted application (all but the listed) logs in without MFA, even with the flag on', async () => {
    e2e.synth({ mfa: { ...FACTORS, applications: { except: [clientId] } }, users: USERS });
    await init(e2e);
    await apply(e2e);
    expect((await login('alice@example.com')).required).toBe(false);
  });

  it('a listed application (only these) challenges flagged users with exactly the chosen factors', async () => {
    e2e.synth({ mfa: { ...FACTORS, applications: { only: [clientId] } }, users: USERS });
    const { changes } = await plan(e2e);
    expect(changes.map((c) => [c.type, c.change.actions])).toEqual([['auth0_action', ['update']]]);
    await apply(e2e);
    expect(await login('alice@example.com')).toEqual({
      required: true,
      provider: 'any',
      options: { challengeWithAny: [{ type: 'email' }, { type: 'otp' }] },
    });
    expect((await login('bob@example.com')).required).toBe(false);
  });

  it('another application is not in scope', async () => {
    e2e.synth({ mfa: { ...FACTORS, applications: { only: ['SomeOtherAppClientId'] } }, users: USERS });
    await apply(e2e);
    expect((await login('alice@example.com')).required).toBe(false);
    expect((await plan(e2e)).code).toBe(0);
  });
});
