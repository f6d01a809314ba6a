// What the end-to-end tests share: a local tenant in a temp folder, an environment pointing at it,
// an in-process synth, Terraform in the stack folder, and a client for the tenant's Management API.
import { createServer } from 'node:net';
import { join } from 'node:path';
import {
  type LocalTenant,
  type LocalTenantOptions,
  startLocalTenant,
  TenantClient,
} from '@auth0-mfa/local-tenant';
import { App } from 'cdktf';
import { type RunResult, stackDir, terraform, terraformOk, toolEnv } from '../../ops/stack-command/terraform';
import { parseEnvironment } from '../../src/config/load';
import { stackName } from '../../src/config/vocabulary';
import { TenantStack, type TenantStackOptions } from '../../src/stack/tenant-stack';
import { tempDir } from '../support/temp-dirs';

export const SEED_PASSWORD = 'E2e-Seed-Passw0rd!';

export interface E2eEnvironment {
  tenant: LocalTenant;
  outdir: string;
  dir: string;
  synth(config: Record<string, unknown>, options?: TenantStackOptions): void;
  /** The same stack as `cdktf synth --hcl` writes it (cdk.tf), into its own folder; returns the stack folder. */
  synthHcl(config: Record<string, unknown>, options?: TenantStackOptions): string;
  tf(args: string[], allowedCodes?: number[]): Promise<RunResult>;
  api: TenantClient;
}

/** A port nothing listens on now: taken from the OS, then closed (for servers that cannot take port 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Fails, naming the missing piece, instead of skipping when Terraform or the mirror is absent. */
export function requireTools(): void {
  toolEnv();
}

export async function startE2e(
  name = 'e2e',
  tenantOptions: Pick<LocalTenantOptions, 'buildDelayMs'> = {},
): Promise<E2eEnvironment> {
  requireTools();
  const tenant = await startLocalTenant({
    dir: tempDir('tenant-'),
    port: 0,
    quiet: true,
    ...tenantOptions,
  });
  const outdir = tempDir('e2e-out-');
  const stateFile = join(outdir, 'terraform.tfstate');
  const stack = stackName(name);
  const env = { ...tenant.env, TF_VAR_seed_user_password: SEED_PASSWORD };
  const synthInto = (
    into: string,
    hclOutput: boolean,
    config: Record<string, unknown>,
    options?: TenantStackOptions,
  ) => {
    const full = { domain: tenant.domain, backend: { type: 'local', path: stateFile }, ...config };
    const { config: parsed, problems } = parseEnvironment(`${name}.json`, JSON.stringify(full));
    if (!parsed) throw new Error(problems.join('\n'));
    // What `cdktf synth --hcl` sets for the app it runs: the stacks read it too, not only the App.
    const before = process.env.SYNTH_HCL_OUTPUT;
    process.env.SYNTH_HCL_OUTPUT = String(hclOutput);
    try {
      const app = new App({ outdir: into });
      new TenantStack(app, { name, stackName: stack, file: `${name}.json`, config: parsed }, options);
      app.synth();
    } finally {
      if (before === undefined) delete process.env.SYNTH_HCL_OUTPUT;
      else process.env.SYNTH_HCL_OUTPUT = before;
    }
    return stackDir(into, stack);
  };
  return {
    tenant,
    outdir,
    dir: stackDir(outdir, stack),
    synth(config, options) {
      synthInto(outdir, false, config, options);
    },
    synthHcl: (config, options) => synthInto(join(outdir, 'hcl'), true, config, options),
    tf: (args, allowedCodes) => terraformOk(stackDir(outdir, stack), args, { env, allowedCodes }),
    api: new TenantClient(tenant),
  };
}

/** terraform plan -detailed-exitcode, with the plan as JSON for precise assertions. */
export async function plan(
  e2e: E2eEnvironment,
): Promise<{ code: number; changes: PlannedChange[]; drift: PlannedChange[] }> {
  const result = await e2e.tf(
    ['plan', '-detailed-exitcode', '-input=false', '-no-color', '-out=tfplan'],
    [2],
  );
  const { stdout } = await terraform(e2e.dir, ['show', '-json', 'tfplan'], { env: e2e.tenant.env });
  const json = JSON.parse(stdout) as { resource_changes?: PlannedChange[]; resource_drift?: PlannedChange[] };
  const changes = (json.resource_changes ?? []).filter((c) => !c.change.actions.includes('no-op'));
  return { code: result.code, changes, drift: json.resource_drift ?? [] };
}

export interface PlannedChange {
  address: string;
  type: string;
  change: {
    actions: string[];
    before: Record<string, unknown> | null;
    after: Record<string, unknown> | null;
  };
}

export const apply = (e2e: E2eEnvironment) => e2e.tf(['apply', '-auto-approve', '-input=false', '-no-color']);
export const init = (e2e: E2eEnvironment) => e2e.tf(['init', '-input=false', '-no-color']);
export const destroy = (e2e: E2eEnvironment) =>
  e2e.tf(['destroy', '-auto-approve', '-input=false', '-no-color']);

export interface TenantView {
  policies: string[];
  enabledFactors: string[];
  actions: Array<{
    id: string;
    name: string;
    code: string;
    status: string;
    deployed_version?: { code: string; deployed: boolean };
  }>;
  bindings: Array<{ display_name: string; action: { id: string; name: string } }>;
  users: Array<{
    user_id: string;
    email: string;
    name?: string;
    user_metadata?: Record<string, unknown>;
    app_metadata?: Record<string, unknown>;
  }>;
}

/** The tenant as the API shows it: what a deploy is judged by. */
export async function viewTenant(api: TenantClient): Promise<TenantView> {
  const factors = await api.call<Array<{ name: string; enabled: boolean }>>('GET', '/guardian/factors');
  const actions = await api.call<{ actions: TenantView['actions'] }>('GET', '/actions/actions?per_page=100');
  const bindings = await api.call<{ bindings: TenantView['bindings'] }>(
    'GET',
    '/actions/triggers/post-login/bindings',
  );
  const users = await api.call<TenantView['users']>('GET', '/users?per_page=100');
  return {
    policies: await api.call<string[]>('GET', '/guardian/policies'),
    enabledFactors: factors
      .filter((f) => f.enabled)
      .map((f) => f.name)
      .sort(),
    actions: actions.actions,
    bindings: bindings.bindings,
    users: [...users].sort((a, b) => a.email.localeCompare(b.email)),
  };
}
