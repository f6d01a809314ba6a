import { connectionFromEnv, findCredentials, readAuth } from '../../../ops/management/credentials';
import { UsageError } from '../../../ops/management/errors';

describe('credentials from the environment', () => {
  it('prefers AUTH0_API_TOKEN, as the Terraform provider does', () => {
    expect(readAuth({ AUTH0_API_TOKEN: 't', AUTH0_CLIENT_ID: 'i', AUTH0_CLIENT_SECRET: 's' })).toEqual({
      token: 't',
    });
    expect(readAuth({ AUTH0_CLIENT_ID: 'i', AUTH0_CLIENT_SECRET: 's' })).toEqual({
      clientId: 'i',
      clientSecret: 's',
    });
  });

  it('names the missing variables and never echoes a value', () => {
    expect(() => readAuth({})).toThrow(UsageError);
    expect(() => readAuth({})).toThrow(/AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET .* or AUTH0_API_TOKEN/);
    expect(() => readAuth({ AUTH0_CLIENT_ID: 'the-id' })).toThrow(/\(AUTH0_CLIENT_SECRET is not set\)/);
    let message = 'no error';
    try {
      readAuth({ AUTH0_CLIENT_SECRET: 'very-secret-value' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/AUTH0_CLIENT_ID is not set/);
    expect(message).not.toContain('very-secret-value');
  });
});

describe('the one credentials rule', () => {
  it('counts a value of blanks as unset, for the token and for each half of the pair', () => {
    expect(findCredentials({ AUTH0_API_TOKEN: ' \n' })).toEqual({});
    expect(
      findCredentials({ AUTH0_API_TOKEN: ' ', AUTH0_CLIENT_ID: 'i', AUTH0_CLIENT_SECRET: 's\n' }),
    ).toEqual({
      auth: { clientId: 'i', clientSecret: 's' },
    });
    expect(findCredentials({ AUTH0_CLIENT_ID: 'i', AUTH0_CLIENT_SECRET: '  ' })).toEqual({
      missing: 'AUTH0_CLIENT_SECRET',
    });
    expect(findCredentials({ AUTH0_CLIENT_SECRET: 's' })).toEqual({ missing: 'AUTH0_CLIENT_ID' });
  });

  it('names the scopes of the command that asks', () => {
    expect(() => readAuth({}, 'read:actions')).toThrow(
      /a machine-to-machine application with read:actions\)/,
    );
    expect(() => readAuth({})).toThrow(/application with read:users and update:users\)/);
  });
});

describe('the connection every client is built from', () => {
  it('takes the credentials and AUTH0_AUDIENCE, trimmed, and leaves a blank audience out', () => {
    expect(
      connectionFromEnv({ AUTH0_API_TOKEN: 't', AUTH0_AUDIENCE: ' https://a.example/api/v2/ ' }),
    ).toEqual({
      auth: { token: 't' },
      audience: 'https://a.example/api/v2/',
    });
    expect(connectionFromEnv({ AUTH0_API_TOKEN: 't', AUTH0_AUDIENCE: ' ' })).toEqual({
      auth: { token: 't' },
    });
  });

  it('refuses missing credentials before anything else, naming the scopes asked for', () => {
    expect(() => connectionFromEnv({ AUTH0_AUDIENCE: 'x' }, 'read:tenant_settings')).toThrow(
      /^Missing Auth0 credentials: .*application with read:tenant_settings\), or AUTH0_API_TOKEN\.$/,
    );
  });
});
