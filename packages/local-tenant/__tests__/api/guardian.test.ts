import { FactorNameEnum } from 'auth0';
import { expectAuth0Error } from '../support/replies';
import { useTestTenant } from '../support/tenant';

const t = useTestTenant();

// Auth0's own list of factor names, as the official SDK publishes it (not the tenant's copy).
const ALL_FACTORS = Object.values(FactorNameEnum).sort();

describe('policies', () => {
  it('starts at never, which is the empty array', async () => {
    expect((await t.client.get('/api/v2/guardian/policies')).body).toEqual([]);
  });

  it('stores a policy and goes back to never with []', async () => {
    const put = await t.client.put('/api/v2/guardian/policies', ['all-applications']);
    expect(put.status).toBe(200);
    expect(put.body).toEqual(['all-applications']);
    expect((await t.client.get('/api/v2/guardian/policies')).body).toEqual(['all-applications']);
    expect((await t.client.put('/api/v2/guardian/policies', [])).body).toEqual([]);
    expect((await t.client.get('/api/v2/guardian/policies')).body).toEqual([]);
  });

  it('refuses unknown policies and non-arrays', async () => {
    const unknown = await t.client.put('/api/v2/guardian/policies', ['never']);
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toMatch(/No enum match for: "never"/);
    const object = await t.client.put('/api/v2/guardian/policies', { policy: 'all-applications' });
    expect(object.status).toBe(400);
    expect((await t.client.get('/api/v2/guardian/policies')).body).toEqual([]);
  });
});

describe('factors', () => {
  it('lists every factor with name, enabled and trial_expired, all off at first', async () => {
    const reply = await t.client.get('/api/v2/guardian/factors');
    expect(reply.status).toBe(200);
    const byName = [...reply.body].sort((a, b) => a.name.localeCompare(b.name));
    expect(byName).toEqual(ALL_FACTORS.map((name) => ({ name, enabled: false, trial_expired: false })));
  });

  it('enables and disables a factor', async () => {
    const on = await t.client.put('/api/v2/guardian/factors/otp', { enabled: true });
    expect(on.status).toBe(200);
    expect(on.body).toEqual({ enabled: true });
    const list = (await t.client.get('/api/v2/guardian/factors')).body as Array<{
      name: string;
      enabled: boolean;
    }>;
    expect(list.filter((f) => f.enabled).map((f) => f.name)).toEqual(['otp']);
    await t.client.put('/api/v2/guardian/factors/otp', { enabled: false });
    const after = (await t.client.get('/api/v2/guardian/factors')).body as Array<{ enabled: boolean }>;
    expect(after.every((f) => !f.enabled)).toBe(true);
  });

  it('answers 400 path validation for an unknown factor (the SDK documents 400/401/403, no 404)', async () => {
    const reply = await t.client.put('/api/v2/guardian/factors/carrier-pigeon', { enabled: true });
    expectAuth0Error(
      reply,
      400,
      `Path validation error: 'No enum match for: "carrier-pigeon"' on property name (Factor name.).`,
      'invalid_uri',
    );
    expect((await t.client.put('/api/v2/guardian/factors/__proto__', { enabled: true })).status).toBe(400);
  });

  it('refuses unknown fields, a missing or non-boolean enabled', async () => {
    const extra = await t.client.put('/api/v2/guardian/factors/email', { enabled: true, color: 'red' });
    expect(extra.status).toBe(400);
    expect(extra.body.message).toBe("Payload validation error: 'Additional properties not allowed: color'.");
    expect((await t.client.put('/api/v2/guardian/factors/email', {})).status).toBe(400);
    expect((await t.client.put('/api/v2/guardian/factors/email', { enabled: 'yes' })).status).toBe(400);
    const list = (await t.client.get('/api/v2/guardian/factors')).body as Array<{
      name: string;
      enabled: boolean;
    }>;
    expect(list.find((f) => f.name === 'email')?.enabled).toBe(false);
  });
});

describe('phone / sms settings', () => {
  it('reads and writes the message types', async () => {
    expect((await t.client.get('/api/v2/guardian/factors/phone/message-types')).body).toEqual({
      message_types: ['sms'],
    });
    const put = await t.client.put('/api/v2/guardian/factors/phone/message-types', {
      message_types: ['sms', 'voice'],
    });
    expect(put.body).toEqual({ message_types: ['sms', 'voice'] });
    expect((await t.client.get('/api/v2/guardian/factors/phone/message-types')).body).toEqual({
      message_types: ['sms', 'voice'],
    });
    expect(
      (await t.client.put('/api/v2/guardian/factors/phone/message-types', { message_types: ['fax'] })).status,
    ).toBe(400);
  });

  it('reads and writes the selected phone provider', async () => {
    expect((await t.client.get('/api/v2/guardian/factors/phone/selected-provider')).body).toEqual({
      provider: 'auth0',
    });
    expect(
      (await t.client.put('/api/v2/guardian/factors/phone/selected-provider', { provider: 'twilio' })).status,
    ).toBe(200);
    expect((await t.client.get('/api/v2/guardian/factors/phone/selected-provider')).body).toEqual({
      provider: 'twilio',
    });
    expect(
      (await t.client.put('/api/v2/guardian/factors/phone/selected-provider', { provider: 'pigeon' })).status,
    ).toBe(400);
  });

  it('reads and writes sms templates and twilio settings', async () => {
    const templates = { enrollment_message: 'enroll {{code}}', verification_message: 'verify {{code}}' };
    expect((await t.client.put('/api/v2/guardian/factors/sms/templates', templates)).body).toEqual(templates);
    expect((await t.client.get('/api/v2/guardian/factors/sms/templates')).body).toEqual(templates);
    const twilio = { from: '+15555555555', sid: 'AC1', auth_token: 'tok', messaging_service_sid: 'MG1' };
    expect((await t.client.put('/api/v2/guardian/factors/sms/providers/twilio', twilio)).status).toBe(200);
    expect((await t.client.get('/api/v2/guardian/factors/sms/providers/twilio')).body).toEqual(twilio);
  });
});

describe('push, duo and webauthn settings', () => {
  it('stores the push provider and the SNS settings without returning the secret key', async () => {
    expect((await t.client.get('/api/v2/guardian/factors/push-notification/selected-provider')).body).toEqual(
      {
        provider: 'guardian',
      },
    );
    await t.client.put('/api/v2/guardian/factors/push-notification/selected-provider', { provider: 'sns' });
    const sns = {
      aws_access_key_id: 'AKIA',
      aws_secret_access_key: 'very-secret',
      aws_region: 'eu-west-1',
      sns_apns_platform_application_arn: 'arn:a',
      sns_gcm_platform_application_arn: 'arn:g',
    };
    expect((await t.client.put('/api/v2/guardian/factors/push-notification/providers/sns', sns)).status).toBe(
      200,
    );
    const read = await t.client.get('/api/v2/guardian/factors/push-notification/providers/sns');
    expect(read.body).toEqual({ ...sns, aws_secret_access_key: undefined });
    expect(read.text).not.toContain('very-secret');
  });

  it('patches the push custom app at /prompts/mfa-push', async () => {
    await t.client.patch('/api/v2/prompts/mfa-push', { app_name: 'App' });
    await t.client.patch('/api/v2/prompts/mfa-push', { apple_app_link: 'https://apple.example' });
    expect((await t.client.get('/api/v2/prompts/mfa-push')).body).toEqual({
      app_name: 'App',
      apple_app_link: 'https://apple.example',
    });
  });

  it('stores DUO settings and refuses unknown keys', async () => {
    const duo = { ikey: 'i', skey: 's', host: 'api-1.duosecurity.com' };
    expect((await t.client.put('/api/v2/guardian/factors/duo/settings', duo)).status).toBe(200);
    expect((await t.client.get('/api/v2/guardian/factors/duo/settings')).body).toEqual(duo);
    expect((await t.client.put('/api/v2/guardian/factors/duo/settings', { hostname: 'x' })).status).toBe(400);
  });

  it('merges WebAuthn settings over their defaults and checks userVerification', async () => {
    expect((await t.client.get('/api/v2/guardian/factors/webauthn-roaming/settings')).body).toEqual({
      userVerification: 'preferred',
      overrideRelyingParty: false,
    });
    await t.client.put('/api/v2/guardian/factors/webauthn-roaming/settings', {
      userVerification: 'required',
    });
    expect((await t.client.get('/api/v2/guardian/factors/webauthn-roaming/settings')).body).toEqual({
      userVerification: 'required',
      overrideRelyingParty: false,
    });
    const bad = await t.client.put('/api/v2/guardian/factors/webauthn-roaming/settings', {
      userVerification: 'always',
    });
    expect(bad.status).toBe(400);
    expect((await t.client.get('/api/v2/guardian/factors/webauthn-platform/settings')).body).toEqual({
      overrideRelyingParty: false,
    });
  });
});
