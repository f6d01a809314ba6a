// Recovery after an interrupted apply. A deploy killed mid-apply (or stopped while a create was in
// flight) leaves objects in the tenant that the state does not know: every later plan wants to create
// them again and the apply fails with 409 "already exists". So, when a plan creates one of the objects
// this stack owns, the tenant is asked whether it exists already, matched exactly as Auth0 keeps it
// unique (the Action by name and trigger, a user by email in its connection, the binding by our
// Action in the trigger's list), and the plan is made again with an `import` block for each: Terraform
// adopts the object and then updates it to the configuration. Nothing is looked up when nothing is to
// be created, so an ordinary plan costs nothing more.
//
// The import blocks go to recover.tf.json beside the synthesized cdk.tf.json (Terraform reads every
// *.tf.json of the folder), not into cdk.tf.json: the synthesized file stays exactly what the code
// says, and the file is removed as soon as the plan is saved (a saved plan carries its configuration).
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runPool } from '../management/pool';
import type { JsonValue, PlanJson, PlanResourceChange } from './plan-json';
import type { TenantLookup } from './tenant-lookup';

export const RECOVERY_FILE = 'recover.tf.json';

export interface Orphan {
  address: string;
  /** The import id. */
  id: string;
  /** What was matched, for the log. */
  description: string;
}

type Values = Record<string, JsonValue>;

function asValues(value: JsonValue | undefined): Values {
  return value !== null && value !== undefined && typeof value === 'object' && !Array.isArray(value)
    ? value
    : {};
}

const after = (rc: PlanResourceChange): Values => asValues(rc.change.after);

const text = (value: JsonValue | undefined): string | undefined =>
  typeof value === 'string' ? value : undefined;

/** Created from nothing: not a replacement, not an import. */
function creates(json: PlanJson): PlanResourceChange[] {
  return (json.resource_changes ?? []).filter(
    (rc) =>
      rc.mode === 'managed' &&
      rc.change.actions.length === 1 &&
      rc.change.actions[0] === 'create' &&
      !rc.change.importing,
  );
}

/** The post-login Action of this stack, whatever the plan does with it. */
function ourActionName(json: PlanJson): string | undefined {
  const action = (json.resource_changes ?? []).find((rc) => rc.type === 'auth0_action');
  return action ? text(after(action).name ?? asValues(action.change.before).name) : undefined;
}

async function findAction(rc: PlanResourceChange, lookup: TenantLookup): Promise<Orphan | undefined> {
  const name = text(after(rc).name);
  if (!name) return undefined;
  const triggers = after(rc).supported_triggers;
  const trigger = Array.isArray(triggers) ? text((triggers[0] as Values | undefined)?.id) : undefined;
  const matches = (await lookup.actionsNamed(name)).filter(
    (action) => action.name === name && (!trigger || action.triggers.includes(trigger)),
  );
  if (matches.length !== 1) return undefined;
  return { address: rc.address, id: matches[0].id, description: `Action "${name}"` };
}

async function findUser(rc: PlanResourceChange, lookup: TenantLookup): Promise<Orphan | undefined> {
  const email = text(after(rc).email);
  const connection = text(after(rc).connection_name);
  if (!email || !connection) return undefined;
  // Auth0 keeps emails in lower case; an email is unique within a database connection.
  const matches = (await lookup.usersWithEmail(email)).filter(
    (user) => user.email.toLowerCase() === email.toLowerCase() && user.connections.includes(connection),
  );
  if (matches.length !== 1) return undefined;
  return { address: rc.address, id: matches[0].userId, description: `user ${email} in ${connection}` };
}

async function findBinding(
  rc: PlanResourceChange,
  actionName: string | undefined,
  lookup: TenantLookup,
): Promise<Orphan | undefined> {
  const trigger = text(after(rc).trigger);
  if (!trigger || !actionName) return undefined;
  // Ours only when our Action is bound: another list is someone else's (`adopt` takes it over).
  const ours = (await lookup.bindings(trigger)).find((binding) => binding.actionName === actionName);
  if (!ours) return undefined;
  const description = `${trigger} binding of "${actionName}"`;
  if (rc.type === 'auth0_trigger_actions') return { address: rc.address, id: trigger, description };
  return { address: rc.address, id: `${trigger}::${ours.actionId}`, description };
}

/** Few at a time: tenants allow 2 to 16 requests a second, and each new connection is a TLS handshake. */
const LOOKUPS_IN_FLIGHT = 4;

/** How each resource type the stack creates is looked up in the tenant; other types are not searched. */
const FINDERS: Record<
  string,
  (
    rc: PlanResourceChange,
    lookup: TenantLookup,
    actionName: string | undefined,
  ) => Promise<Orphan | undefined>
> = {
  auth0_action: (rc, lookup) => findAction(rc, lookup),
  auth0_user: (rc, lookup) => findUser(rc, lookup),
  auth0_trigger_actions: (rc, lookup, actionName) => findBinding(rc, actionName, lookup),
  auth0_trigger_action: (rc, lookup, actionName) => findBinding(rc, actionName, lookup),
};

export interface OrphanSearch {
  orphans: Orphan[];
  /** Objects the plan creates that were looked up. */
  checked: number;
  ms: number;
}

/** The objects the plan would create that exist in the tenant already. */
export async function findOrphans(json: PlanJson, lookup: TenantLookup): Promise<OrphanSearch> {
  const started = performance.now();
  const actionName = ourActionName(json);
  const candidates = creates(json).filter((rc) => Object.hasOwn(FINDERS, rc.type));
  const found: (Orphan | undefined)[] = [];
  await runPool(
    candidates,
    async (rc, index) => {
      found[index] = await FINDERS[rc.type](rc, lookup, actionName);
    },
    { concurrency: LOOKUPS_IN_FLIGHT },
  );
  const orphans = found.filter((orphan): orphan is Orphan => orphan !== undefined);
  const checked = candidates.length;
  return { orphans, checked, ms: performance.now() - started };
}

export function writeRecoveryImports(stackDir: string, orphans: Orphan[]): string {
  const file = join(stackDir, RECOVERY_FILE);
  const body = { import: orphans.map((orphan) => ({ to: orphan.address, id: orphan.id })) };
  writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`);
  return file;
}

interface RecoverableStack {
  dir: string;
  stackName: string;
  /** The configuration the stack was synthesized from: its domain is the provider's. */
  config: { domain: string };
}

interface RecoverablePlan {
  json: PlanJson;
}

const recovered = new WeakSet<object>();

/**
 * The Management API lookups, loaded only when a plan creates something: the auth0 SDK they use costs
 * every plan and deploy about half a second of start-up.
 */
function managementLookup(domain: string): TenantLookup {
  return (require('./tenant-lookup') as typeof import('./tenant-lookup')).managementLookup(domain);
}

/**
 * Returns `plan`, or, when objects it would create exist in the tenant already, a new plan (made by
 * `replan`) that imports them first. `lookup` defaults to the Management API of the stack's domain.
 */
export async function recoverOrphans<P extends RecoverablePlan>(
  stack: RecoverableStack,
  plan: P,
  replan: () => Promise<P>,
  lookup?: TenantLookup,
): Promise<P> {
  // Once per stack: the new plan imports what was found, and is not searched again.
  if (recovered.has(stack) || creates(plan.json).length === 0) return plan;
  const search = await findOrphans(plan.json, lookup ?? managementLookup(stack.config.domain));
  if (search.orphans.length === 0) return plan;
  for (const orphan of search.orphans) {
    console.error(
      `recover: ${orphan.description} exists in the tenant (${orphan.id}) but not in the state of ${stack.stackName}: importing it as ${orphan.address}`,
    );
  }
  console.error(
    `recover: ${search.orphans.length} of ${search.checked} object(s) to create already existed (lookups ${(search.ms / 1000).toFixed(2)} s); planning again with the imports`,
  );
  recovered.add(stack);
  const file = writeRecoveryImports(stack.dir, search.orphans);
  try {
    return await replan();
  } finally {
    rmSync(file, { force: true });
  }
}
