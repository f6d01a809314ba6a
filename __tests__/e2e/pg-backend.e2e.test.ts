// The pg state backend for real: PostgreSQL (scripts/ci/postgres.sh), Terraform and the auth0 provider
// against the local tenant, driven by the project's own deploy and drift programs (what CI runs).
// Two deploys started together: exactly one gets the state lock, the other stops with Terraform's
// "Error acquiring the state lock", and the tenant ends with nothing duplicated.
//
// Deterministic without timing: the tenant sits behind a gate that holds new connections. With the
// gate closed the lock holder is stuck in its refresh (it needs the tenant), so the other deploy
// meets the held lock for sure; the gate opens once that one has failed.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { type LocalTenant, startLocalTenant, TenantClient } from '@auth0-mfa/local-tenant';
import { type RunResult, run } from '../../ops/stack-command/terraform';
import { PROJECT_ROOT } from '../../src/paths';
import { tempDir } from '../support/temp-dirs';
import { freePort, requireTools, viewTenant } from './harness';

/** What the npm scripts of the commands run: the cached bundle of the command. */
const LAUNCHER = join(PROJECT_ROOT, 'scripts', 'app', 'run.mjs');

jest.setTimeout(300_000);

const SCHEMA = 'auth0_pg_e2e';
const SEED_PASSWORD = 'Pg-E2e-Passw0rd!';
const POSTGRES_SCRIPT = join(PROJECT_ROOT, 'scripts', 'ci', 'postgres.sh');

/** A TCP pass-through to the tenant that can hold new connections (TLS goes through untouched). */
class Gate {
  private server: Server;
  private held: (() => void)[] = [];
  private closed = false;
  private sockets = new Set<Socket>();
  connections = 0;
  port = 0;

  constructor(private readonly target: number) {
    this.server = createServer((client) => {
      this.connections++;
      this.sockets.add(client);
      client.on('close', () => this.sockets.delete(client));
      const forward = () => {
        const upstream = connect(this.target, '127.0.0.1');
        this.sockets.add(upstream);
        upstream.on('close', () => this.sockets.delete(upstream));
        client.pipe(upstream).on('error', () => client.destroy());
        upstream.pipe(client).on('error', () => upstream.destroy());
        client.on('error', () => upstream.destroy());
        upstream.on('error', () => client.destroy());
      };
      // An unread socket buffers what the client sends until it is piped.
      if (this.closed) this.held.push(forward);
      else forward();
    });
  }

  listen(): Promise<void> {
    return new Promise((resolve) =>
      this.server.listen(0, '127.0.0.1', () => {
        this.port = (this.server.address() as { port: number }).port;
        resolve();
      }),
    );
  }

  hold(): void {
    this.closed = true;
  }

  release(): void {
    this.closed = false;
    for (const forward of this.held.splice(0)) forward();
  }

  stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function sh(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(command, args, { env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 127) : 0;
      resolve({ code, stdout, stderr: stderr || (error && !stdout ? error.message : '') });
    });
  });
}

function findPsql(): string {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(join(dir, 'psql'))) return join(dir, 'psql');
  }
  const versions = existsSync('/usr/lib/postgresql')
    ? readdirSync('/usr/lib/postgresql').sort().reverse()
    : [];
  for (const v of versions) {
    const psql = join('/usr/lib/postgresql', v, 'bin', 'psql');
    if (existsSync(psql)) return psql;
  }
  throw new Error(
    'psql not found (PATH or /usr/lib/postgresql/*/bin): install the Debian package postgresql-client',
  );
}

/** Fails with the program's own output when it did not exit 0. */
function expectOk(what: string, result: RunResult): void {
  if (result.code !== 0) throw new Error(`${what} exited ${result.code}:\n${result.stderr.slice(-4000)}`);
}

interface StateResource {
  type: string;
  name: string;
  instances: { attributes: Record<string, unknown> }[];
}

describe('the pg state backend, with concurrent deploys', () => {
  let tenant: LocalTenant;
  let gate: Gate;
  let api: TenantClient;
  let pgDir: string;
  let connStr: string;
  let psql: string;
  let configDir: string;
  let tenantDir: string;
  let env: NodeJS.ProcessEnv;

  const query = async (sql: string): Promise<string> => {
    const result = await sh(
      psql,
      ['-X', '-q', '-tA', '-v', 'ON_ERROR_STOP=1', '-d', connStr, '-c', sql],
      process.env,
    );
    if (result.code !== 0) throw new Error(`psql failed: ${result.stderr}`);
    return result.stdout.trim();
  };
  const writeConfig = (users: { email: string; useMfa: boolean }[]) =>
    writeFileSync(
      join(configDir, 'pg.json'),
      JSON.stringify({
        domain: `localhost:${gate.port}`,
        backend: { type: 'pg', schemaName: SCHEMA },
        mfa: { factors: ['otp'] },
        users,
      }),
    );
  const program = (file: string, args: string[]) =>
    run(process.execPath, [LAUNCHER, file, ...args], { cwd: PROJECT_ROOT, env });
  const deploy = (report: string) =>
    program('ops/deploy/main.ts', [
      'pg',
      '--config-dir',
      configDir,
      '--report',
      report,
      '--lock-timeout',
      '0s',
    ]);
  const storedState = async () => {
    const data = await query(`select data from ${SCHEMA}.states where name = 'default'`);
    return JSON.parse(data) as { serial: number; resources: StateResource[] };
  };

  beforeAll(async () => {
    requireTools();
    psql = findPsql();
    pgDir = tempDir('pg-e2e-');
    const started = await sh('bash', [POSTGRES_SCRIPT, 'start'], {
      ...process.env,
      PGCI_DIR: pgDir,
      PGCI_PORT: String(await freePort()),
      GITHUB_ACTIONS: '',
    });
    const match = /^export PG_CONN_STR='([^']+)'$/m.exec(started.stdout);
    if (started.code !== 0 || !match) {
      throw new Error(
        `PostgreSQL is needed and scripts/ci/postgres.sh could not start it:\n${started.stderr}`,
      );
    }
    connStr = match[1];
    tenantDir = tempDir('tenant-pg-');
    tenant = await startLocalTenant({ dir: tenantDir, port: 0, quiet: true });
    api = new TenantClient(tenant);
    gate = new Gate(tenant.port);
    await gate.listen();
    configDir = tempDir('pg-config-');
    env = {
      ...process.env,
      ...tenant.env,
      // The token's audience is the tenant's own address, not the gate's.
      AUTH0_AUDIENCE: `https://${tenant.domain}/api/v2/`,
      PG_CONN_STR: connStr,
      TF_VAR_seed_user_password: SEED_PASSWORD,
    };
  });

  afterAll(async () => {
    await gate?.stop();
    await tenant?.stop();
    if (pgDir) await sh('bash', [POSTGRES_SCRIPT, 'purge'], { ...process.env, PGCI_DIR: pgDir });
  });

  it('deploys with the state in PostgreSQL, not in a file', async () => {
    writeConfig([
      { email: 'alice@example.com', useMfa: true },
      { email: 'bob@example.com', useMfa: false },
    ]);
    const report = join(configDir, 'deploy-1.md');
    const result = await deploy(report);
    expectOk('deploy', result);
    expect(readFileSync(report, 'utf8')).toContain('**Deployed:** 5 resource(s).');
    // The provider went through the gate, i.e. to the domain of the config.
    expect(gate.connections).toBeGreaterThan(0);

    expect(await query(`select name from ${SCHEMA}.states order by name`)).toBe('default');
    const state = await storedState();
    const types = state.resources.map((r) => r.type).sort();
    expect(types).toEqual([
      'auth0_action',
      'auth0_guardian',
      'auth0_trigger_actions',
      'auth0_user',
      'auth0_user',
    ]);
    // The seed password is sensitive but state holds it; it is in PostgreSQL, behind PG_CONN_STR.
    expect(JSON.stringify(state)).toContain('alice@example.com');
  });

  it('lets exactly one of two simultaneous deploys take the lock; the other stops with a clear message', async () => {
    writeConfig([
      { email: 'alice@example.com', useMfa: true },
      { email: 'bob@example.com', useMfa: true },
    ]);
    const serialBefore = (await storedState()).serial;
    gate.hold();
    const deploys = [deploy(join(configDir, 'race-a.md')), deploy(join(configDir, 'race-b.md'))];
    let first: { i: number; r: RunResult };
    let advisoryLocks: number;
    try {
      // The lock holder cannot finish while the gate is closed: its refresh needs the tenant. So the
      // first to exit is the one that met the held lock.
      first = await Promise.race(deploys.map((p, i) => p.then((r) => ({ i, r }))));
      advisoryLocks = Number(await query(`select count(*) from pg_locks where locktype = 'advisory'`));
    } finally {
      gate.release();
    }
    const second = { i: 1 - first.i, r: await deploys[1 - first.i] };

    expect(first.r.code).toBe(1);
    expect(first.r.stderr).toContain('Error acquiring the state lock');
    expect(first.r.stderr).toContain('Another plan or apply holds the state lock');
    expect(readFileSync(join(configDir, first.i === 0 ? 'race-a.md' : 'race-b.md'), 'utf8')).toContain(
      'Error acquiring the state lock',
    );
    expect(advisoryLocks).toBeGreaterThan(0);
    expectOk('the deploy that held the lock', second.r);
    expect((await storedState()).serial).toBeGreaterThan(serialBefore);
  });

  it('then the retried deploy has nothing to do and the state matches the tenant, nothing duplicated', async () => {
    const retry = await deploy(join(configDir, 'retry.md'));
    expectOk('the retried deploy', retry);
    expect(readFileSync(join(configDir, 'retry.md'), 'utf8')).toContain('**No changes.**');

    const view = await viewTenant(api);
    expect(view.actions.map((a) => a.name)).toEqual(['conditional-mfa']);
    expect(view.bindings.map((b) => [b.display_name, b.action.id])).toEqual([
      ['conditional-mfa', view.actions[0].id],
    ]);
    expect(view.users.map((u) => [u.email, u.user_metadata?.use_mfa])).toEqual([
      ['alice@example.com', true],
      ['bob@example.com', true],
    ]);
    expect(view.policies).toEqual([]);
    expect(view.enabledFactors).toEqual(['otp']);

    const state = await storedState();
    const of = (type: string) =>
      state.resources.filter((r) => r.type === type).map((r) => r.instances[0].attributes);
    expect(of('auth0_action').map((a) => a.id)).toEqual([view.actions[0].id]);
    expect(of('auth0_trigger_actions').map((b) => (b.actions as { id: string }[]).map((a) => a.id))).toEqual([
      [view.actions[0].id],
    ]);
    expect(
      of('auth0_user')
        .map((u) => u.user_id)
        .sort(),
    ).toEqual(view.users.map((u) => u.user_id).sort());

    const drift = await program('ops/drift/main.ts', [
      'pg',
      '--config-dir',
      configDir,
      '--report',
      join(configDir, 'drift.md'),
    ]);
    expectOk('the drift check', drift);
    expect(JSON.parse(readFileSync(join(configDir, 'drift.json'), 'utf8'))).toMatchObject({
      environment: 'pg',
      status: 'clean',
    });
  });

  it('a password that is not URL-escaped fails terraform init, and no report or log holds any part of it', async () => {
    // What a team does by mistake: the role's real password pasted into the URL unescaped.
    const password = 'Kq9v/Zx3w#Pm7t?Hy2%jn';
    writeConfig([{ email: 'alice@example.com', useMfa: true }]);
    await query(`alter role terraform password '${password}'`);
    const raw = connStr.replace(/^(postgres:\/\/terraform:)[^@]*@/, `$1${password}@`);
    const summary = join(configDir, 'step-summary.md');
    writeFileSync(summary, '');
    const withRaw = { ...env, PG_CONN_STR: raw, GITHUB_STEP_SUMMARY: summary };
    const runWith = (file: string, args: string[]) =>
      run(process.execPath, [LAUNCHER, file, ...args], { cwd: PROJECT_ROOT, env: withRaw });
    const at = (name: string) => join(configDir, name);
    const common = ['pg', '--config-dir', configDir, '--step-summary'];
    const results = [
      await runWith('ops/plan/main.ts', ['plan', ...common, '--report', at('bad-plan.md')]),
      await runWith('ops/deploy/main.ts', [
        ...common,
        '--report',
        at('bad-deploy.md'),
        '--lock-timeout',
        '0s',
      ]),
      await runWith('ops/drift/main.ts', ['check', ...common, '--report', at('bad-drift.md')]),
      await runWith('ops/plan/main.ts', ['comment', at('bad-plan.json'), '--out', at('bad-comment.md')]),
      await runWith('ops/drift/main.ts', ['issue', at('bad-drift.json'), '--out', at('bad-issue.md')]),
    ];
    expect(results.map((r) => r.code)).toEqual([1, 1, 1, 0, 0]);
    const written = [
      'bad-plan.md',
      'bad-deploy.md',
      'bad-drift.md',
      'bad-comment.md',
      'bad-issue.md',
      'bad-plan.json',
      'bad-drift.json',
    ].map((name) => readFileSync(at(name), 'utf8'));
    // It failed for real, where the connection string is parsed, and says so.
    for (const text of written.slice(0, 3)) expect(text).toMatch(/terraform init \(auth0-pg\) failed/);
    expect(written[0]).toContain('invalid port');
    const everything = [
      ...written,
      readFileSync(summary, 'utf8'),
      ...results.flatMap((r) => [r.stdout, r.stderr]),
    ].join('\n');
    expect(everything).toContain('***');
    for (const piece of ['Kq9v', 'Zx3w', 'Pm7t', 'Hy2', '%jn', password]) {
      expect(everything).not.toContain(piece);
    }
  });
});
