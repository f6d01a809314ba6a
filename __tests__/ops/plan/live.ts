// Shared by the fixture generator and the e2e tests: changes made to a (local) tenant through the
// Management API, the way an operator or another team would, and a real plan read back as JSON.

import type { TenantClient } from '@auth0-mfa/local-tenant';
import { terraform } from '../../../ops/stack-command/terraform';
import type { E2eEnvironment } from '../../e2e/harness';

export interface ApiAction {
  id: string;
  name: string;
  status: string;
  deployed_version?: { deployed: boolean };
}

/** Creates an Action, waits for its build, deploys it: what must happen before it can be bound. */
export async function createDeployedAction(api: TenantClient, name: string): Promise<string> {
  const action = await api.call<ApiAction>('POST', '/actions/actions', {
    name,
    runtime: 'node22',
    supported_triggers: [{ id: 'post-login', version: 'v3' }],
    code: `exports.onExecutePostLogin = async (event, api) => { /* ${name} */ };\n`,
  });
  for (let i = 0; ; i++) {
    const state = await api.call<ApiAction>('GET', `/actions/actions/${action.id}`);
    if (state.status === 'built') break;
    if (i > 100) throw new Error(`action ${name} was not built: status ${state.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  await api.call('POST', `/actions/actions/${action.id}/deploy`);
  return action.id;
}

export async function bindPostLogin(api: TenantClient, bindings: { id: string; displayName: string }[]) {
  await api.call('PATCH', '/actions/triggers/post-login/bindings', {
    bindings: bindings.map((b) => ({ ref: { type: 'action_id', value: b.id }, display_name: b.displayName })),
  });
}

export async function postLoginBindings(api: TenantClient): Promise<{ id: string; displayName: string }[]> {
  const { bindings } = await api.call<{ bindings: { display_name: string; action: { id: string } }[] }>(
    'GET',
    '/actions/triggers/post-login/bindings',
  );
  return bindings.map((b) => ({ id: b.action.id, displayName: b.display_name }));
}

export async function setPolicy(api: TenantClient, policies: string[]) {
  await api.call('PUT', '/guardian/policies', policies);
}

export async function setFactor(api: TenantClient, name: string, enabled: boolean) {
  await api.call('PUT', `/guardian/factors/${name}`, { enabled });
}

/**
 * What another team set up by hand in the Dashboard: the MFA policy (when given), these factors on, and these
 * Actions deployed and bound to the Login flow in this order. Returns the Actions' ids by name.
 */
export async function setUpByHand(
  api: TenantClient,
  setup: { policies?: string[]; factors: string[]; bound: string[] },
): Promise<Record<string, string>> {
  if (setup.policies) await setPolicy(api, setup.policies);
  for (const factor of setup.factors) await setFactor(api, factor, true);
  const ids: Record<string, string> = {};
  for (const name of setup.bound) ids[name] = await createDeployedAction(api, name);
  await bindPostLogin(
    api,
    setup.bound.map((name) => ({ id: ids[name], displayName: name })),
  );
  return ids;
}

export async function findUser(api: TenantClient, email: string): Promise<{ user_id: string }> {
  const users = await api.call<{ user_id: string; email: string }[]>('GET', '/users?per_page=100');
  const user = users.find((u) => u.email === email);
  if (!user) throw new Error(`no user ${email} in the tenant`);
  return user;
}

export interface LivePlan {
  code: number;
  json: unknown;
  text: string;
}

/** A real `terraform plan -detailed-exitcode`, read back with `terraform show -json` and as text. */
export async function livePlan(e2e: E2eEnvironment): Promise<LivePlan> {
  const { code } = await e2e.tf(
    ['plan', '-detailed-exitcode', '-input=false', '-no-color', '-out=tfplan'],
    [2],
  );
  const env = e2e.tenant.env;
  const json = await terraform(e2e.dir, ['show', '-json', 'tfplan'], { env });
  if (json.code !== 0) throw new Error(`terraform show -json failed:\n${json.stderr}`);
  const text = await terraform(e2e.dir, ['show', '-no-color', 'tfplan'], { env });
  if (text.code !== 0) throw new Error(`terraform show failed:\n${text.stderr}`);
  return { code, json: JSON.parse(json.stdout), text: text.stdout };
}
