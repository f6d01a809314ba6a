// Reads a TenantSnapshot through the official auth0 SDK (with the mfa tool's retry rules: 429 waits for
// X-RateLimit-Reset, 5xx and failed connections are retried). Only GETs: adopting never changes the tenant.
// The SDK has no call for the Duo and WebAuthn settings; those two are plain GETs with the same token.
import { AuthenticationClient, type ManagementClient } from 'auth0/legacy';
import type { Auth, FetchLike } from '../mfa/client';
import type { TenantSnapshot } from './snapshot';

const PER_PAGE = 50;

async function postLoginBindings(client: ManagementClient): Promise<TenantSnapshot['bindings']> {
  const bindings: TenantSnapshot['bindings'] = [];
  for (let page = 0; ; page++) {
    const { data } = await client.actions.getTriggerBindings({
      triggerId: 'post-login',
      page,
      per_page: PER_PAGE,
    });
    for (const b of data.bindings) {
      bindings.push({ actionId: b.action.id, actionName: b.action.name, displayName: b.display_name });
    }
    if (data.bindings.length < PER_PAGE) return bindings;
  }
}

export interface SettingsReader {
  /** GET /api/v2/<path>, the body as JSON. */
  get(path: string): Promise<Record<string, unknown>>;
}

/** The two reads the SDK lacks, with a token of their own (a client-credentials grant, or the API token). */
export function settingsReader(
  domain: string,
  auth: Auth,
  fetchImpl: FetchLike,
  audience?: string,
): SettingsReader {
  let token: Promise<string> | undefined;
  const accessToken = () => {
    token ??=
      'token' in auth
        ? Promise.resolve(auth.token)
        : new AuthenticationClient({ domain, ...auth, fetch: fetchImpl as typeof fetch }).oauth
            .clientCredentialsGrant({ audience: audience ?? `https://${domain}/api/v2/` })
            .then(({ data }) => data.access_token);
    return token;
  };
  return {
    async get(path) {
      const response = await fetchImpl(`https://${domain}/api/v2/${path}`, {
        headers: { authorization: `Bearer ${await accessToken()}`, accept: 'application/json' },
      });
      if (!response.ok) {
        const error = new Error(`GET /api/v2/${path}: ${response.status} ${await response.text()}`);
        throw Object.assign(error, { statusCode: response.status });
      }
      return (await response.json()) as Record<string, unknown>;
    },
  };
}

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
const flag = (value: unknown) => (typeof value === 'boolean' ? value : undefined);

export async function readTenant(
  client: ManagementClient,
  settings: SettingsReader,
  actionName: string,
): Promise<TenantSnapshot> {
  const policies = (await client.guardian.getPolicies()).data;
  const factors = (await client.guardian.getFactors()).data.map((f) => ({
    name: f.name ?? '',
    enabled: f.enabled,
  }));
  const on = (name: string) => factors.some((f) => f.name === name && f.enabled);
  const snapshot: TenantSnapshot = {
    policies,
    factors,
    bindings: await postLoginBindings(client),
    actionsNamedLikeOurs: (await client.actions.getAll({ actionName })).data.actions.map((a) => ({
      id: a.id,
      name: a.name,
    })),
  };
  if (on('sms')) {
    const { provider } = (await client.guardian.getPhoneFactorSelectedProvider()).data;
    const messageTypes = (await client.guardian.getPhoneFactorMessageTypes()).data.message_types;
    // The provider reads the same flag to decide whether it may set the phone provider at all.
    const settings = (await client.tenants.getSettings()).data as {
      phone_consolidated_experience?: boolean | null;
    };
    const consolidated = settings.phone_consolidated_experience ?? true;
    snapshot.phone = { consolidated, provider, messageTypes };
    if (provider === 'twilio') {
      const twilio = (await client.guardian.getSmsFactorProviderTwilio()).data;
      snapshot.phone.twilio = {
        sid: twilio.sid,
        from: twilio.from,
        messagingServiceSid: twilio.messaging_service_sid,
      };
    }
  }
  if (on('push-notification')) {
    const { provider } = (await client.guardian.getPushNotificationSelectedProvider()).data;
    snapshot.push = { provider };
    if (provider === 'sns') {
      const sns = (await client.guardian.getPushNotificationProviderSNS()).data;
      snapshot.push.sns = {
        region: sns.aws_region,
        apnsPlatformApplicationArn: sns.sns_apns_platform_application_arn,
        gcmPlatformApplicationArn: sns.sns_gcm_platform_application_arn,
      };
    }
  }
  if (on('duo')) {
    const duo = await settings.get('guardian/factors/duo/settings');
    snapshot.duo = { hostname: text(duo.host), integrationKey: text(duo.ikey) };
  }
  if (on('webauthn-roaming')) {
    const roaming = await settings.get('guardian/factors/webauthn-roaming/settings');
    snapshot.webauthnRoaming = {
      userVerification: text(roaming.userVerification),
      overrideRelyingParty: flag(roaming.overrideRelyingParty),
      relyingPartyIdentifier: text(roaming.relyingPartyIdentifier),
    };
  }
  if (on('webauthn-platform')) {
    const platform = await settings.get('guardian/factors/webauthn-platform/settings');
    snapshot.webauthnPlatform = {
      overrideRelyingParty: flag(platform.overrideRelyingParty),
      relyingPartyIdentifier: text(platform.relyingPartyIdentifier),
    };
  }
  return snapshot;
}
