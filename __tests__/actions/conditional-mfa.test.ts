import { createPostLoginHandler, DEFAULT_SETTINGS, onExecutePostLogin } from '../../actions/conditional-mfa';
import type { PostLoginApi } from '../../actions/types';
import { behavesLikeTheAction, recordingApi } from './cases';

describe('conditional-mfa post-login handler', () => {
  behavesLikeTheAction((settings, event, api) =>
    createPostLoginHandler(settings)(event as never, api as unknown as PostLoginApi),
  );

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
});
