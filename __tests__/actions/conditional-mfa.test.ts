import {
  type ConditionalMfaSettings,
  createPostLoginHandler,
  DEFAULT_SETTINGS,
  onExecutePostLogin,
} from '../../actions/conditional-mfa';
import type { PostLoginApi } from '../../actions/types';
import { FLAG_SOURCES } from '../../src/config/vocabulary';
import { LOGIN_CASES, oddEvents, recordingApi, withPollutedPrototype } from './cases';

describe('conditional-mfa post-login handler', () => {
  it.each(LOGIN_CASES)('$name', async ({ event, settings, challenge }) => {
    const api = recordingApi();
    const handler = createPostLoginHandler({ ...DEFAULT_SETTINGS, ...settings } as ConditionalMfaSettings);
    await handler(event, api as unknown as PostLoginApi);
    expect(api.calls).toEqual(challenge ? [challenge] : []);
  });

  it('exports onExecutePostLogin with the recipe defaults', async () => {
    const api = recordingApi();
    await onExecutePostLogin(
      { user: { user_id: 'auth0|1', user_metadata: { use_mfa: true } } },
      api as never,
    );
    expect(api.calls).toEqual([['any', { allowRememberBrowser: false }]]);
    expect(DEFAULT_SETTINGS).toEqual({
      flagSource: 'user_metadata',
      provider: 'any',
      allowRememberBrowser: false,
      challenge: 'any',
      applications: { scope: 'all' },
    });
  });

  it('never throws on an event without a user', async () => {
    const api = recordingApi();
    await expect(onExecutePostLogin({} as never, api as never)).resolves.toBeUndefined();
    expect(api.calls).toEqual([]);
  });

  it.each(oddEvents())('never throws, and challenges only for an own flag of plain metadata: $name', async ({
    event,
    flagSource,
    challenged,
  }) => {
    const api = recordingApi();
    await createPostLoginHandler({ ...DEFAULT_SETTINGS, flagSource })(event as never, api as never);
    expect(api.calls).toEqual(challenged ? [['any', { allowRememberBrowser: false }]] : []);
  });

  it('does not count a flag that every object inherits from a polluted Object.prototype', async () => {
    for (const flagSource of FLAG_SOURCES) {
      const api = recordingApi();
      await withPollutedPrototype(() =>
        createPostLoginHandler({ ...DEFAULT_SETTINGS, flagSource })(
          { user: { user_id: 'auth0|1', user_metadata: {}, app_metadata: {} } },
          api as never,
        ),
      );
      expect(api.calls).toEqual([]);
    }
  });
});
