// A live tenant's MFA settings -> the configuration (config/<env>.json) that keeps them, with `adopt: true` so the
// first plan imports guardian and the post-login bindings. What the recipe itself must change (policy never, a
// factor to challenge with, our Action created and bound) is listed; everything else plans no change.
import { parseEnvironment } from '../../src/config/load';
import type { EnvironmentConfig } from '../../src/config/schema';
import type { Factor } from '../../src/config/vocabulary';
import type { TenantSnapshot } from './snapshot';

/** Guardian factor names in the Management API -> the configuration's. */
const API_FACTORS: Record<string, Factor> = {
  otp: 'otp',
  email: 'email',
  'recovery-code': 'recovery_code',
  'webauthn-roaming': 'webauthn_roaming',
  'webauthn-platform': 'webauthn_platform',
  'push-notification': 'push',
  sms: 'phone',
  duo: 'duo',
};

/** The factor the recipe turns on when the tenant has none: policy never needs one to challenge with. */
const FALLBACK_FACTOR: Factor = 'otp';

export const DEFAULT_ACTION_NAME = 'conditional-mfa';

export interface ExportOptions {
  domain: string;
  /** The file's name in messages. */
  file: string;
  actionName?: string;
}

export interface Adoption {
  /** The file's content, as written (defaults left out, so the file says only what differs). */
  config: Record<string, unknown>;
  /** What the first plan changes, because the recipe needs it. */
  required: string[];
  /** What is kept as the tenant has it. */
  kept: string[];
  /** Sensitive variables the plan needs (the tenant's current secrets: they are never read into a file). */
  variables: string[];
}

export class ExportError extends Error {
  override name = 'ExportError';
}

const present = (value: string | null | undefined): value is string =>
  typeof value === 'string' && value !== '';

function enabledFactors(snapshot: TenantSnapshot): Factor[] {
  const factors: Factor[] = [];
  for (const { name, enabled } of snapshot.factors) {
    const factor = API_FACTORS[name];
    if (enabled && factor && !factors.includes(factor)) factors.push(factor);
  }
  return factors;
}

function phoneBlock(phone: NonNullable<TenantSnapshot['phone']>, variables: string[]) {
  // Under the Phone Consolidated Experience the provider lives in the tenant's phone settings, not here.
  if (phone.consolidated) return { messageTypes: phone.messageTypes };
  const block: Record<string, unknown> = { provider: phone.provider, messageTypes: phone.messageTypes };
  if (phone.provider === 'twilio') {
    const twilio = phone.twilio ?? {};
    block.twilio = {
      sid: twilio.sid ?? undefined,
      // The schema takes one sender; the messaging service wins, as it does at Twilio.
      ...(present(twilio.messagingServiceSid)
        ? { messagingServiceSid: twilio.messagingServiceSid }
        : { from: twilio.from ?? undefined }),
    };
    variables.push('TF_VAR_twilio_auth_token');
  }
  return block;
}

function pushBlock(push: NonNullable<TenantSnapshot['push']>, variables: string[]) {
  const block: Record<string, unknown> = { provider: push.provider };
  if (push.provider === 'sns') {
    const sns = push.sns ?? {};
    block.sns = {
      region: sns.region ?? undefined,
      apnsPlatformApplicationArn: sns.apnsPlatformApplicationArn ?? undefined,
      gcmPlatformApplicationArn: sns.gcmPlatformApplicationArn ?? undefined,
    };
    variables.push('TF_VAR_sns_aws_access_key_id', 'TF_VAR_sns_aws_secret_access_key');
  }
  return block;
}

/** A Relying Party only when the tenant overrides Auth0's default; undefined keys are dropped by JSON. */
function relyingParty(settings: TenantSnapshot['webauthnPlatform']) {
  return settings?.overrideRelyingParty && present(settings.relyingPartyIdentifier)
    ? settings.relyingPartyIdentifier
    : undefined;
}

function mfaBlock(snapshot: TenantSnapshot, factors: Factor[], variables: string[]) {
  const mfa: Record<string, unknown> = { factors };
  if (factors.includes('phone') && snapshot.phone) mfa.phone = phoneBlock(snapshot.phone, variables);
  if (factors.includes('push') && snapshot.push) mfa.push = pushBlock(snapshot.push, variables);
  if (factors.includes('duo')) {
    mfa.duo = {
      hostname: snapshot.duo?.hostname ?? undefined,
      integrationKey: snapshot.duo?.integrationKey ?? undefined,
    };
    variables.push('TF_VAR_duo_secret_key');
  }
  if (factors.includes('webauthn_roaming')) {
    const roaming = snapshot.webauthnRoaming;
    const block = {
      relyingParty: relyingParty(roaming),
      userVerification: roaming?.userVerification ?? undefined,
    };
    if (Object.values(block).some((v) => v !== undefined)) mfa.webauthnRoaming = block;
  }
  if (factors.includes('webauthn_platform')) {
    const rp = relyingParty(snapshot.webauthnPlatform);
    if (rp !== undefined) mfa.webauthnPlatform = { relyingParty: rp };
  }
  return mfa;
}

type Kept = { id: string; displayName: string };

/**
 * The other Actions of the Login flow, around where ours goes: where it is bound already, else at the end
 * (the existing Actions keep running first, in their order, as `trigger-action` would append it).
 */
function bindingLists(snapshot: TenantSnapshot, actionName: string): { before: Kept[]; after: Kept[] } {
  const ours = snapshot.bindings.findIndex((b) => b.actionName === actionName);
  const kept = (list: TenantSnapshot['bindings']) =>
    list
      .filter((b) => b.actionName !== actionName)
      .map((b) => ({ id: b.actionId, displayName: b.displayName }));
  if (ours < 0) return { before: kept(snapshot.bindings), after: [] };
  return { before: kept(snapshot.bindings.slice(0, ours)), after: kept(snapshot.bindings.slice(ours + 1)) };
}

const names = (list: Kept[]) => list.map((b) => b.displayName).join(', ');

function bindingChange(actionName: string, bound: boolean, before: Kept[], after: Kept[]): string {
  if (bound) {
    const around = [
      before.length > 0 ? `after ${names(before)}` : 'first',
      after.length > 0 ? `before ${names(after)}` : '',
    ].filter(Boolean);
    return `post-login binding: ${actionName} stays bound in its place (${around.join(', ')})`;
  }
  return before.length === 0
    ? `post-login binding: ${actionName} bound, the only Action of the Login flow`
    : `post-login binding: ${actionName} bound at the end of the Login flow, after ${names(before)}`;
}

/** The configuration that adopts this tenant, or an ExportError naming what cannot be expressed. */
export function exportTenant(snapshot: TenantSnapshot, options: ExportOptions): Adoption {
  const actionName = options.actionName ?? DEFAULT_ACTION_NAME;
  const required: string[] = [];
  const kept: string[] = [];
  const variables: string[] = [];

  const policy = snapshot.policies[0];
  if (policy !== undefined) {
    required.push(`guardian policy: ${policy} -> never (the Action decides who is challenged)`);
  } else kept.push('guardian policy: never');

  let factors = enabledFactors(snapshot);
  if (factors.length === 0) {
    factors = [FALLBACK_FACTOR];
    required.push(
      `factor ${FALLBACK_FACTOR}: off -> on (the tenant enables none; MFA needs one to challenge with)`,
    );
  } else kept.push(`factors: ${factors.join(', ')}`);

  // Auth0 refuses a second Action of the same name: one already there is taken over (imported), not created.
  const existing = snapshot.actionsNamedLikeOurs.find((a) => a.name === actionName);
  required.push(
    existing
      ? `Action ${actionName} (id ${existing.id}): taken over, updated to the recipe's code and deployed`
      : `Action ${actionName}: created (post-login v3) and deployed`,
  );

  const { before, after } = bindingLists(snapshot, actionName);
  required.push(
    bindingChange(
      actionName,
      snapshot.bindings.some((b) => b.actionName === actionName),
      before,
      after,
    ),
  );
  if (before.length + after.length > 0)
    kept.push(`post-login bindings, in order: ${names([...before, ...after])}`);
  const imported = [
    'auth0_guardian',
    'auth0_trigger_actions (post-login)',
    ...(existing ? ['auth0_action'] : []),
  ];
  required.push(`imported into state by the first plan: ${imported.join(', ')}`);

  const config: Record<string, unknown> = {
    domain: options.domain,
    adopt: true,
    mfa: mfaBlock(snapshot, factors, variables),
    ...(actionName === DEFAULT_ACTION_NAME && !existing
      ? {}
      : {
          action: {
            ...(actionName === DEFAULT_ACTION_NAME ? {} : { name: actionName }),
            ...(existing ? { id: existing.id } : {}),
          },
        }),
    ...(before.length + after.length > 0
      ? { binding: { ...(before.length > 0 ? { before } : {}), ...(after.length > 0 ? { after } : {}) } }
      : {}),
  };
  // The file must load as every other environment file does; what the schema refuses is named here.
  const text = `${JSON.stringify(config, null, 2)}\n`;
  const { problems } = parseEnvironment(options.file, text);
  if (problems.length > 0) {
    throw new ExportError(
      `the tenant's settings cannot be written as a valid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
  return { config: JSON.parse(text) as Record<string, unknown>, required, kept, variables };
}

export type { EnvironmentConfig };
