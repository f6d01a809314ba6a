// Login cost on the local tenant: password-realm logins of an unflagged user (tokens issued) with no
// Action bound, with our conditional-MFA Action, and with ours plus a second Action; p50/p99 of
// sequential logins, logins/s with 4 at once, and what a cold Action worker adds (a new deployed
// version starts a new Node process). The floor is the no-Action phase of the same run.
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startLocalTenant, TenantClient } from '@auth0-mfa/local-tenant';
import { DEFAULT_SETTINGS } from '../../actions/conditional-mfa';
import { privateFolder } from '../../ops/stack-command/interrupts';
import { FLAG } from '../../src/config/vocabulary';
import { conditionalMfaCode } from '../../src/stack/conditional-mfa-action';

const PASSWORD = 'Bench-Passw0rd!';
const SECOND_ACTION = `exports.onExecutePostLogin = async (event, api) => {
  api.idToken.setCustomClaim('https://bench.example/logins', event.stats.logins_count);
};`;

export interface LoginPhase {
  phase: string;
  p50: number;
  p99: number;
  sequentialPerSecond: number;
  concurrentPerSecond: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export async function benchLogins(rounds: number): Promise<LoginPhase[]> {
  const { path: work, remove: removeFolder } = privateFolder('bench-logins-');
  const tenant = await startLocalTenant({ dir: join(work, 'tenant'), port: 0, quiet: true });
  const api = new TenantClient(tenant);
  try {
    await api.createUser('bench@bench.example', { password: PASSWORD, user_metadata: { [FLAG]: false } });
    const form = new URLSearchParams({
      grant_type: 'http://auth0.com/oauth/grant-type/password-realm',
      client_id: tenant.env.LOCAL_TENANT_APP_CLIENT_ID,
      client_secret: tenant.env.LOCAL_TENANT_APP_CLIENT_SECRET,
      username: 'bench@bench.example',
      password: PASSWORD,
      realm: 'Username-Password-Authentication',
      scope: 'openid profile email',
    }).toString();
    const login = async () => {
      const start = performance.now();
      const reply = await api.raw('POST', '/oauth/token', {
        raw: form,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      if (reply.status !== 200) throw new Error(`login failed: ${reply.status} ${reply.text}`);
      return performance.now() - start;
    };
    const ours = await api.createAction('conditional-mfa', conditionalMfaCode(DEFAULT_SETTINGS));
    const second = await api.createAction('second', SECOND_ACTION);

    // Phases run in interleaved blocks, so the machine's noise falls on all of them alike.
    const setups = [
      { phase: 'no Action', bound: [] as string[] },
      { phase: 'our Action', bound: [ours] },
      { phase: 'our Action + a second', bound: [ours, second] },
    ];
    const times = setups.map(() => [] as number[]);
    const block = 10;
    for (let done = 0; done < rounds; done += block) {
      for (const [i, setup] of setups.entries()) {
        await api.bind('post-login', setup.bound);
        await login(); // the first login after a rebind is not timed
        for (let j = 0; j < block; j++) times[i].push(await login());
      }
    }
    const phases: LoginPhase[] = [];
    for (const [i, setup] of setups.entries()) {
      await api.bind('post-login', setup.bound);
      const concurrentStart = performance.now();
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          for (let j = 0; j < rounds / 4; j++) await login();
        }),
      );
      const concurrentSeconds = (performance.now() - concurrentStart) / 1000;
      const sorted = [...times[i]].sort((a, b) => a - b);
      const total = sorted.reduce((a, b) => a + b, 0) / 1000;
      phases.push({
        phase: setup.phase,
        p50: percentile(sorted, 50),
        p99: percentile(sorted, 99),
        sequentialPerSecond: sorted.length / total,
        concurrentPerSecond: rounds / concurrentSeconds,
      });
    }

    // A cold worker: each redeploy is a new version, whose first login starts a new process.
    const cold: number[] = [];
    for (let i = 0; i < 5; i++) {
      await api.patch(`/api/v2/actions/actions/${second}`, { code: `${SECOND_ACTION}\n// v${i}` });
      await api.post(`/api/v2/actions/actions/${second}/deploy`);
      cold.push(await login());
    }
    cold.sort((a, b) => a - b);
    const warm = phases[2].p50;

    console.log('logins against the local tenant (password-realm, unflagged user, tokens issued)');
    console.log('  phase                     p50 ms   p99 ms   logins/s (1)   logins/s (4 at once)');
    for (const p of phases) {
      console.log(
        `  ${p.phase.padEnd(24)} ${p.p50.toFixed(1).padStart(7)} ${p.p99.toFixed(1).padStart(8)} ${p.sequentialPerSecond.toFixed(0).padStart(14)} ${p.concurrentPerSecond.toFixed(0).padStart(22)}`,
      );
    }
    const ratio = phases[1].p50 / phases[0].p50;
    console.log(`  our Action / no Action at p50: ${ratio.toFixed(2)}x (target <= 2x)`);
    console.log(
      `  cold worker: first login after a deploy ${percentile(cold, 50).toFixed(0)} ms (median of 5), ${(percentile(cold, 50) - warm).toFixed(0)} ms more than warm`,
    );
    return phases;
  } finally {
    await tenant.stop();
    removeFolder();
  }
}
