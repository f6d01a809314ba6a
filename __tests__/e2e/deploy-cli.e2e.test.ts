// Contract with a client nobody here wrote: the real auth0-deploy-cli (a0deploy, pinned in package.json)
// exports a tenant our stack deployed, imports an edited copy, exports it again, dry-runs it, and our plan
// then shows exactly the drift it caused. deploy-cli is limited to the resource types this project touches.
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { parse, stringify } from 'yaml';
import { DEFAULT_SETTINGS } from '../../actions/conditional-mfa';
import { conditionalMfaCode } from '../../src/stack/conditional-mfa-action';
import { tempDir } from '../support/temp-dirs';
import { apply, type E2eEnvironment, init, type PlannedChange, plan, startE2e, viewTenant } from './harness';

jest.setTimeout(300_000);

const execFileAsync = promisify(execFile);
const A0DEPLOY = join(dirname(require.resolve('auth0-deploy-cli/package.json')), 'lib', 'index.js');
/** deploy-cli's names for guardian (policy, factors), actions, triggers and tenant settings. */
const INCLUDED_ONLY = ['tenant', 'guardianFactors', 'guardianPolicies', 'actions', 'triggers'];
const OUR_ACTION = 'conditional-mfa';
const SECOND_ACTION = 'audit-login';
const SECOND_CODE = 'exports.onExecutePostLogin = async (event, api) => {};\n';
const EDIT_MARK = '\n// edited through auth0-deploy-cli\n';
/** How long a new or changed Action stays pending: deploy-cli's wait-and-retry deploy is exercised. */
const BUILD_DELAY_MS = 1000;

interface Factor {
  name: string;
  enabled: boolean;
}
interface ExportedAction {
  name: string;
  code: string;
  deployed: boolean;
  runtime: string;
  dependencies: unknown[];
  secrets: unknown[];
  supported_triggers: Array<{ id: string; version: string }>;
}
interface TenantYaml {
  guardianPolicies: { policies: string[] };
  guardianFactors: Factor[];
  actions: ExportedAction[];
  triggers: Record<string, Array<{ action_name: string; display_name: string }>>;
  tenant: Record<string, unknown>;
}

/** The top-level fields whose values differ between a planned change's before and after. */
function changedFields(change: PlannedChange): string[] {
  const { before, after } = change.change;
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  return [...keys].filter((k) => JSON.stringify(before?.[k]) !== JSON.stringify(after?.[k])).sort();
}

describe('auth0-deploy-cli 8.44 against a tenant our stack deployed', () => {
  let e2e: E2eEnvironment;
  let work: string;
  /** The distinct routes (METHOD /pattern) each deploy-cli command called, from the tenant's own count. */
  const routesByCommand: Record<string, string[]> = {};

  async function a0deploy(label: string, args: string[]): Promise<string> {
    // Only what deploy-cli needs: with its default --env it reads AUTH0_* settings from the environment.
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: work,
      AUTH0_DOMAIN: e2e.tenant.env.AUTH0_DOMAIN,
      AUTH0_CLIENT_ID: e2e.tenant.env.AUTH0_CLIENT_ID,
      AUTH0_CLIENT_SECRET: e2e.tenant.env.AUTH0_CLIENT_SECRET,
      NODE_EXTRA_CA_CERTS: e2e.tenant.env.NODE_EXTRA_CA_CERTS,
    };
    e2e.tenant.resetStats();
    try {
      const { stdout, stderr } = await execFileAsync(
        process.execPath,
        [A0DEPLOY, ...args, '--config_file', 'config.json'],
        { cwd: work, env, timeout: 240_000 },
      );
      return `${stdout}${stderr}`;
    } catch (error) {
      const failed = error as Error & { stdout?: string; stderr?: string };
      throw new Error(
        `a0deploy ${args.join(' ')} failed: ${failed.message}\n${failed.stdout}${failed.stderr}`,
      );
    } finally {
      routesByCommand[label] = Object.keys(e2e.tenant.stats().byRoute).sort();
    }
  }

  const exportTo = (label: string, folder: string) =>
    a0deploy(label, ['export', '--format', 'yaml', '--output_folder', folder]);
  const readExport = (folder: string): TenantYaml =>
    parse(readFileSync(join(work, folder, 'tenant.yaml'), 'utf8'));
  const codeOf = (folder: string, action: ExportedAction) =>
    readFileSync(join(work, folder, action.code), 'utf8');

  beforeAll(async () => {
    e2e = await startE2e('deploy-cli', { buildDelayMs: BUILD_DELAY_MS });
    work = tempDir('deploy-cli-');
    writeFileSync(join(work, 'config.json'), JSON.stringify({ AUTH0_INCLUDED_ONLY: INCLUDED_ONLY }));
    e2e.synth({ mfa: { factors: ['otp'] } });
    await init(e2e);
    await apply(e2e);
  });
  afterAll(async () => {
    await e2e?.tenant.stop();
  });

  it('1. export shows what the stack deployed: policy never, the factors, our Action and its binding', async () => {
    await exportTo('export', 'first');
    const exported = readExport('first');
    expect(exported.guardianPolicies).toEqual({ policies: [] });
    expect(exported.guardianFactors.filter((f) => f.enabled).map((f) => f.name)).toEqual(['otp']);
    expect(exported.actions).toHaveLength(1);
    const [ours] = exported.actions;
    expect(ours).toMatchObject({
      name: OUR_ACTION,
      deployed: true,
      runtime: 'node22',
      supported_triggers: [{ id: 'post-login', version: 'v3' }],
    });
    expect(codeOf('first', ours)).toBe(conditionalMfaCode(DEFAULT_SETTINGS));
    expect(exported.triggers).toEqual({
      'post-login': [{ action_name: OUR_ACTION, display_name: OUR_ACTION }],
    });
    expect(routesByCommand.export).toEqual([
      'GET /api/v2/actions/actions',
      'GET /api/v2/actions/triggers',
      'GET /api/v2/actions/triggers/{triggerId}/bindings',
      'GET /api/v2/guardian/factors',
      'GET /api/v2/guardian/policies',
      'GET /api/v2/tenants/settings',
      'POST /oauth/token',
    ]);
  });

  let edited: TenantYaml;

  it('2. import of the edited YAML: another policy, a factor, our code, a second Action bound after ours', async () => {
    edited = readExport('first');
    edited.guardianPolicies.policies = ['all-applications'];
    for (const factor of edited.guardianFactors) if (factor.name === 'email') factor.enabled = true;
    const [ours] = edited.actions;
    writeFileSync(join(work, 'first', ours.code), `${codeOf('first', ours)}${EDIT_MARK}`);
    mkdirSync(join(work, 'first', 'actions', SECOND_ACTION));
    writeFileSync(join(work, 'first', 'actions', SECOND_ACTION, 'code.js'), SECOND_CODE);
    edited.actions.push({
      ...ours,
      name: SECOND_ACTION,
      code: `./actions/${SECOND_ACTION}/code.js`,
    });
    edited.triggers['post-login'].push({ action_name: SECOND_ACTION, display_name: SECOND_ACTION });
    writeFileSync(join(work, 'first', 'tenant.yaml'), stringify(edited));

    const output = await a0deploy('import', ['import', '--input_file', 'first/tenant.yaml']);
    expect(output).toContain('Import Successful');

    const tenant = await viewTenant(e2e.api);
    expect(tenant.policies).toEqual(['all-applications']);
    expect(tenant.enabledFactors).toEqual(['email', 'otp']);
    const byName = new Map(tenant.actions.map((a) => [a.name, a]));
    expect(byName.get(OUR_ACTION)?.deployed_version?.code).toBe(
      `${conditionalMfaCode(DEFAULT_SETTINGS)}${EDIT_MARK}`,
    );
    expect(byName.get(SECOND_ACTION)?.deployed_version?.code).toBe(SECOND_CODE);
    expect(tenant.bindings.map((b) => b.action.name)).toEqual([OUR_ACTION, SECOND_ACTION]);
    expect(routesByCommand.import).toEqual([
      'GET /api/v2/actions/actions',
      'GET /api/v2/actions/modules',
      'PATCH /api/v2/actions/actions/{id}',
      'PATCH /api/v2/actions/triggers/{triggerId}/bindings',
      'PATCH /api/v2/tenants/settings',
      'POST /api/v2/actions/actions',
      'POST /api/v2/actions/actions/{id}/deploy',
      'POST /oauth/token',
      'PUT /api/v2/guardian/factors/{name}',
      'PUT /api/v2/guardian/policies',
    ]);
  });

  it('3. a second export gives back what was imported', async () => {
    await exportTo('export', 'second');
    const again = readExport('second');
    expect(again.guardianPolicies).toEqual(edited.guardianPolicies);
    const sortByName = <T extends { name: string }>(list: T[]) =>
      [...list].sort((a, b) => a.name.localeCompare(b.name));
    expect(sortByName(again.guardianFactors)).toEqual(sortByName(edited.guardianFactors));
    expect(again.triggers).toEqual(edited.triggers);
    const meaningful = (folder: string, action: ExportedAction) => ({
      ...action,
      code: codeOf(folder, action),
      status: undefined,
    });
    expect(sortByName(again.actions).map((a) => meaningful('second', a))).toEqual(
      sortByName(edited.actions).map((a) => meaningful('first', a)),
    );
    expect(again.tenant).toEqual(edited.tenant);
  });

  it('4. import --dry-run of that export reports no change, and writes nothing', async () => {
    const output = await a0deploy('dry-run', ['import', '--input_file', 'second/tenant.yaml', '--dry-run']);
    expect(output).toContain('No changes detected.');
    expect(
      routesByCommand['dry-run'].filter((r) => !r.startsWith('GET ') && r !== 'POST /oauth/token'),
    ).toEqual([]);
    expect(routesByCommand['dry-run']).toContain('GET /api/v2/clients');
  });

  it('5. our plan shows exactly the drift deploy-cli caused: policy, the factor, our code, the bindings', async () => {
    const { code, changes, drift } = await plan(e2e);
    expect(code).toBe(2);
    const summary = changes
      .map((c) => [c.type, c.change.actions.join(','), changedFields(c).join(',')])
      .sort((a, b) => a[0].localeCompare(b[0]));
    expect(summary).toEqual([
      ['auth0_action', 'update', 'code'],
      ['auth0_guardian', 'update', 'email,policy'],
      ['auth0_trigger_actions', 'update', 'actions'],
    ]);
    const byType = new Map(changes.map((c) => [c.type, c.change]));
    expect(byType.get('auth0_guardian')?.before).toMatchObject({ policy: 'all-applications', email: true });
    expect(byType.get('auth0_guardian')?.after).toMatchObject({ policy: 'never', email: false });
    expect(byType.get('auth0_action')?.before?.code).toBe(
      `${conditionalMfaCode(DEFAULT_SETTINGS)}${EDIT_MARK}`,
    );
    const names = (list: unknown) => (list as Array<{ display_name: string }>).map((b) => b.display_name);
    expect(names(byType.get('auth0_trigger_actions')?.before?.actions)).toEqual([OUR_ACTION, SECOND_ACTION]);
    expect(names(byType.get('auth0_trigger_actions')?.after?.actions)).toEqual([OUR_ACTION]);
    expect(drift.map((d) => d.type).sort()).toEqual([
      'auth0_action',
      'auth0_guardian',
      'auth0_trigger_actions',
    ]);
  });
});
