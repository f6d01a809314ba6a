// Test support for Action builds: creating an Action with dependencies, waiting for its build as the
// provider does, reading why it failed, and deploying it once built.
import type { TenantClient } from '../../src/client';

const POST_LOGIN = [{ id: 'post-login', version: 'v3' }];
export const NOOP_ACTION = 'exports.onExecutePostLogin = async () => {};';

export interface DependencyRef {
  name: string;
  version: string;
}

export async function createAction(
  client: TenantClient,
  name: string,
  dependencies?: unknown[],
  code = NOOP_ACTION,
  runtime?: string,
): Promise<{ id: string; status: string }> {
  const created = await client.post('/api/v2/actions/actions', {
    name,
    supported_triggers: POST_LOGIN,
    code,
    ...(dependencies ? { dependencies } : {}),
    ...(runtime ? { runtime } : {}),
  });
  if (created.status !== 201) throw new Error(`create action ${name}: ${created.status} ${created.text}`);
  return created.body as { id: string; status: string };
}

/** Polls the action as the provider does until its build is no longer pending (an install may take seconds). */
export async function settled(client: TenantClient, id: string): Promise<string> {
  for (let i = 0; i < 1200; i += 1) {
    const read = await client.get(`/api/v2/actions/actions/${id}`);
    if (read.body.status !== 'pending') return read.body.status as string;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the build of action ${id} stayed pending for 60 s`);
}

/** Why the draft's build failed (`GET /local/actions/{id}/build`), one message per error. */
export async function buildErrors(client: TenantClient, id: string): Promise<string[]> {
  const build = await client.get(`/local/actions/${id}/build`);
  if (build.status !== 200) throw new Error(`build of ${id}: ${build.status} ${build.text}`);
  return (build.body.errors as Array<{ id: string; msg: string }>).map((e) => e.msg);
}

/** Waits for the draft to build (throwing why it did not) and deploys it. */
export async function deployWhenBuilt(client: TenantClient, id: string): Promise<void> {
  const status = await settled(client, id);
  if (status !== 'built')
    throw new Error(`action ${id} ${status}: ${(await buildErrors(client, id)).join('; ')}`);
  const deployed = await client.post(`/api/v2/actions/actions/${id}/deploy`);
  if (deployed.status !== 200) throw new Error(`deploy ${id}: ${deployed.status} ${deployed.text}`);
}

/** Creates, builds and deploys a post-login Action with these dependencies; answers its id. */
export async function deployedAction(
  client: TenantClient,
  name: string,
  code: string,
  dependencies: DependencyRef[],
  runtime?: string,
): Promise<string> {
  const { id } = await createAction(client, name, dependencies, code, runtime);
  await deployWhenBuilt(client, id);
  return id;
}
