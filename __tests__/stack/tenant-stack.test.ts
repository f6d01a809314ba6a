import { runInNewContext } from 'node:vm';
import { Action } from '../../.gen/providers/auth0/action';
import { Guardian } from '../../.gen/providers/auth0/guardian';
import { TriggerAction } from '../../.gen/providers/auth0/trigger-action';
import { TriggerActions } from '../../.gen/providers/auth0/trigger-actions';
import { User } from '../../.gen/providers/auth0/user';
import { recordingApi } from '../actions/cases';
import { only, synthEnvironment } from './synth';

const DOMAIN = 'tenant.eu.auth0.com';
const KEPT_A = { id: '11111111-2222-4333-8444-555555555555', displayName: 'geo-block' };
const KEPT_B = { id: '66666666-7777-4888-9999-aaaaaaaaaaaa', displayName: 'audit-log' };

describe('tenant stack', () => {
  it('sets the policy to never and enables only the configured factors (otp by default)', () => {
    const { json, stack } = synthEnvironment({ domain: DOMAIN });
    expect(json).toHaveResourceWithProperties(Guardian, {
      policy: 'never',
      otp: true,
      email: false,
      recovery_code: false,
    });
    const guardian = only(stack, 'auth0_guardian');
    for (const block of ['webauthn_roaming', 'webauthn_platform', 'push', 'duo']) {
      expect(guardian[block]).toEqual({ enabled: false });
    }
    expect(guardian.phone).toEqual({ enabled: false, message_types: [] });
  });

  it('leaves the phone provider to the tenant unless configured (the Phone Consolidated Experience refuses one)', () => {
    const { stack } = synthEnvironment({ domain: DOMAIN, mfa: { factors: ['phone'] } });
    expect(only(stack, 'auth0_guardian').phone).toEqual({ enabled: true, message_types: ['sms'] });
  });

  it('enables several factors with their settings', () => {
    const { stack } = synthEnvironment({
      domain: DOMAIN,
      mfa: {
        factors: ['email', 'recovery_code', 'webauthn_roaming', 'phone', 'push', 'duo'],
        phone: { provider: 'auth0', messageTypes: ['sms', 'voice'] },
        duo: { hostname: 'api-1.duosecurity.com', integrationKey: 'DIXXXX' },
      },
    });
    const guardian = only(stack, 'auth0_guardian');
    expect(guardian).toMatchObject({
      policy: 'never',
      otp: false,
      email: true,
      recovery_code: true,
      webauthn_roaming: { enabled: true },
      webauthn_platform: { enabled: false },
      phone: { enabled: true, provider: 'auth0', message_types: ['sms', 'voice'] },
      push: { enabled: true, provider: 'guardian' },
      duo: { enabled: true, hostname: 'api-1.duosecurity.com', integration_key: 'DIXXXX' },
    });
    // The Duo secret key is a sensitive variable, never a literal.
    expect((guardian.duo as Record<string, string>).secret_key).toBe('${var.duo_secret_key}');
    expect(stack.variable?.duo_secret_key).toMatchObject({ sensitive: true, type: 'string' });
  });

  it('configures Twilio, SNS and WebAuthn Relying Parties, with every credential a sensitive variable', () => {
    const { stack } = synthEnvironment({
      domain: DOMAIN,
      mfa: {
        factors: ['phone', 'push', 'webauthn_roaming', 'webauthn_platform'],
        phone: { provider: 'twilio', twilio: { sid: `AC${'a'.repeat(32)}`, from: '+14155550100' } },
        push: {
          provider: 'sns',
          sns: {
            region: 'eu-west-1',
            apnsPlatformApplicationArn: 'arn:aws:sns:eu-west-1:123456789012:app/APNS/mfa',
            gcmPlatformApplicationArn: 'arn:aws:sns:eu-west-1:123456789012:app/GCM/mfa',
          },
        },
        webauthnRoaming: { relyingParty: 'login.example.com', userVerification: 'required' },
        webauthnPlatform: { relyingParty: 'example.com' },
      },
    });
    expect(only(stack, 'auth0_guardian')).toMatchObject({
      phone: {
        enabled: true,
        provider: 'twilio',
        options: { sid: `AC${'a'.repeat(32)}`, from: '+14155550100', auth_token: '${var.twilio_auth_token}' },
      },
      push: {
        enabled: true,
        provider: 'sns',
        amazon_sns: {
          aws_region: 'eu-west-1',
          sns_apns_platform_application_arn: 'arn:aws:sns:eu-west-1:123456789012:app/APNS/mfa',
          sns_gcm_platform_application_arn: 'arn:aws:sns:eu-west-1:123456789012:app/GCM/mfa',
          aws_access_key_id: '${var.sns_aws_access_key_id}',
          aws_secret_access_key: '${var.sns_aws_secret_access_key}',
        },
      },
      webauthn_roaming: {
        enabled: true,
        override_relying_party: true,
        relying_party_identifier: 'login.example.com',
        user_verification: 'required',
      },
      webauthn_platform: {
        enabled: true,
        override_relying_party: true,
        relying_party_identifier: 'example.com',
      },
    });
    for (const name of ['twilio_auth_token', 'sns_aws_access_key_id', 'sns_aws_secret_access_key']) {
      expect(stack.variable?.[name]).toMatchObject({ sensitive: true, type: 'string', nullable: false });
    }
  });

  it('leaves the Relying Party to Auth0 and push to Guardian unless configured', () => {
    const guardian = only(
      synthEnvironment({ domain: DOMAIN, mfa: { factors: ['push', 'webauthn_roaming'] } }).stack,
      'auth0_guardian',
    );
    expect(guardian.webauthn_roaming).toEqual({ enabled: true });
    expect(guardian.push).toEqual({ enabled: true, provider: 'guardian' });
  });

  it('puts the factor choice and the application scope into the Action code', () => {
    const { actionCode } = synthEnvironment({
      domain: DOMAIN,
      mfa: { factors: ['otp', 'email'], challenge: ['email', 'otp'], applications: { except: ['intranet'] } },
    });
    expect(actionCode()).toContain(
      '"challenge":["email","otp"],"applications":{"scope":"except","clientIds":["intranet"]}',
    );
  });

  it('creates a deployed post-login v3 Action on node22 whose code challenges flagged users', async () => {
    const { json, actionCode } = synthEnvironment({ domain: DOMAIN });
    expect(json).toHaveResourceWithProperties(Action, {
      name: 'conditional-mfa',
      runtime: 'node22',
      deploy: true,
      supported_triggers: { id: 'post-login', version: 'v3' },
    });
    const code = actionCode();
    const module = { exports: {} as Record<string, (e: unknown, a: unknown) => Promise<void>> };
    runInNewContext(code, { module, exports: module.exports });
    const on = recordingApi();
    await module.exports.onExecutePostLogin({ user: { user_id: 'u', user_metadata: { use_mfa: true } } }, on);
    expect(on.calls).toEqual([['any', { allowRememberBrowser: false }]]);
    const off = recordingApi();
    await module.exports.onExecutePostLogin({ user: { user_id: 'u', user_metadata: {} } }, off);
    expect(off.calls).toEqual([]);
  });

  it('puts the environment settings into the Action code', () => {
    const { stack, actionCode } = synthEnvironment({
      domain: DOMAIN,
      mfa: { provider: 'guardian', allowRememberBrowser: true },
      action: { name: 'mfa-for-flagged', runtime: 'node18', flagSource: 'app_metadata' },
    });
    const action = only(stack, 'auth0_action');
    expect(action).toMatchObject({ name: 'mfa-for-flagged', runtime: 'node18' });
    expect(actionCode()).toContain(
      'createPostLoginHandler({"flagSource":"app_metadata","provider":"guardian","allowRememberBrowser":true,"challenge":"any","applications":{"scope":"all"}})',
    );
  });

  it('binds the Action to post-login by reference, keeping the listed bindings in order', () => {
    const { json, stack } = synthEnvironment({
      domain: DOMAIN,
      binding: { before: [KEPT_A], after: [KEPT_B] },
    });
    const actionKey = Object.keys(stack.resource.auth0_action)[0];
    expect(json).toHaveResourceWithProperties(TriggerActions, {
      trigger: 'post-login',
      actions: [
        { id: KEPT_A.id, display_name: KEPT_A.displayName },
        { id: `\${auth0_action.${actionKey}.id}`, display_name: 'conditional-mfa' },
        { id: KEPT_B.id, display_name: KEPT_B.displayName },
      ],
    });
    expect(json).not.toHaveResource(TriggerAction);
  });

  it('can bind with auth0_trigger_action instead, leaving other bindings alone', () => {
    const { json, stack } = synthEnvironment({ domain: DOMAIN, binding: { mode: 'trigger-action' } });
    const actionKey = Object.keys(stack.resource.auth0_action)[0];
    expect(json).toHaveResourceWithProperties(TriggerAction, {
      trigger: 'post-login',
      action_id: `\${auth0_action.${actionKey}.id}`,
      display_name: 'conditional-mfa',
    });
    expect(json).not.toHaveResource(TriggerActions);
  });

  it('creates seed users with the flag as a JSON boolean in the configured metadata', () => {
    const users = [
      { email: 'on@example.com', name: 'On', useMfa: true },
      { email: 'off@example.com', useMfa: false, connection: 'staff-db' },
    ];
    const { json, stack } = synthEnvironment({ domain: DOMAIN, users });
    expect(json).toHaveResourceWithProperties(User, {
      email: 'on@example.com',
      name: 'On',
      connection_name: 'Username-Password-Authentication',
      user_metadata: '{"use_mfa":true}',
      password: '${var.seed_user_password}',
    });
    expect(json).toHaveResourceWithProperties(User, {
      email: 'off@example.com',
      connection_name: 'staff-db',
      user_metadata: '{"use_mfa":false}',
    });
    expect(Object.values(stack.resource.auth0_user).every((u) => u.app_metadata === undefined)).toBe(true);
    expect(stack.variable?.seed_user_password).toMatchObject({
      sensitive: true,
      type: 'string',
      nullable: false,
    });
  });

  it('writes the flag to app_metadata when the Action reads it there (and for "either")', () => {
    for (const flagSource of ['app_metadata', 'either']) {
      const { json } = synthEnvironment({
        domain: DOMAIN,
        action: { flagSource },
        users: [{ email: 'on@example.com', useMfa: true, passwordVariable: 'alice_password' }],
      });
      expect(json).toHaveResourceWithProperties(User, {
        app_metadata: '{"use_mfa":true}',
        password: '${var.alice_password}',
      });
    }
  });

  it('gives users whose emails differ only in punctuation an id each, keeping the address existing users have', () => {
    /** email -> the user's resource address */
    const addresses = (emails: string[]) =>
      Object.fromEntries(
        Object.entries(
          synthEnvironment({ domain: DOMAIN, users: emails.map((email) => ({ email, useMfa: true })) }).stack
            .resource.auth0_user,
        ).map(([address, user]) => [user.email, address]),
      );
    const similar = ['a.b@example.com', 'a-b@example.com', 'a+b@example.com', 'A_B@example.com'];
    const together = addresses(similar);
    expect(new Set(Object.values(together)).size).toBe(similar.length);
    // The address a deploy of earlier versions left in its state (a change would be a replace) stays.
    const alone = 'seed-users_user-username-password-authentication-a-b-example-com_A46F8D58';
    expect(addresses(['a.b@example.com'])).toEqual({ 'a.b@example.com': alone });
    expect(together['a.b@example.com']).toBe(alone);
    // Adding a user after the others changes no other address.
    expect(addresses([...similar, 'a__b@example.com'])).toMatchObject(together);
  });

  it('has no seed users or password variable unless configured', () => {
    const { json, stack } = synthEnvironment({ domain: DOMAIN });
    expect(json).not.toHaveResource(User);
    expect(stack.variable).toBeUndefined();
  });

  it('configures the provider with the domain only: credentials stay in the environment', () => {
    const { stack } = synthEnvironment({ domain: DOMAIN });
    expect(stack.provider).toEqual({ auth0: [{ domain: DOMAIN }] });
  });

  it('imports the guardian settings and post-login bindings when adopting a tenant', () => {
    const { stack } = synthEnvironment({ domain: DOMAIN, adopt: true });
    const imports = (stack.import ?? []).map((i) => [i.to.split('.')[0], i.id]);
    expect(imports).toEqual(
      expect.arrayContaining([
        ['auth0_guardian', 'guardian'],
        ['auth0_trigger_actions', 'post-login'],
      ]),
    );
    expect(synthEnvironment({ domain: DOMAIN }).stack.import).toBeUndefined();
  });

  it('imports the Action of its name when adopting names its id, and only then', () => {
    const id = '33333333-3333-4333-8333-333333333333';
    const importsOf = (config: Record<string, unknown>) =>
      (synthEnvironment({ domain: DOMAIN, ...config }).stack.import ?? []).map((i) => [
        i.to.split('.')[0],
        i.id,
      ]);
    expect(importsOf({ adopt: true, action: { id } })).toContainEqual(['auth0_action', id]);
    expect(importsOf({ adopt: true }).map(([type]) => type)).not.toContain('auth0_action');
  });
});

describe('state backends', () => {
  const backendOf = (backend: unknown) =>
    (synthEnvironment({ domain: DOMAIN, backend }).stack.terraform as { backend: Record<string, unknown> })
      .backend;

  it('keeps local state beside the project by default, outside cdktf.out', () => {
    const { local } = backendOf(undefined) as { local: { path: string } };
    expect(local.path).toMatch(/\/terraform\.auth0-test\.tfstate$/);
    expect(local.path).not.toContain('cdktf.out');
  });

  it('uses S3 with native locking, or DynamoDB when named', () => {
    expect(backendOf({ type: 's3', bucket: 'b', key: 'k', region: 'eu-west-1' })).toEqual({
      s3: { bucket: 'b', key: 'k', region: 'eu-west-1', encrypt: true, use_lockfile: true },
    });
    expect(backendOf({ type: 's3', bucket: 'b', key: 'k', region: 'eu-west-1', dynamodbTable: 't' })).toEqual(
      {
        s3: { bucket: 'b', key: 'k', region: 'eu-west-1', encrypt: true, dynamodb_table: 't' },
      },
    );
  });

  it('uses HCP Terraform and GCS', () => {
    // HCP Terraform is a `cloud` block of its own, not a `backend`.
    const terraform = synthEnvironment({
      domain: DOMAIN,
      backend: { type: 'hcp', organization: 'acme', workspace: 'auth0-prod' },
    }).stack.terraform;
    expect(terraform.cloud).toEqual({ organization: 'acme', workspaces: { name: 'auth0-prod' } });
    expect(terraform.backend).toBeUndefined();
    expect(backendOf({ type: 'gcs', bucket: 'b', prefix: 'auth0' })).toEqual({
      gcs: { bucket: 'b', prefix: 'auth0' },
    });
  });

  it('uses PostgreSQL without a connection string in the output (it comes from PG_CONN_STR)', () => {
    expect(backendOf({ type: 'pg', schemaName: 'auth0_prod' })).toEqual({
      pg: { schema_name: 'auth0_prod' },
    });
  });
});
