// The mapping of a live tenant (as the Management API shows it) to the configuration that adopts it.
import { Management } from 'auth0';
import { ExportError, exportTenant } from '../../../ops/adopt/export';
import type { TenantSnapshot } from '../../../ops/adopt/snapshot';
import { parseEnvironment } from '../../../src/config/load';

const ACTION_A = '11111111-1111-4111-8111-111111111111';
const ACTION_B = '22222222-2222-4222-8222-222222222222';
const OURS = '33333333-3333-4333-8333-333333333333';
// Every factor a tenant lists, as the official SDK names them (not a copy of the export's own list).
const FACTOR_NAMES = Object.values(Management.GuardianFactorNameEnum);

function tenant(enabled: string[], extra: Partial<TenantSnapshot> = {}): TenantSnapshot {
  return {
    policies: [],
    factors: FACTOR_NAMES.map((name) => ({ name, enabled: enabled.includes(name) })),
    bindings: [],
    actionsNamedLikeOurs: [],
    ...extra,
  };
}

const adopt = (snapshot: TenantSnapshot, actionName?: string) =>
  exportTenant(snapshot, { domain: 'acme.eu.auth0.com', file: 'config/prod.json', actionName });

describe('exportTenant: policies', () => {
  it.each([
    'all-applications',
    'confidence-score',
  ])('policy %s: the one required guardian change is -> never', (policy) => {
    const { config, required } = adopt(tenant(['otp'], { policies: [policy] }));
    expect(required).toContain(`guardian policy: ${policy} -> never (the Action decides who is challenged)`);
    expect(required.filter((line) => line.startsWith('guardian') || line.startsWith('factor'))).toHaveLength(
      1,
    );
    expect(config).toMatchObject({ domain: 'acme.eu.auth0.com', adopt: true, mfa: { factors: ['otp'] } });
  });

  it('policy never already: no guardian change is required, it is kept', () => {
    const { required, kept } = adopt(tenant(['otp']));
    expect(required.some((line) => line.startsWith('guardian policy'))).toBe(false);
    expect(kept).toContain('guardian policy: never');
  });
});

describe('exportTenant: factors', () => {
  it.each([
    ['otp', 'otp'],
    ['email', 'email'],
    ['recovery-code', 'recovery_code'],
    ['webauthn-roaming', 'webauthn_roaming'],
    ['webauthn-platform', 'webauthn_platform'],
    ['sms', 'phone'],
    ['push-notification', 'push'],
  ])('API factor %s is the configuration factor %s', (api, factor) => {
    const snapshot = tenant([api], {
      phone: { consolidated: false, provider: 'auth0', messageTypes: ['sms'] },
      push: { provider: 'guardian' },
    });
    expect((adopt(snapshot).config.mfa as { factors: string[] }).factors).toEqual([factor]);
  });

  it('duo with its settings; its secret key is asked for from the environment, never read into the file', () => {
    const { config, variables } = adopt(
      tenant(['duo'], { duo: { hostname: 'api-1234.duosecurity.com', integrationKey: 'DIXXXX' } }),
    );
    expect(config.mfa).toEqual({
      factors: ['duo'],
      duo: { hostname: 'api-1234.duosecurity.com', integrationKey: 'DIXXXX' },
    });
    expect(variables).toEqual(['TF_VAR_duo_secret_key']);
  });

  it('duo without settings cannot be written: refused naming the field', () => {
    expect(() => adopt(tenant(['duo'], { duo: {} }))).toThrow(/mfa\.duo\.hostname/);
  });

  it('several factors keep the API order; unknown factor names are ignored', () => {
    // An order neither alphabetical nor the SDK's, so that only keeping the API's order passes.
    const listed = ['recovery-code', 'otp', 'some-future-factor', 'email'];
    const snapshot = tenant([], { factors: listed.map((name) => ({ name, enabled: true })) });
    expect((adopt(snapshot).config.mfa as { factors: string[] }).factors).toEqual([
      'recovery_code',
      'otp',
      'email',
    ]);
  });

  it('no factor on: otp is turned on, as a required change (policy never needs one to challenge with)', () => {
    const { config, required } = adopt(tenant([]));
    expect((config.mfa as { factors: string[] }).factors).toEqual(['otp']);
    expect(required).toContain(
      'factor otp: off -> on (the tenant enables none; MFA needs one to challenge with)',
    );
  });

  it('webauthn: the relying party only when the tenant overrides it, and the roaming user verification', () => {
    const { config } = adopt(
      tenant(['webauthn-roaming', 'webauthn-platform'], {
        webauthnRoaming: {
          userVerification: 'required',
          overrideRelyingParty: true,
          relyingPartyIdentifier: 'acme.com',
        },
        webauthnPlatform: { overrideRelyingParty: false, relyingPartyIdentifier: 'ignored.example' },
      }),
    );
    expect(config.mfa).toEqual({
      factors: ['webauthn_roaming', 'webauthn_platform'],
      webauthnRoaming: { relyingParty: 'acme.com', userVerification: 'required' },
    });
  });
});

describe('exportTenant: phone and push settings', () => {
  it.each([
    ['auth0', ['sms']],
    ['auth0', ['sms', 'voice']],
    ['phone-message-hook', ['voice']],
  ])('phone provider %s with message types %j', (provider, messageTypes) => {
    const { config, variables } = adopt(
      tenant(['sms'], { phone: { consolidated: false, provider, messageTypes } }),
    );
    expect(config.mfa).toEqual({ factors: ['phone'], phone: { provider, messageTypes } });
    expect(variables).toEqual([]);
  });

  it('Phone Consolidated Experience: the message types only, the provider stays in the tenant settings', () => {
    const { config, variables } = adopt(
      tenant(['sms'], { phone: { consolidated: true, provider: 'auth0', messageTypes: ['sms', 'voice'] } }),
    );
    expect(config.mfa).toEqual({ factors: ['phone'], phone: { messageTypes: ['sms', 'voice'] } });
    expect(variables).toEqual([]);
  });

  it('phone through Twilio: SID and sender, the auth token from TF_VAR_twilio_auth_token', () => {
    const twilio = { sid: `AC${'a'.repeat(32)}`, from: '+14155550100', messagingServiceSid: null };
    const { config, variables } = adopt(
      tenant(['sms'], { phone: { consolidated: false, provider: 'twilio', messageTypes: ['sms'], twilio } }),
    );
    expect(config.mfa).toEqual({
      factors: ['phone'],
      phone: { provider: 'twilio', messageTypes: ['sms'], twilio: { sid: twilio.sid, from: '+14155550100' } },
    });
    expect(variables).toEqual(['TF_VAR_twilio_auth_token']);
  });

  it('phone through a Twilio messaging service', () => {
    const twilio = { sid: `AC${'b'.repeat(32)}`, from: '', messagingServiceSid: `MG${'c'.repeat(32)}` };
    const { config } = adopt(
      tenant(['sms'], {
        phone: { consolidated: false, provider: 'twilio', messageTypes: ['voice'], twilio },
      }),
    );
    expect((config.mfa as { phone: unknown }).phone).toEqual({
      provider: 'twilio',
      messageTypes: ['voice'],
      twilio: { sid: twilio.sid, messagingServiceSid: twilio.messagingServiceSid },
    });
  });

  it('Twilio selected without an account SID cannot be written: refused naming the field', () => {
    const error = (() => {
      try {
        adopt(
          tenant(['sms'], {
            phone: {
              consolidated: false,
              provider: 'twilio',
              messageTypes: ['sms'],
              twilio: { from: '+14155550100' },
            },
          }),
        );
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ExportError);
    expect((error as Error).message).toContain('config/prod.json: mfa.phone.twilio.sid');
  });

  it('push through Guardian', () => {
    const { config } = adopt(tenant(['push-notification'], { push: { provider: 'guardian' } }));
    expect(config.mfa).toEqual({ factors: ['push'], push: { provider: 'guardian' } });
  });

  it('push through SNS: region and ARNs, the AWS keys from the environment', () => {
    const sns = {
      region: 'eu-west-1',
      apnsPlatformApplicationArn: 'arn:aws:sns:eu-west-1:123456789012:app/APNS/acme',
      gcmPlatformApplicationArn: 'arn:aws:sns:eu-west-1:123456789012:app/GCM/acme',
    };
    const { config, variables } = adopt(tenant(['push-notification'], { push: { provider: 'sns', sns } }));
    expect(config.mfa).toEqual({ factors: ['push'], push: { provider: 'sns', sns } });
    expect(variables).toEqual(['TF_VAR_sns_aws_access_key_id', 'TF_VAR_sns_aws_secret_access_key']);
  });

  it('push through a provider the configuration has no name for is refused, naming it', () => {
    expect(() => adopt(tenant(['push-notification'], { push: { provider: 'direct' } }))).toThrow(
      /mfa\.push\.provider/,
    );
  });
});

describe('exportTenant: post-login bindings', () => {
  const binding = (actionId: string, actionName: string, displayName = actionName) => ({
    actionId,
    actionName,
    displayName,
  });

  it('no binding: ours is the only one, no binding block is written', () => {
    const { config, required } = adopt(tenant(['otp']));
    expect(config.binding).toBeUndefined();
    expect(required).toContain(
      'post-login binding: conditional-mfa bound, the only Action of the Login flow',
    );
  });

  it('other Actions are kept in their order, ours after them, under their display names', () => {
    const { config, required, kept } = adopt(
      tenant(['otp'], {
        bindings: [binding(ACTION_A, 'geo-block', 'Geo block'), binding(ACTION_B, 'enrich')],
      }),
    );
    expect(config.binding).toEqual({
      before: [
        { id: ACTION_A, displayName: 'Geo block' },
        { id: ACTION_B, displayName: 'enrich' },
      ],
    });
    expect(required).toContain(
      'post-login binding: conditional-mfa bound at the end of the Login flow, after Geo block, enrich',
    );
    expect(kept).toContain('post-login bindings, in order: Geo block, enrich');
  });

  it('our Action already bound: taken over by id, kept in its place between the others', () => {
    const snapshot = tenant(['otp'], {
      bindings: [
        binding(ACTION_A, 'geo-block'),
        binding(OURS, 'conditional-mfa'),
        binding(ACTION_B, 'enrich'),
      ],
      actionsNamedLikeOurs: [{ id: OURS, name: 'conditional-mfa' }],
    });
    const { config, required } = adopt(snapshot);
    expect(config.action).toEqual({ id: OURS });
    expect(config.binding).toEqual({
      before: [{ id: ACTION_A, displayName: 'geo-block' }],
      after: [{ id: ACTION_B, displayName: 'enrich' }],
    });
    expect(required).toContain(
      `Action conditional-mfa (id ${OURS}): taken over, updated to the recipe's code and deployed`,
    );
    expect(required).toContain(
      'post-login binding: conditional-mfa stays bound in its place (after geo-block, before enrich)',
    );
    expect(required).toContain(
      'imported into state by the first plan: auth0_guardian, auth0_trigger_actions (post-login), auth0_action',
    );
  });

  it('our Action first in the flow stays first', () => {
    const snapshot = tenant(['otp'], {
      bindings: [binding(OURS, 'conditional-mfa'), binding(ACTION_B, 'enrich')],
      actionsNamedLikeOurs: [{ id: OURS, name: 'conditional-mfa' }],
    });
    const { config, required } = adopt(snapshot);
    expect(config.binding).toEqual({ after: [{ id: ACTION_B, displayName: 'enrich' }] });
    expect(required).toContain(
      'post-login binding: conditional-mfa stays bound in its place (first, before enrich)',
    );
  });

  it('our Action in the tenant but not bound: taken over by id, and bound at the end', () => {
    const snapshot = tenant(['otp'], {
      bindings: [binding(ACTION_A, 'geo-block')],
      actionsNamedLikeOurs: [{ id: OURS, name: 'conditional-mfa' }],
    });
    const { config, required } = adopt(snapshot);
    expect(config.action).toEqual({ id: OURS });
    expect(config.binding).toEqual({ before: [{ id: ACTION_A, displayName: 'geo-block' }] });
    expect(required).toContain(
      'post-login binding: conditional-mfa bound at the end of the Login flow, after geo-block',
    );
  });

  it('our Action not in the tenant: created, no id written', () => {
    const { config, required } = adopt(tenant(['otp']));
    expect(config.action).toBeUndefined();
    expect(required).toContain('Action conditional-mfa: created (post-login v3) and deployed');
  });

  it('--action-name: another name for ours is written, and an Action of the default name is then just another binding', () => {
    const { config } = adopt(
      tenant(['otp'], { bindings: [binding(OURS, 'conditional-mfa')] }),
      'mfa-by-flag',
    );
    expect(config.action).toEqual({ name: 'mfa-by-flag' });
    expect(config.binding).toEqual({ before: [{ id: OURS, displayName: 'conditional-mfa' }] });
  });

  it('the imports are always listed as required', () => {
    expect(adopt(tenant(['otp'])).required).toContain(
      'imported into state by the first plan: auth0_guardian, auth0_trigger_actions (post-login)',
    );
  });
});

describe('exportTenant: the written file', () => {
  it('loads as an environment file with adopt on', () => {
    const { config } = adopt(
      tenant(['otp', 'sms'], {
        policies: ['all-applications'],
        phone: { consolidated: false, provider: 'auth0', messageTypes: ['sms'] },
        bindings: [{ actionId: ACTION_A, actionName: 'geo-block', displayName: 'geo-block' }],
      }),
    );
    const { config: parsed, problems } = parseEnvironment('prod.json', JSON.stringify(config));
    expect(problems).toEqual([]);
    expect(parsed?.adopt).toBe(true);
    expect(parsed?.binding.before).toEqual([{ id: ACTION_A, displayName: 'geo-block' }]);
  });
});
