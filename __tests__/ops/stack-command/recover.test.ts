// Which objects a plan would create that the tenant already holds: exact matches only, never an
// object that merely looks like ours, and no lookup at all when nothing is to be created.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PlanJson, PlanResourceChange } from '../../../ops/stack-command/plan-json';
import { findOrphans, RECOVERY_FILE, recoverOrphans } from '../../../ops/stack-command/recover';
import type { TenantLookup } from '../../../ops/stack-command/tenant-lookup';
import { tempDir } from '../../support/temp-dirs';

function change(type: string, name: string, after: Record<string, unknown>, actions = ['create']) {
  return {
    address: `${type}.${name}`,
    mode: 'managed',
    type,
    name,
    change: { actions, before: null, after },
  } as unknown as PlanResourceChange;
}

const ACTION = change('auth0_action', 'act', {
  name: 'conditional-mfa',
  supported_triggers: [{ id: 'post-login', version: 'v3' }],
});
const ALICE = change('auth0_user', 'alice', {
  email: 'alice@example.com',
  connection_name: 'Username-Password-Authentication',
});
const BINDINGS = change('auth0_trigger_actions', 'bindings', { trigger: 'post-login' });
const BINDING = change('auth0_trigger_action', 'binding', { trigger: 'post-login' });

const plan = (...changes: PlanResourceChange[]): PlanJson => ({
  format_version: '1.2',
  resource_changes: changes,
});

function tenant(content: {
  actions?: Array<{ id: string; name: string; triggers: string[] }>;
  users?: Array<{ userId: string; email: string; connections: string[] }>;
  bindings?: Array<{ actionId: string; actionName: string }>;
}) {
  const calls: string[] = [];
  const lookup: TenantLookup = {
    async actionsNamed(name) {
      calls.push(`action ${name}`);
      return content.actions ?? [];
    },
    async usersWithEmail(email) {
      calls.push(`user ${email}`);
      return content.users ?? [];
    },
    async bindings(trigger) {
      calls.push(`bindings ${trigger}`);
      return content.bindings ?? [];
    },
  };
  return { lookup, calls };
}

describe('findOrphans', () => {
  it('finds the Action, the user and the binding list the plan would create again', async () => {
    const { lookup } = tenant({
      actions: [{ id: 'act_1', name: 'conditional-mfa', triggers: ['post-login'] }],
      users: [
        { userId: 'auth0|a', email: 'alice@example.com', connections: ['Username-Password-Authentication'] },
      ],
      bindings: [{ actionId: 'act_1', actionName: 'conditional-mfa' }],
    });
    const { orphans, checked } = await findOrphans(plan(ACTION, ALICE, BINDINGS), lookup);
    expect(checked).toBe(3);
    expect(orphans.map((o) => [o.address, o.id])).toEqual([
      ['auth0_action.act', 'act_1'],
      ['auth0_user.alice', 'auth0|a'],
      ['auth0_trigger_actions.bindings', 'post-login'],
    ]);
  });

  it('imports a single binding (trigger-action) by trigger and the bound Action id', async () => {
    const { lookup } = tenant({ bindings: [{ actionId: 'act_9', actionName: 'conditional-mfa' }] });
    const { orphans } = await findOrphans(
      plan(change('auth0_action', 'act', {}, ['no-op']), BINDING),
      lookup,
    );
    expect(orphans).toEqual([]); // the Action's name is unknown: no claim on any binding
    const named = change('auth0_action', 'act', { name: 'conditional-mfa' }, ['no-op']);
    expect((await findOrphans(plan(named, BINDING), lookup)).orphans.map((o) => o.id)).toEqual([
      'post-login::act_9',
    ]);
  });

  it('claims nothing that only looks like ours', async () => {
    const { lookup } = tenant({
      // Another name, and ours for another trigger.
      actions: [
        { id: 'act_2', name: 'conditional-mfa-2', triggers: ['post-login'] },
        { id: 'act_3', name: 'conditional-mfa', triggers: ['credentials-exchange'] },
      ],
      // Same email in another connection.
      users: [{ userId: 'google|a', email: 'alice@example.com', connections: ['google-oauth2'] }],
      // Someone else's bindings, ours not among them.
      bindings: [{ actionId: 'act_7', actionName: 'geo-block' }],
    });
    const { orphans, checked } = await findOrphans(plan(ACTION, ALICE, BINDINGS), lookup);
    expect(checked).toBe(3);
    expect(orphans).toEqual([]);
  });

  it('matches emails as Auth0 stores them (lower case)', async () => {
    const { lookup } = tenant({
      users: [
        { userId: 'auth0|a', email: 'alice@example.com', connections: ['Username-Password-Authentication'] },
      ],
    });
    const upper = change('auth0_user', 'alice', {
      email: 'Alice@Example.com',
      connection_name: 'Username-Password-Authentication',
    });
    expect((await findOrphans(plan(upper), lookup)).orphans.map((o) => o.id)).toEqual(['auth0|a']);
  });

  it('looks nothing up for updates, replacements, imports and resources it does not own', async () => {
    const { lookup, calls } = tenant({});
    const imported = change('auth0_user', 'bob', { email: 'b@example.com', connection_name: 'x' });
    (imported.change as { importing?: object }).importing = { id: 'auth0|b' };
    await findOrphans(
      plan(
        change('auth0_action', 'act', { name: 'conditional-mfa' }, ['update']),
        change('auth0_user', 'alice', { email: 'a@example.com' }, ['delete', 'create']),
        imported,
        change('auth0_guardian', 'guardian', { policy: 'never' }),
      ),
      lookup,
    );
    expect(calls).toEqual([]);
  });
});

describe('recoverOrphans', () => {
  const config = { domain: 'x.auth0.com' };
  const stackDir = () => tempDir('recover-test-');

  it('plans again with import blocks in recover.tf.json, then removes the file', async () => {
    const dir = stackDir();
    const { lookup } = tenant({
      actions: [{ id: 'act_1', name: 'conditional-mfa', triggers: ['post-login'] }],
    });
    let seen: unknown;
    const replanned = { json: plan() };
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const result = await recoverOrphans(
        { dir, stackName: 'auth0-test', config },
        { json: plan(ACTION) },
        async () => {
          seen = JSON.parse(readFileSync(join(dir, RECOVERY_FILE), 'utf8'));
          return replanned;
        },
        lookup,
      );
      expect(result).toBe(replanned);
    } finally {
      errors.mockRestore();
    }
    expect(seen).toEqual({ import: [{ to: 'auth0_action.act', id: 'act_1' }] });
    expect(() => readFileSync(join(dir, RECOVERY_FILE))).toThrow();
  });

  it('keeps the plan, without a lookup, when it creates nothing', async () => {
    const { lookup, calls } = tenant({});
    const original = { json: plan(change('auth0_user', 'a', {}, ['update'])) };
    const replan = jest.fn();
    expect(await recoverOrphans({ dir: stackDir(), stackName: 's', config }, original, replan, lookup)).toBe(
      original,
    );
    expect(replan).not.toHaveBeenCalled();
    expect(calls).toEqual([]);
  });
});
