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
/** A login of a user with these fields (metadata), and more of the event in `extra`. */
const login = (fields: Partial<PostLoginEvent['user']> = {}, extra: Partial<PostLoginEvent> = {}) => ({
  user: user(fields),
  ...extra,
});
/** A login of a user whose user_metadata turns the flag on. */
const flagged = (extra: Partial<PostLoginEvent> = {}) => login({ user_metadata: { use_mfa: true } }, extra);
const DEFAULT_CHALLENGE: [string, object] = ['any', { allowRememberBrowser: false }];

type Row = [name: string, event: PostLoginEvent, challenge: LoginCase['challenge']];
/** Rows under one configuration (`undefined`: the recipe's defaults). */
const under = (settings: LoginCase['settings'], rows: Row[]): LoginCase[] =>
  rows.map(([name, event, challenge]) => ({ name, settings, event, challenge }));

const REFRESH = { transaction: { protocol: 'oauth2-refresh-token' } };
const from = (clientId: string) => ({ client: { client_id: clientId } });

export const LOGIN_CASES: LoginCase[] = [
  ...under(undefined, [
    ['flag true', flagged(), DEFAULT_CHALLENGE],
    ['flag false', login({ user_metadata: { use_mfa: false } }), null],
    ['flag missing', login({ user_metadata: { theme: 'dark' } }), null],
    ['flag null', login({ user_metadata: { use_mfa: null } }), null],
    ['string "true" does not count', login({ user_metadata: { use_mfa: 'true' } }), null],
    ['number 1 does not count', login({ user_metadata: { use_mfa: 1 } }), null],
    ['object does not count', login({ user_metadata: { use_mfa: { on: true } } }), null],
    ['metadata null', login({ user_metadata: null }), null],
    ['metadata absent', login(), null],
    [
      'metadata not an object',
      login({ user_metadata: 'use_mfa' as unknown as Record<string, unknown> }),
      null,
    ],
    ['flag in app_metadata ignored by default', login({ app_metadata: { use_mfa: true } }), null],
    ['refresh-token exchange is never challenged', flagged(REFRESH), null],
    [
      'interactive login with a transaction',
      flagged({ transaction: { protocol: 'oidc-basic-profile' } }),
      DEFAULT_CHALLENGE,
    ],
    [
      'transaction and authentication null',
      flagged({ transaction: null, authentication: null }),
      DEFAULT_CHALLENGE,
    ],
    [
      'MFA done earlier in the session: still challenged (Auth0 decides whether to prompt)',
      flagged({ authentication: { methods: [{ name: 'pwd' }, { name: 'mfa' }] } }),
      DEFAULT_CHALLENGE,
    ],
  ]),
  ...under({ flagSource: 'app_metadata' }, [
    ['app_metadata source', login({ app_metadata: { use_mfa: true } }), DEFAULT_CHALLENGE],
    [
      'app_metadata source ignores user_metadata',
      login({ user_metadata: { use_mfa: true }, app_metadata: { use_mfa: false } }),
      null,
    ],
  ]),
  ...under({ flagSource: 'either' }, [
    ['either source, user flag', flagged(), DEFAULT_CHALLENGE],
    ['either source, app flag', login({ app_metadata: { use_mfa: true } }), DEFAULT_CHALLENGE],
    ['either source, neither', login({ user_metadata: { use_mfa: false }, app_metadata: {} }), null],
  ]),
  ...under({ challenge: ['webauthn-roaming', 'otp'] }, [
    [
      'a list of factors: challengeWithAny with exactly those, in order',
      flagged(),
      ['challengeWithAny', [{ type: 'webauthn-roaming' }, { type: 'otp' }]],
    ],
  ]),
  ...under({ challenge: ['otp'] }, [
    ['a list of factors, flag off: no challenge', login({ user_metadata: { use_mfa: false } }), null],
    ['a list of factors on a refresh-token exchange: no challenge', flagged(REFRESH), null],
  ]),
  ...under({ applications: { scope: 'only', clientIds: ['admin-app', 'billing-app'] } }, [
    ['only listed applications: a listed one is challenged', flagged(from('billing-app')), DEFAULT_CHALLENGE],
  ]),
  ...under({ applications: { scope: 'only', clientIds: ['admin-app'] } }, [
    ['only listed applications: another one is not', flagged(from('shop-app')), null],
    ['only listed applications: a login without a client is not', flagged({ client: null }), null],
    [
      'only listed applications: an inherited client id does not count',
      flagged({ client: Object.create({ client_id: 'admin-app' }) }),
      null,
    ],
  ]),
  ...under({ applications: { scope: 'except', clientIds: ['intranet'] } }, [
    ['all but trusted applications: a trusted one is not challenged', flagged(from('intranet')), null],
    ['all but trusted applications: another one is', flagged(from('shop-app')), DEFAULT_CHALLENGE],
    ['all but trusted applications: a login without a client is challenged', flagged(), DEFAULT_CHALLENGE],
    [
      'all but trusted applications: the flag still decides',
      login({ user_metadata: { use_mfa: false } }, from('shop-app')),
      null,
    ],
  ]),
  ...under({ provider: 'guardian', allowRememberBrowser: true }, [
    ['configured provider and remember-browser', flagged(), ['guardian', { allowRememberBrowser: true }]],
  ]),
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
