// The tenant's data model: what Auth0 keeps for the parts served here, and a fresh tenant's defaults.
// Plain data, no HTTP: the API areas (src/api) shape it into Auth0's responses.

import { randomBytes } from 'node:crypto';
import { type AuthData, emptyAuthData } from '../auth/model';
import type { UserReader, UserWriter } from './user-table';

/** A deeply read-only view: what readers of the store get, so only transactions change state. */
export type Immutable<T> = T extends (...args: never[]) => unknown
  ? T
  : T extends (infer U)[]
    ? readonly Immutable<U>[]
    : T extends object
      ? { readonly [K in keyof T]: Immutable<T[K]> }
      : T;

export const FACTOR_NAMES = [
  'sms',
  'push-notification',
  'otp',
  'email',
  'duo',
  'webauthn-roaming',
  'webauthn-platform',
  'recovery-code',
] as const;
export type FactorName = (typeof FACTOR_NAMES)[number];

export type JsonMap = Record<string, unknown>;

export interface GuardianData {
  policies: string[];
  factors: Record<FactorName, boolean>;
  phoneSelectedProvider: string;
  phoneMessageTypes: string[];
  smsTemplates: { enrollment_message: string; verification_message: string };
  twilio: JsonMap;
  pushSelectedProvider: string;
  pushCustomApp: JsonMap;
  apns: JsonMap;
  fcm: JsonMap;
  fcmv1: JsonMap;
  sns: JsonMap;
  duo: JsonMap;
  webauthnRoaming: JsonMap;
  webauthnPlatform: JsonMap;
}

export interface ActionTriggerRef {
  id: string;
  version: string;
}

export interface StoredSecret {
  name: string;
  value: string;
  updated_at: string;
}

export interface StoredVersion {
  id: string;
  number: number;
  code: string;
  dependencies: JsonMap[];
  runtime: string;
  secrets: StoredSecret[];
  supported_triggers: ActionTriggerRef[];
  created_at: string;
  updated_at: string;
  built_at: string;
  /** The key of its installed dependencies in the dependency cache (builds/install-cache.ts), when it has any. */
  installed_dependencies?: string;
}

/** An error of a failed build, in the shape of Auth0's ActionError. */
export interface BuildError {
  id: string;
  msg: string;
}

/**
 * A draft's build: `pending` until `ready_at`, then `built`; with dependencies, also until the registry
 * check of build `id` recorded its outcome (`failed` with its errors when a dependency cannot be installed;
 * `built` with the key of the installed set).
 */
export interface StoredBuild {
  ready_at: string;
  dependencies?: {
    id: string;
    outcome?: { status: 'built'; installed?: string } | { status: 'failed'; errors: BuildError[] };
  };
}

export interface StoredAction {
  id: string;
  name: string;
  supported_triggers: ActionTriggerRef[];
  code: string;
  dependencies: JsonMap[];
  runtime: string;
  secrets: StoredSecret[];
  modules?: JsonMap[];
  created_at: string;
  updated_at: string;
  /** The draft's build (see tenant/actions.ts buildStatus). */
  build: StoredBuild;
  versions: StoredVersion[];
  deployed_version_id?: string;
  all_changes_deployed: boolean;
}

export interface StoredBinding {
  id: string;
  trigger_id: string;
  action_id: string;
  display_name: string;
  created_at: string;
  updated_at: string;
}

export interface StoredUser {
  user_id: string;
  connection: string;
  email?: string;
  email_verified: boolean;
  username?: string;
  phone_number?: string;
  phone_verified?: boolean;
  name?: string;
  nickname?: string;
  picture?: string;
  given_name?: string;
  family_name?: string;
  blocked?: boolean;
  user_metadata?: JsonMap;
  app_metadata?: JsonMap;
  /** scrypt$N$r$p$salt$hash, never returned by any route. */
  password_hash?: string;
  created_at: string;
  updated_at: string;
  last_login?: string;
  last_ip?: string;
  logins_count?: number;
  last_password_reset?: string;
}

export interface StoredRole {
  id: string;
  name: string;
  description?: string;
}

export interface StoredOrganization {
  id: string;
  name: string;
  display_name?: string;
  branding?: JsonMap;
  metadata?: Record<string, string>;
  created_at: string;
}

/**
 * Who holds a role or belongs to an organization: group id -> user ids, as keys in the order they were
 * added (a link is one key, so adding or removing one logs one patch, whatever the group's size).
 */
export type Memberships = Record<string, Record<string, true>>;

export interface StoredConnection {
  id: string;
  name: string;
  strategy: string;
}

/** Everything but the users: small, kept whole. */
export interface TenantDocument {
  schemaVersion: 1;
  settings: JsonMap;
  guardian: GuardianData;
  actions: StoredAction[];
  /** Ordered bindings per trigger id. */
  bindings: Record<string, StoredBinding[]>;
  connections: StoredConnection[];
  roles: StoredRole[];
  /** Role id -> the users it is assigned to. */
  roleUsers: Memberships;
  organizations: StoredOrganization[];
  /** Organization id -> its members. */
  organizationMembers: Memberships;
  /** Logins: the login application, MFA authenticators, refresh tokens, remembered browsers. */
  auth: AuthData;
}

/** `tenant.json`: the document and every user. */
export interface TenantFile extends TenantDocument {
  users: StoredUser[];
}

/** What a transaction changes: the document in place, users through the table's writer. */
export interface TenantData extends TenantDocument {
  users: UserWriter;
}

/** What readers see. */
export type TenantState = Immutable<TenantDocument> & { readonly users: UserReader };

export function defaultSettings(): JsonMap {
  return {
    allowed_logout_urls: [],
    default_audience: '',
    default_directory: '',
    enabled_locales: ['en'],
    flags: {
      allow_changing_enable_sso: false,
      disable_impersonation: true,
      enable_sso: true,
      universal_login: true,
      revoke_refresh_token_grant: false,
      disable_clickjack_protection_headers: false,
      enable_public_signup_user_exists_error: false,
      use_scope_descriptions_for_consent: false,
      no_disclose_enterprise_connections: false,
      disable_management_api_sms_obfuscation: false,
      disable_fields_map_fix: false,
    },
    friendly_name: 'Local Tenant',
    picture_url: '',
    support_email: '',
    support_url: '',
    idle_session_lifetime: 72,
    session_lifetime: 168,
    sandbox_version: '22',
    oidc_logout: { rp_logout_end_session_endpoint_discovery: true },
    resource_parameter_profile: 'audience',
    session_cookie: { mode: 'persistent' },
  };
}

export function defaultGuardian(): GuardianData {
  return {
    policies: [],
    factors: {
      sms: false,
      'push-notification': false,
      otp: false,
      email: false,
      duo: false,
      'webauthn-roaming': false,
      'webauthn-platform': false,
      'recovery-code': false,
    },
    phoneSelectedProvider: 'auth0',
    phoneMessageTypes: ['sms'],
    smsTemplates: {
      enrollment_message:
        '{{code}} is your verification code for {{tenant.friendly_name}}. Please enter this code to verify your enrollment.',
      verification_message: '{{code}} is your verification code for {{tenant.friendly_name}}',
    },
    twilio: {},
    pushSelectedProvider: 'guardian',
    pushCustomApp: {},
    apns: {},
    fcm: {},
    fcmv1: {},
    sns: {},
    duo: {},
    webauthnRoaming: { userVerification: 'preferred', overrideRelyingParty: false },
    webauthnPlatform: { overrideRelyingParty: false },
  };
}

export function emptyTenantFile(): TenantFile {
  return {
    schemaVersion: 1,
    settings: defaultSettings(),
    guardian: defaultGuardian(),
    actions: [],
    bindings: {},
    users: [],
    connections: [
      {
        id: `con_${randomBytes(8).toString('hex')}`,
        name: 'Username-Password-Authentication',
        strategy: 'auth0',
      },
    ],
    roles: [],
    roleUsers: {},
    organizations: [],
    organizationMembers: {},
    auth: emptyAuthData(),
  };
}
