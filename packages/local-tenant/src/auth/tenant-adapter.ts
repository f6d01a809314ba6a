// TenantPort over the TenantStore: users, passwords, bindings and deployed versions, guardian
// settings, the post-login event, and the `auth` section of tenant.json.

import type { PipelineAction } from '../actions-runtime/pipeline';
import type { WireFlowState } from '../actions-runtime/protocol';
import { userView } from '../api/users';
import { buildPostLoginEvent, newTransactionId, userRoleNames } from '../login/event';
import { type LoginWrite, writeBackLogin } from '../login/write-back';
import { deployedVersion, findAction, triggerBindings } from '../tenant/actions';
import { enabledFactors } from '../tenant/guardian';
import type { Immutable, JsonMap, StoredUser } from '../tenant/model';
import { verifyPassword } from '../tenant/passwords';
import type { TenantStore } from '../tenant/store';
import { findConnection, normalizeEmail } from '../tenant/users';
import type { AuthData } from './model';
import type { EventContext, LoginUser, TenantPort } from './tenant-port';

function loginUser(user: Immutable<StoredUser>): LoginUser {
  return structuredClone({
    ...userView(user),
    user_id: user.user_id,
    connection: user.connection,
    blocked: user.blocked === true,
    user_metadata: user.user_metadata ?? {},
    app_metadata: user.app_metadata ?? {},
  }) as LoginUser;
}

export class StoreTenantPort implements TenantPort {
  constructor(
    private readonly store: TenantStore,
    private readonly domain: () => string,
  ) {}

  private get data() {
    return this.store.state;
  }

  private stored(userId: string): Immutable<StoredUser> | undefined {
    return this.data.users.get(userId);
  }

  tenantName(): string {
    return String(this.data.settings.friendly_name || 'Local Tenant');
  }

  connections(): string[] {
    return this.data.connections.map((c) => c.name);
  }

  defaultDirectory(): string | undefined {
    return (this.data.settings.default_directory as string | undefined) || undefined;
  }

  allowedLogoutUrls(): readonly unknown[] {
    const urls = this.data.settings.allowed_logout_urls;
    return Array.isArray(urls) ? urls : [];
  }

  findUserByEmail(email: string, connection?: string): LoginUser | undefined {
    const user = this.data.users
      .byEmail(normalizeEmail(email))
      .find((u) => !connection || u.connection === connection);
    return user && loginUser(user);
  }

  findUserById(id: string): LoginUser | undefined {
    const user = this.stored(id);
    return user && loginUser(user);
  }

  async checkPassword(userId: string, password: string): Promise<boolean> {
    return verifyPassword(password, this.stored(userId)?.password_hash);
  }

  writeBack(userId: string, write: LoginWrite): void {
    writeBackLogin(this.store, userId, write);
  }

  postLoginActions(): PipelineAction[] | { undeployed: string } {
    const actions: PipelineAction[] = [];
    for (const binding of triggerBindings(this.data, 'post-login')) {
      const action = findAction(this.data, binding.action_id);
      const version = action && deployedVersion(action);
      if (!action || !version) return { undeployed: action?.name ?? binding.display_name };
      actions.push({
        versionId: version.id,
        name: action.name,
        runtime: version.runtime,
        code: version.code,
        secrets: Object.fromEntries(version.secrets.map((s) => [s.name, s.value])),
        installedDependencies: version.installed_dependencies,
      });
    }
    return actions;
  }

  enabledFactors(): string[] {
    return enabledFactors(this.data.guardian);
  }

  policy(): string | undefined {
    return this.data.guardian.policies[0];
  }

  postLoginEvent(
    userId: string,
    state: WireFlowState,
    secrets: Record<string, string>,
    context: EventContext,
  ): JsonMap {
    const user = this.stored(userId) as StoredUser;
    const connection = findConnection(this.data, user.connection) ?? this.data.connections[0];
    const event = buildPostLoginEvent({
      user,
      userMetadata: state.userMetadata,
      appMetadata: state.appMetadata,
      connection,
      roles: userRoleNames(this.data, userId),
      protocol: context.protocol,
      domain: this.domain(),
      secrets,
      client: { client_id: context.clientId, name: context.clientName },
      ip: context.ip,
      transactionId: newTransactionId(),
      loginTime: new Date().toISOString(),
    });
    const transaction = event.transaction as JsonMap;
    transaction.requested_scopes = context.scope;
    if (context.redirectUri) transaction.redirect_uri = context.redirectUri;
    if (context.state) transaction.state = context.state;
    const request = event.request as JsonMap;
    request.user_agent = context.userAgent;
    request.method = context.method;
    return { ...event, authentication: { methods: context.methods } };
  }

  auth(): Immutable<AuthData> {
    return this.data.auth;
  }

  changeAuth<T>(change: (auth: AuthData) => T): T {
    return this.store.transaction((d) => change(d.auth));
  }
}
