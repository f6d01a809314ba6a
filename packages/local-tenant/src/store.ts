// The tenant's whole state in one JSON file (`tenant.json`), rewritten atomically (temp file + rename)
// after every change, so a restarted tenant still matches the Terraform state written against it.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

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
  /** `pending` until the draft is next observed (read, deployed, bound): the build is instant here. */
  status: 'pending' | 'built';
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

export interface StoredConnection {
  id: string;
  name: string;
  strategy: string;
}

export interface TenantData {
  schemaVersion: 1;
  settings: JsonMap;
  guardian: GuardianData;
  actions: StoredAction[];
  /** Ordered bindings per trigger id. */
  bindings: Record<string, StoredBinding[]>;
  users: StoredUser[];
  connections: StoredConnection[];
}

export const DATA_FILE = 'tenant.json';

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

export function emptyTenantData(): TenantData {
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
  };
}

export class StoreError extends Error {}

export class TenantStore {
  readonly file: string;
  data: TenantData;

  private constructor(
    readonly dir: string,
    data: TenantData,
  ) {
    this.file = join(dir, DATA_FILE);
    this.data = data;
  }

  /** Loads `<dir>/tenant.json`, or creates an empty tenant there. A corrupt file is an error, never overwritten. */
  static open(dir: string): TenantStore {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = join(dir, DATA_FILE);
    if (!existsSync(file)) {
      const store = new TenantStore(dir, emptyTenantData());
      store.save();
      return store;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new StoreError(
        `${file} is not valid JSON (${(error as Error).message}); move it away to start afresh`,
      );
    }
    if (typeof parsed !== 'object' || parsed === null || (parsed as TenantData).schemaVersion !== 1) {
      throw new StoreError(`${file} is not a local tenant data file (schemaVersion 1)`);
    }
    const data = parsed as TenantData;
    // Fill sections added after the file was written, keep everything already there.
    const fresh = emptyTenantData();
    data.settings ??= fresh.settings;
    data.guardian = {
      ...fresh.guardian,
      ...data.guardian,
      factors: { ...fresh.guardian.factors, ...data.guardian?.factors },
    };
    data.actions ??= [];
    data.bindings ??= {};
    data.users ??= [];
    if (!data.connections?.length) data.connections = fresh.connections;
    return new TenantStore(dir, data);
  }

  /** Writes the data file atomically: a reader never sees a half-written file. */
  save(): void {
    const tmp = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      writeFileSync(tmp, `${JSON.stringify(this.data, null, 2)}\n`, { mode: 0o600 });
      renameSync(tmp, this.file);
    } catch (error) {
      try {
        unlinkSync(tmp);
      } catch {
        // nothing to clean up
      }
      throw error;
    }
  }

  /** Runs `change`; keeps and saves its effects only when it returns without throwing. */
  transaction<T>(change: (data: TenantData) => T): T {
    const snapshot = structuredClone(this.data);
    try {
      const result = change(this.data);
      this.save();
      return result;
    } catch (error) {
      this.data = snapshot;
      throw error;
    }
  }
}
