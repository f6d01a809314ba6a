// Reads a TenantSnapshot through the shared Management API client (../management/client: 429 waits for
// X-RateLimit-Reset, 5xx and failed connections are retried). Only GETs: adopting never changes the tenant.
// The SDK has no call for the WebAuthn settings; those are passthrough GETs with the client's own token.
import type { ManagementClient } from 'auth0';
import { listBindings } from '../management/client';
import type { TenantSnapshot } from './snapshot';

const PER_PAGE = 50;

async function postLoginBindings(client: ManagementClient): Promise<TenantSnapshot['bindings']> {
  return (await listBindings(client, 'post-login', PER_PAGE)).map((b) => ({
    actionId: b.action?.id ?? '',
    actionName: b.action?.name ?? '',
    displayName: b.display_name ?? '',
  }));
}

/** GET /api/v2/<path> through the client (its token, retries and errors), the body as JSON. */
async function getJson(client: ManagementClient, path: string): Promise<Record<string, unknown>> {
  const response = await client.fetch(path);
  if (!response.ok) {
    const error = new Error(`GET /api/v2/${path}: ${response.status} ${await response.text()}`);
    throw Object.assign(error, { statusCode: response.status });
  }
  return (await response.json()) as Record<string, unknown>;
}

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
const flag = (value: unknown) => (typeof value === 'boolean' ? value : undefined);

/** Both WebAuthn factors keep the relying party the same way; only roaming has user verification. */
async function webauthnSettings(client: ManagementClient, factor: 'webauthn-roaming' | 'webauthn-platform') {
  const settings = await getJson(client, `guardian/factors/${factor}/settings`);
  return {
    userVerification: text(settings.userVerification),
    relyingParty: {
      overrideRelyingParty: flag(settings.overrideRelyingParty),
      relyingPartyIdentifier: text(settings.relyingPartyIdentifier),
    },
  };
}

export async function readTenant(client: ManagementClient, actionName: string): Promise<TenantSnapshot> {
  const { guardian } = client;
  const policies = await guardian.policies.list();
  const factors = (await guardian.factors.list()).map((f) => ({ name: f.name ?? '', enabled: f.enabled }));
  const on = (name: string) => factors.some((f) => f.name === name && f.enabled);
  const snapshot: TenantSnapshot = {
    policies,
    factors,
    bindings: await postLoginBindings(client),
    actionsNamedLikeOurs: (await client.actions.list({ actionName })).data.map((a) => ({
      id: a.id ?? '',
      name: a.name ?? '',
    })),
  };
  if (on('sms')) {
    const { provider } = await guardian.factors.phone.getSelectedProvider();
    const messageTypes = (await guardian.factors.phone.getMessageTypes()).message_types ?? [];
    // The provider reads the same flag to decide whether it may set the phone provider at all.
    const settings = (await client.tenants.settings.get()) as {
      phone_consolidated_experience?: boolean | null;
    };
    const consolidated = settings.phone_consolidated_experience ?? true;
    snapshot.phone = { consolidated, provider: provider ?? '', messageTypes };
    if (provider === 'twilio') {
      const { sid, from, messaging_service_sid } = await guardian.factors.sms.getTwilioProvider();
      snapshot.phone.twilio = { sid, from, messagingServiceSid: messaging_service_sid };
    }
  }
  if (on('push-notification')) {
    const { provider } = await guardian.factors.pushNotification.getSelectedProvider();
    snapshot.push = { provider: provider ?? '' };
    if (provider === 'sns') {
      const sns = await guardian.factors.pushNotification.getSnsProvider();
      snapshot.push.sns = {
        region: sns.aws_region,
        apnsPlatformApplicationArn: sns.sns_apns_platform_application_arn,
        gcmPlatformApplicationArn: sns.sns_gcm_platform_application_arn,
      };
    }
  }
  if (on('duo')) {
    const duo = await guardian.factors.duo.settings.get();
    snapshot.duo = { hostname: duo.host, integrationKey: duo.ikey };
  }
  if (on('webauthn-roaming')) {
    const { userVerification, relyingParty } = await webauthnSettings(client, 'webauthn-roaming');
    snapshot.webauthnRoaming = { userVerification, ...relyingParty };
  }
  if (on('webauthn-platform')) {
    snapshot.webauthnPlatform = (await webauthnSettings(client, 'webauthn-platform')).relyingParty;
  }
  return snapshot;
}
