// The table of login cases shared by the source handler's tests and the deployed artifact's tests,
// so both are held to the same expectations.
import type { ConditionalMfaSettings } from '../../actions/conditional-mfa';
import type { PostLoginEvent } from '../../actions/types';

export interface LoginCase {
  name: string;
  event: PostLoginEvent;
  settings?: Partial<ConditionalMfaSettings>;
  /** The arguments of api.multifactor.enable, or null when no challenge is expected. */
  challenge: [string, object] | null;
}

const user = (extra: Partial<PostLoginEvent['user']> = {}): PostLoginEvent['user'] => ({
  user_id: 'auth0|1',
  email: 'a@example.com',
  ...extra,
});
const DEFAULT_CHALLENGE: [string, object] = ['any', { allowRememberBrowser: false }];

export const LOGIN_CASES: LoginCase[] = [
  {
    name: 'flag true',
    event: { user: user({ user_metadata: { use_mfa: true } }) },
    challenge: DEFAULT_CHALLENGE,
  },
  { name: 'flag false', event: { user: user({ user_metadata: { use_mfa: false } }) }, challenge: null },
  { name: 'flag missing', event: { user: user({ user_metadata: { theme: 'dark' } }) }, challenge: null },
  { name: 'flag null', event: { user: user({ user_metadata: { use_mfa: null } }) }, challenge: null },
  {
    name: 'string "true" does not count',
    event: { user: user({ user_metadata: { use_mfa: 'true' } }) },
    challenge: null,
  },
  {
    name: 'number 1 does not count',
    event: { user: user({ user_metadata: { use_mfa: 1 } }) },
    challenge: null,
  },
  {
    name: 'object does not count',
    event: { user: user({ user_metadata: { use_mfa: { on: true } } }) },
    challenge: null,
  },
  { name: 'metadata null', event: { user: user({ user_metadata: null }) }, challenge: null },
  { name: 'metadata absent', event: { user: user() }, challenge: null },
  {
    name: 'metadata not an object',
    event: { user: user({ user_metadata: 'use_mfa' as unknown as Record<string, unknown> }) },
    challenge: null,
  },
  {
    name: 'flag in app_metadata ignored by default',
    event: { user: user({ app_metadata: { use_mfa: true } }) },
    challenge: null,
  },
  {
    name: 'app_metadata source',
    settings: { flagSource: 'app_metadata' },
    event: { user: user({ app_metadata: { use_mfa: true } }) },
    challenge: DEFAULT_CHALLENGE,
  },
  {
    name: 'app_metadata source ignores user_metadata',
    settings: { flagSource: 'app_metadata' },
    event: { user: user({ user_metadata: { use_mfa: true }, app_metadata: { use_mfa: false } }) },
    challenge: null,
  },
  {
    name: 'either source, user flag',
    settings: { flagSource: 'either' },
    event: { user: user({ user_metadata: { use_mfa: true } }) },
    challenge: DEFAULT_CHALLENGE,
  },
  {
    name: 'either source, app flag',
    settings: { flagSource: 'either' },
    event: { user: user({ app_metadata: { use_mfa: true } }) },
    challenge: DEFAULT_CHALLENGE,
  },
  {
    name: 'either source, neither',
    settings: { flagSource: 'either' },
    event: { user: user({ user_metadata: { use_mfa: false }, app_metadata: {} }) },
    challenge: null,
  },
  {
    name: 'refresh-token exchange is never challenged',
    event: {
      user: user({ user_metadata: { use_mfa: true } }),
      transaction: { protocol: 'oauth2-refresh-token' },
    },
    challenge: null,
  },
  {
    name: 'interactive login with a transaction',
    event: {
      user: user({ user_metadata: { use_mfa: true } }),
      transaction: { protocol: 'oidc-basic-profile' },
    },
    challenge: DEFAULT_CHALLENGE,
  },
  {
    name: 'transaction and authentication null',
    event: { user: user({ user_metadata: { use_mfa: true } }), transaction: null, authentication: null },
    challenge: DEFAULT_CHALLENGE,
  },
  {
    name: 'MFA done earlier in the session: still challenged (Auth0 decides whether to prompt)',
    event: {
      user: user({ user_metadata: { use_mfa: true } }),
      authentication: { methods: [{ name: 'pwd' }, { name: 'mfa' }] },
    },
    challenge: DEFAULT_CHALLENGE,
  },
  {
    name: 'configured provider and remember-browser',
    settings: { provider: 'guardian', allowRememberBrowser: true },
    event: { user: user({ user_metadata: { use_mfa: true } }) },
    challenge: ['guardian', { allowRememberBrowser: true }],
  },
];

export interface RecordedApi {
  calls: Array<[string, object | undefined]>;
  multifactor: { enable(provider: string, options?: object): void };
}

export function recordingApi(): RecordedApi {
  const calls: RecordedApi['calls'] = [];
  return { calls, multifactor: { enable: (provider, options) => calls.push([provider, options]) } };
}
