// The login simulator: runs the post-login trigger's bound Actions, in binding order, for one stored
// user, each Action's DEPLOYED version (never the draft), and reports what the flow decided.
import { WRONG_CREDENTIALS } from '../auth/errors';
import { ApiError } from '../server/errors';
import { deployedVersion, findAction, triggerBindings } from '../tenant/actions';
import { enabledFactors } from '../tenant/guardian';
import type { JsonMap } from '../tenant/model';
import { verifyPassword } from '../tenant/passwords';
import type { TenantStore } from '../tenant/store';
import { normalizeEmail } from '../tenant/users';
import { createPostLoginApi, type FlowState, newFlowState } from './api';
import {
  buildPostLoginEvent,
  NON_INTERACTIVE_PROTOCOLS,
  newTransactionId,
  PROTOCOLS,
  userRoleNames,
} from './event';
import { decideFlow, mfaDemand } from './outcome';
import { ActionSandbox, describeError } from './sandbox';
import { writeBackLogin } from './write-back';

export interface LoginOptions {
  email?: string;
  userId?: string;
  /** `event.transaction.protocol`; default `oidc-basic-profile`. */
  protocol?: string;
  /** When given, checked against the stored hash first, as a real password login would. */
  password?: string;
  /** Per-Action time limit in ms (default 5000). */
  timeoutMs?: number;
  /** Apply the Actions' metadata changes and login stats to the stored user (default true, as Auth0). */
  persist?: boolean;
}

export interface LoginResult {
  /** True when the login went through: not denied, no Action failed, and any MFA asked for can be done. */
  ok: boolean;
  user: { id: string; email?: string };
  protocol: string;
  /** Names of the Actions that ran, in order. */
  actionsRun: string[];
  mfa: { required: boolean; provider?: string; options?: JsonMap };
  /** Who asked for MFA: the name of the Action, or `policy` (the tenant's MFA policy). */
  mfaRequestedBy?: string;
  /** Factors enabled on the tenant: what a challenge could use. */
  enabledFactors: string[];
  denied?: { reason: string; action?: string };
  /** Why the login failed when it was not a denial (an Action threw, MFA impossible, bad password). */
  error?: { message: string; action?: string };
  redirect?: { url: string; query?: JsonMap; action: string };
  idTokenClaims: JsonMap;
  accessTokenClaims: JsonMap;
  userMetadataUpdates: JsonMap;
  appMetadataUpdates: JsonMap;
  /** console output of the Actions, prefixed with the Action name. */
  logs: string[];
}

export interface LoginContext {
  domain: string;
  clientId: string;
}

function resolveUser(store: TenantStore, options: LoginOptions) {
  if (options.userId) {
    const user = store.state.users.get(options.userId);
    if (!user) throw ApiError.management(404, `Unknown user: ${options.userId}`, 'inexistent_user');
    return user;
  }
  if (options.email) {
    const matches = store.state.users.byEmail(normalizeEmail(options.email));
    if (matches.length === 0)
      throw ApiError.management(404, `Unknown user: ${options.email}`, 'inexistent_user');
    return matches[0];
  }
  throw ApiError.management(400, 'Give the email or the user id of the user who logs in', 'invalid_body');
}

export async function runLoginFlow(
  store: TenantStore,
  options: LoginOptions,
  context: LoginContext,
): Promise<LoginResult> {
  const protocol = options.protocol ?? 'oidc-basic-profile';
  if (!PROTOCOLS.includes(protocol)) {
    throw ApiError.management(
      400,
      `Unknown protocol "${protocol}" (one of ${PROTOCOLS.join(', ')})`,
      'invalid_body',
    );
  }
  const user = resolveUser(store, options);
  const data = store.state;
  const connection = data.connections.find((c) => c.name === user.connection) ?? data.connections[0];
  const state: FlowState = newFlowState(user.user_metadata ?? {}, user.app_metadata ?? {});
  const factors = enabledFactors(data.guardian);
  const result: LoginResult = {
    ok: true,
    user: { id: user.user_id, email: user.email },
    protocol,
    actionsRun: [],
    mfa: { required: false },
    enabledFactors: factors,
    idTokenClaims: state.idTokenClaims,
    accessTokenClaims: state.accessTokenClaims,
    userMetadataUpdates: state.userMetadataUpdates,
    appMetadataUpdates: state.appMetadataUpdates,
    logs: [],
  };

  if (options.password !== undefined && !(await verifyPassword(options.password, user.password_hash))) {
    result.ok = false;
    result.error = { message: WRONG_CREDENTIALS };
    return result;
  }
  if (user.blocked) {
    result.ok = false;
    result.denied = { reason: 'user is blocked' };
    return result;
  }

  const transactionId = newTransactionId();
  const roles = userRoleNames(data, user.user_id);
  const loginTime = new Date().toISOString();
  // Snapshot what runs now: the deployed versions bound at the start of the flow.
  const plan = triggerBindings(data, 'post-login').map((binding) => {
    const action = findAction(data, binding.action_id);
    return { binding, action, version: action ? deployedVersion(action) : undefined };
  });

  let threw = false;
  for (const { binding, action, version } of plan) {
    const name = action?.name ?? binding.display_name;
    if (!action || !version) {
      result.ok = false;
      result.error = { message: `The bound action "${name}" has no deployed version`, action: name };
      break;
    }
    const secrets = Object.fromEntries(version.secrets.map((s) => [s.name, s.value]));
    const sandbox = new ActionSandbox(version.code, {
      name,
      timeoutMs: options.timeoutMs,
      log: (line) => result.logs.push(`[${name}] ${line}`),
    });
    try {
      const event = sandbox.adopt(
        buildPostLoginEvent({
          user,
          userMetadata: state.userMetadata,
          appMetadata: state.appMetadata,
          connection,
          roles,
          protocol,
          domain: context.domain,
          secrets,
          client: { client_id: context.clientId, name: 'Local Login Simulator' },
          ip: '127.0.0.1',
          transactionId,
          loginTime,
        }),
      ) as { user: JsonMap };
      const api = createPostLoginApi(state, name, event);
      result.actionsRun.push(name);
      const ran = await sandbox.call('onExecutePostLogin', [event, api]);
      if (!ran) result.logs.push(`[${name}] (no onExecutePostLogin export: nothing to run)`);
    } catch (error) {
      threw = true;
      result.ok = false;
      result.error = { message: describeError(error), action: name };
      break;
    } finally {
      sandbox.dispose();
    }
    if (state.denied || state.redirect) break;
  }

  const policy = data.guardian.policies[0];
  const demand = mfaDemand(state.mfa, policy);
  if (demand) {
    result.mfa = { required: true, provider: demand.ask.provider };
    if (demand.ask.options) result.mfa.options = demand.ask.options;
    result.mfaRequestedBy = demand.requestedBy;
  }
  if (state.denied) {
    result.ok = false;
    result.denied = state.denied;
  }
  if (state.redirect) result.redirect = state.redirect;

  if (decideFlow({ ...state, failure: result.error }, policy).kind === 'mfa') {
    if (NON_INTERACTIVE_PROTOCOLS.includes(protocol)) {
      result.ok = false;
      result.error = {
        message: `mfa_required: multi-factor authentication cannot be performed in a non-interactive ${protocol} transaction`,
        action: state.mfa?.action,
      };
    } else if (factors.length === 0) {
      result.ok = false;
      result.error = {
        message: 'multi-factor authentication was required but no MFA factor is enabled on the tenant',
        action: state.mfa?.action,
      };
    }
  }

  // As in Auth0, metadata changes survive a denial but not a failed Action.
  if (options.persist !== false && !threw) {
    writeBackLogin(store, user.user_id, {
      metadata: state,
      completed: result.ok ? { ip: '127.0.0.1' } : undefined,
    });
  }
  return result;
}
