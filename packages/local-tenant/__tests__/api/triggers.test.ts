import { TenantStore } from '../../src/tenant/store';
import { useTestTenant } from '../support/tenant';

let first: string;
let second: string;
const t = useTestTenant({
  setup: async ({ client }) => {
    first = await client.createAction('first', 'exports.onExecutePostLogin = async () => {};');
    second = await client.createAction('second', 'exports.onExecutePostLogin = async () => {};');
  },
});

afterEach(async () => {
  await t.client.bind('post-login', []);
});

describe('GET /api/v2/actions/triggers', () => {
  it('lists the triggers with post-login v3', async () => {
    const reply = await t.client.get('/api/v2/actions/triggers');
    expect(reply.status).toBe(200);
    expect(reply.body.triggers).toContainEqual(
      expect.objectContaining({
        id: 'post-login',
        version: 'v3',
        status: 'CURRENT',
        default_runtime: 'node22',
      }),
    );
  });
});

describe('bindings', () => {
  it('binds actions in the given order, with the recorded shape', async () => {
    const reply = await t.client.patch('/api/v2/actions/triggers/post-login/bindings', {
      bindings: [
        { ref: { type: 'action_id', value: second }, display_name: 'Second one' },
        { ref: { type: 'action_id', value: first }, display_name: 'First one' },
      ],
    });
    expect(reply.status).toBe(200);
    expect(reply.body.bindings.map((b: { display_name: string }) => b.display_name)).toEqual([
      'Second one',
      'First one',
    ]);
    expect(reply.body.bindings[0]).toEqual({
      id: expect.any(String),
      trigger_id: 'post-login',
      action: expect.objectContaining({
        id: second,
        name: 'second',
        deployed_version: expect.objectContaining({ deployed: true }),
      }),
      created_at: expect.any(String),
      updated_at: expect.any(String),
      display_name: 'Second one',
    });
    expect(reply.body.bindings[0].action.code).toBeUndefined();
  });

  it('pages like Auth0 so the provider pager stops: total on page 0, none on page 1', async () => {
    await t.client.bind('post-login', [first, second]);
    const page0 = await t.client.get('/api/v2/actions/triggers/post-login/bindings?page=0&per_page=100');
    expect(Object.keys(page0.body).sort()).toEqual(['bindings', 'per_page', 'total']);
    expect(page0.body.total).toBe(2);
    expect(page0.body.bindings.map((b: { action: { id: string } }) => b.action.id)).toEqual([first, second]);
    const page1 = await t.client.get('/api/v2/actions/triggers/post-login/bindings?page=1&per_page=100');
    expect(page1.body).toEqual({ bindings: [], page: 1, per_page: 100 });
  });

  it('gives new binding ids on each PATCH and defaults display_name to the action name', async () => {
    const a = await t.client.bind('post-login', [first]);
    const b = await t.client.bind('post-login', [first]);
    expect(a.body.bindings[0].id).not.toBe(b.body.bindings[0].id);
    expect(b.body.bindings[0].display_name).toBe('first');
  });

  it('binds by action_name', async () => {
    const reply = await t.client.patch('/api/v2/actions/triggers/post-login/bindings', {
      bindings: [{ ref: { type: 'action_name', value: 'second' } }],
    });
    expect(reply.status).toBe(200);
    expect(reply.body.bindings[0].action.id).toBe(second);
  });

  it('clears the bindings with an empty list', async () => {
    await t.client.bind('post-login', [first]);
    const reply = await t.client.bind('post-login', []);
    expect(reply.body).toEqual({ bindings: [] });
    expect((await t.client.get('/api/v2/actions/triggers/post-login/bindings')).body).toEqual({
      bindings: [],
      per_page: 20,
    });
  });

  it('refuses an unknown trigger with 400', async () => {
    const get = await t.client.get('/api/v2/actions/triggers/post-lunch/bindings');
    expect(get.status).toBe(400);
    expect(get.body.message).toMatch(/No enum match for: "post-lunch"/);
    expect((await t.client.bind('post-lunch', [first])).status).toBe(400);
  });

  // Names every JavaScript object inherits: they are no trigger, no stored key, never a 500.
  it.each([
    '__proto__',
    'constructor',
    'toString',
    'hasOwnProperty',
  ])('refuses the inherited name %s as an unknown trigger, storing nothing', async (name) => {
    const get = await t.client.get(`/api/v2/actions/triggers/${name}/bindings`);
    expect(get.status).toBe(400);
    expect(get.body.message).toBe(
      `Path validation error: 'No enum match for: "${name}"' on property triggerId (An actions extensibility point.).`,
    );
    expect((await t.client.bind(name, [first])).status).toBe(400);
    expect(Object.keys(TenantStore.read(t.dir).state.bindings)).not.toContain(name);
  });

  it('refuses to bind an action that was never deployed, changing nothing', async () => {
    await t.client.bind('post-login', [first]);
    const draft = await t.client.createAction('draft-only', 'exports.onExecutePostLogin = async () => {};', {
      deploy: false,
    });
    const reply = await t.client.bind('post-login', [first, draft]);
    // Auth0's words as deploy-cli logs them when it binds too early (auth0-deploy-cli #385).
    expect(reply.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'Trying to create a binding for an action that has not been deployed yet.',
    });
    const current = await t.client.get('/api/v2/actions/triggers/post-login/bindings');
    expect(current.body.bindings.map((b: { action: { id: string } }) => b.action.id)).toEqual([first]);
  });

  it('answers 400 for a reference to an action that does not exist (the SDK documents no 404 here)', async () => {
    const reply = await t.client.bind('post-login', ['00000000-0000-0000-0000-000000000000']);
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({
      statusCode: 400,
      error: 'Bad Request',
      errorCode: 'inexistent_action',
    });
  });

  it('refuses a body without a bindings array', async () => {
    expect(
      (await t.client.patch('/api/v2/actions/triggers/post-login/bindings', { actions: [] })).status,
    ).toBe(400);
  });
});
