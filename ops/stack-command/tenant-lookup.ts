// The few Management API reads that recovery makes (./recover), through the shared client (../management) with
// the same credentials and CA bundle as the provider: AUTH0_CLIENT_ID/SECRET or AUTH0_API_TOKEN, and
// SSL_CERT_FILE, which Go (and so the provider) reads as the whole list of trusted CAs.
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import type { Management } from 'auth0';
import { Agent, fetch as undiciFetch } from 'undici';
import { createManagementClient, type FetchLike, listBindings } from '../management/client';
import { connectionFromEnv } from '../management/credentials';

export interface TenantAction {
  id: string;
  name: string;
  triggers: string[];
}

export interface TenantUser {
  userId: string;
  email: string;
  connections: string[];
}

export interface TenantBinding {
  actionId: string;
  actionName: string;
}

/** What recovery asks the tenant; tests pass their own. */
export interface TenantLookup {
  actionsNamed(name: string): Promise<TenantAction[]>;
  usersWithEmail(email: string): Promise<TenantUser[]>;
  bindings(trigger: string): Promise<TenantBinding[]>;
}

const BINDINGS_PER_PAGE = 20;
/** What the lookups below read. */
const RECOVERY_SCOPES = 'read:actions and read:users';

/** fetch trusting exactly the CAs the provider trusts, when SSL_CERT_FILE names them. */
function providerFetch(env: NodeJS.ProcessEnv): FetchLike | undefined {
  const bundle = env.SSL_CERT_FILE;
  if (!bundle) return undefined;
  // One secure context for all connections: parsing a whole CA bundle per connection costs ~80 ms each.
  const secureContext = createSecureContext({ ca: readFileSync(bundle) });
  const dispatcher = new Agent({ connect: { secureContext } });
  return ((url: Parameters<typeof fetch>[0], init?: RequestInit) =>
    undiciFetch(url as string, { ...(init as object), dispatcher })) as unknown as FetchLike;
}

export function managementLookup(domain: string, env: NodeJS.ProcessEnv = process.env): TenantLookup {
  const client = createManagementClient({
    ...connectionFromEnv(env, RECOVERY_SCOPES),
    domain,
    fetch: providerFetch(env),
  });
  return {
    async actionsNamed(name) {
      const { data } = await client.actions.list({ actionName: name });
      return data.map((action) => ({
        id: action.id ?? '',
        name: action.name ?? '',
        triggers: (action.supported_triggers ?? []).map((trigger) => trigger.id),
      }));
    },
    async usersWithEmail(email) {
      // users-by-email, not search: search lags a few seconds behind a creation, this does not.
      const users = await client.users.listUsersByEmail({ email });
      return users.map((user) => ({
        userId: user.user_id ?? '',
        email: user.email ?? '',
        connections: (user.identities ?? []).map((identity) => identity.connection ?? ''),
      }));
    },
    async bindings(trigger) {
      // The stack's own trigger id (post-login); the tenant answers an unknown one with 400.
      const triggerId = trigger as Management.ActionTriggerTypeEnum;
      const bindings = await listBindings(client, triggerId, BINDINGS_PER_PAGE);
      return bindings.flatMap((binding): TenantBinding[] =>
        binding.action?.id ? [{ actionId: binding.action.id, actionName: binding.action.name ?? '' }] : [],
      );
    },
  };
}
