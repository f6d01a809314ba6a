// What the Authentication API needs of the tenant, whatever stores it: users, passwords, the login
// event, and the `auth` section of the data. Implemented over the TenantStore in tenant-adapter.ts.
import type { WireFlowState } from '../actions-runtime/protocol';
import type { Immutable, JsonMap } from '../tenant/model';
import type { UserProfile } from './issue';
import type { LoginTenant } from './login-flow';
import type { AuthData } from './model';

export interface LoginUser extends UserProfile {
  connection: string;
  blocked: boolean;
  user_metadata: JsonMap;
  app_metadata: JsonMap;
}

export interface EventContext {
  clientId: string;
  clientName: string;
  protocol: string;
  scope: string[];
  ip: string;
  userAgent: string;
  method: 'GET' | 'POST';
  redirectUri?: string;
  state?: string;
  /** `event.authentication.methods` so far. */
  methods: Array<{ name: string; timestamp: string }>;
}

export interface TenantPort extends LoginTenant {
  tenantName(): string;
  /** Connections of the database strategy, by name. */
  connections(): string[];
  /** The tenant's `default_directory` setting: the connection of the plain password grant. */
  defaultDirectory(): string | undefined;
  /** The tenant's Allowed Logout URLs (`allowed_logout_urls` setting), for logouts without a client. */
  allowedLogoutUrls(): readonly unknown[];
  findUserByEmail(email: string, connection?: string): LoginUser | undefined;
  findUserById(id: string): LoginUser | undefined;
  checkPassword(userId: string, password: string): Promise<boolean>;
  postLoginEvent(
    userId: string,
    state: WireFlowState,
    secrets: Record<string, string>,
    context: EventContext,
  ): JsonMap;
  auth(): Immutable<AuthData>;
  changeAuth<T>(change: (auth: AuthData) => T): T;
}
