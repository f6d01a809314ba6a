// The table of login cases shared by the source handler's tests and the deployed artifact's tests,
// so both are held to the same expectations (behavesLikeTheAction runs all of it against either).
import { runInNewContext } from 'node:vm';
import { type ConditionalMfaSettings, DEFAULT_SETTINGS } from '../../actions/conditional-mfa';
import type { PostLoginEvent } from '../../actions/types';
import { FLAG_SOURCES } from '../../src/config/vocabulary';

export interface LoginCase {
  name: string;
  event: PostLoginEvent;
  settings?: Partial<ConditionalMfaSettings>;
  /** The call that asks for MFA (see recordingApi), or null when no challenge is expected. */
  challenge: [string, unknown] | null;
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
    name: 'a list of factors: challengeWithAny with exactly those, in order',
    settings: { challenge: ['webauthn-roaming', 'otp'] },
    event: { user: user({ user_metadata: { use_mfa: true } }) },
    challenge: ['challengeWithAny', [{ type: 'webauthn-roaming' }, { type: 'otp' }]],
  },
  {
    name: 'a list of factors, flag off: no challenge',
    settings: { challenge: ['otp'] },
    event: { user: user({ user_metadata: { use_mfa: false } }) },
    challenge: null,
  },
  {
    name: 'a list of factors on a refresh-token exchange: no challenge',
    settings: { challenge: ['otp'] },
    event: {
      user: user({ user_metadata: { use_mfa: true } }),
      transaction: { protocol: 'oauth2-refresh-token' },
    },
    challenge: null,
  },
  {
    name: 'only listed applications: a listed one is challenged',
    settings: { applications: { scope: 'only', clientIds: ['admin-app', 'billing-app'] } },
    event: { user: user({ user_metadata: { use_mfa: true } }), client: { client_id: 'billing-app' } },
    challenge: DEFAULT_CHALLENGE,
  },
  {
    name: 'only listed applications: another one is not',
    settings: { applications: { scope: 'only', clientIds: ['admin-app'] } },
    event: { user: user({ user_metadata: { use_mfa: true } }), client: { client_id: 'shop-app' } },
    challenge: null,
  },
  {
    name: 'only listed applications: a login without a client is not',
    settings: { applications: { scope: 'only', clientIds: ['admin-app'] } },
    event: { user: user({ user_metadata: { use_mfa: true } }), client: null },
    challenge: null,
  },
  {
    name: 'only listed applications: an inherited client id does not count',
    settings: { applications: { scope: 'only', clientIds: ['admin-app'] } },
    event: {
      user: user({ user_metadata: { use_mfa: true } }),
      client: Object.create({ client_id: 'admin-app' }),
    },
    challenge: null,
  },
  {
    name: 'all but trusted applications: a trusted one is not challenged',
    settings: { applications: { scope: 'except', clientIds: ['intranet'] } },
    event: { user: user({ user_metadata: { use_mfa: true } }), client: { client_id: 'intranet' } },
    challenge: null,
  },
  {
    name: 'all but trusted applications: another one is',
    settings: { applications: { scope: 'except', clientIds: ['intranet'] } },
    event: { user: user({ user_metadata: { use_mfa: true } }), client: { client_id: 'shop-app' } },
    challenge: DEFAULT_CHALLENGE,
  },
  {
    name: 'all but trusted applications: a login without a client is challenged',
    settings: { applications: { scope: 'except', clientIds: ['intranet'] } },
    event: { user: user({ user_metadata: { use_mfa: true } }) },
    challenge: DEFAULT_CHALLENGE,
  },
  {
    name: 'all but trusted applications: the flag still decides',
    settings: { applications: { scope: 'except', clientIds: ['intranet'] } },
    event: { user: user({ user_metadata: { use_mfa: false } }), client: { client_id: 'shop-app' } },
    challenge: null,
  },
  {
    name: 'configured provider and remember-browser',
    settings: { provider: 'guardian', allowRememberBrowser: true },
    event: { user: user({ user_metadata: { use_mfa: true } }) },
    challenge: ['guardian', { allowRememberBrowser: true }],
  },
];

export interface RecordedApi {
  /** [provider, options] for api.multifactor.enable, ['challengeWithAny', factors] for that call. */
  calls: Array<[string, unknown]>;
  multifactor: { enable(provider: string, options?: object): void };
  authentication: { challengeWithAny(factors: unknown): void };
}

export function recordingApi(): RecordedApi {
  const calls: RecordedApi['calls'] = [];
  return {
    calls,
    multifactor: { enable: (provider, options) => calls.push([provider, options]) },
    authentication: { challengeWithAny: (factors) => calls.push(['challengeWithAny', factors]) },
  };
}

/** Values in the place of an object that Auth0 sends as JSON: none of them carries the flag. */
const NOT_A_FLAG: Array<[string, unknown]> = [
  ['undefined', undefined],
  ['null', null],
  ['a string', 'use_mfa'],
  ['a number', 1],
  ['true', true],
  ['an array', [true]],
  ['an array with a use_mfa property', Object.assign([], { use_mfa: true })],
  ['an empty object', {}],
  ['the flag inherited from a prototype', Object.create({ use_mfa: true })],
  [
    'the flag on a class instance',
    new (class Flagged {
      use_mfa = true;
    })(),
  ],
  ['a "__proto__" key holding the flag', JSON.parse('{"__proto__": {"use_mfa": true}}')],
  ['a function with the flag', Object.assign(() => true, { use_mfa: true })],
  ['a boxed boolean', Object(true)],
  ['a Map holding the flag', new Map([['use_mfa', true]])],
  ['the string "true"', { use_mfa: 'true' }],
];

/** Plain objects with the flag as their own JSON boolean true: each one counts. */
const A_FLAG: Array<[string, unknown]> = [
  ['a plain object', { use_mfa: true }],
  ['a null-prototype object', Object.assign(Object.create(null), { use_mfa: true })],
  ['a frozen object', Object.freeze({ use_mfa: true, theme: 'dark' })],
  ['a plain object of another realm', runInNewContext('({ use_mfa: true })')],
];

/** Events of odd shapes around the metadata: none of them holds a flag. */
const ODD_SHAPES: Array<[string, unknown]> = [
  ['no event', undefined],
  ['a null event', null],
  ['an array event', [{ user: { user_metadata: { use_mfa: true } } }]],
  ['a string event', 'event'],
  ['an empty event', {}],
  ['a null user', { user: null }],
  ['an array user', { user: [{ user_metadata: { use_mfa: true } }] }],
  ['a string user', { user: 'auth0|1' }],
  ['metadata inherited by the user', { user: Object.create({ user_metadata: { use_mfa: true } }) }],
  ['a user inherited by the event', Object.create({ user: { user_metadata: { use_mfa: true } } })],
];

const withField = (field: string, value: unknown) => ({ ...user(), [field]: value });

export interface OddEvent {
  name: string;
  event: unknown;
  flagSource: ConditionalMfaSettings['flagSource'];
  challenged: boolean;
}

/**
 * Every flag source against every odd value in each metadata field and every odd event shape: the Action must
 * never throw, and challenges only for an own `use_mfa: true` of a plain object in the metadata it reads.
 */
export function oddEvents(): OddEvent[] {
  const cases: OddEvent[] = [];
  for (const flagSource of FLAG_SOURCES) {
    for (const field of ['user_metadata', 'app_metadata'] as const) {
      const reads = flagSource === 'either' || flagSource === field;
      const values = [
        ...NOT_A_FLAG.map((v) => [...v, false] as const),
        ...A_FLAG.map((v) => [...v, reads] as const),
      ];
      for (const [name, value, challenged] of values) {
        cases.push({
          name: `${field} is ${name}`,
          flagSource,
          event: { user: withField(field, value) },
          challenged,
        });
      }
    }
    for (const [name, event] of ODD_SHAPES) cases.push({ name, flagSource, event, challenged: false });
    cases.push({
      name: 'a refresh-token protocol inherited from a prototype is not a refresh-token exchange',
      flagSource,
      event: {
        user: user({ user_metadata: { use_mfa: true }, app_metadata: { use_mfa: true } }),
        transaction: Object.create({ protocol: 'oauth2-refresh-token' }),
      },
      challenged: true,
    });
  }
  return cases.map((c) => ({ ...c, name: `${c.flagSource}: ${c.name}` }));
}

/** Runs `body` while Object.prototype carries the flag, as a polluted runtime would. */
export async function withPollutedPrototype(body: () => Promise<void>): Promise<void> {
  const prototype = Object.prototype as Record<string, unknown>;
  prototype.use_mfa = true;
  prototype.user_metadata = { use_mfa: true };
  try {
    await body();
  } finally {
    delete prototype.use_mfa;
    delete prototype.user_metadata;
  }
}

/** One way of running the Action with some settings: the source handler, or the deployed artifact. */
export type RunAction = (
  settings: ConditionalMfaSettings,
  event: unknown,
  api: RecordedApi,
) => Promise<unknown>;

/**
 * The whole table against one way of running the Action: the login cases, every odd event, and a polluted
 * Object.prototype under each flag source.
 */
export function behavesLikeTheAction(run: RunAction): void {
  it.each(LOGIN_CASES)('$name', async ({ event, settings, challenge }) => {
    const api = recordingApi();
    await run({ ...DEFAULT_SETTINGS, ...settings } as ConditionalMfaSettings, event, api);
    expect(api.calls).toEqual(challenge ? [challenge] : []);
  });

  it.each(oddEvents())('never throws, and challenges only for an own flag of plain metadata: $name', async ({
    event,
    flagSource,
    challenged,
  }) => {
    const api = recordingApi();
    await run({ ...DEFAULT_SETTINGS, flagSource }, event, api);
    expect(api.calls).toEqual(challenged ? [['any', { allowRememberBrowser: false }]] : []);
  });

  it.each(
    FLAG_SOURCES,
  )('%s: a flag every object inherits from a polluted Object.prototype does not count', async (flagSource) => {
    const api = recordingApi();
    const event = { user: { user_id: 'auth0|1', user_metadata: {}, app_metadata: {} } };
    await withPollutedPrototype(() =>
      run({ ...DEFAULT_SETTINGS, flagSource }, event, api).then(() => undefined),
    );
    expect(api.calls).toEqual([]);
  });
}
