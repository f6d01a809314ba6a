// Post-login Action: challenge with MFA exactly the users whose `use_mfa` flag is on.
// The tenant's MFA policy stays "never"; this Action is the only thing that asks for a second factor.
// Deployed as CommonJS by src/action-build: keep this file free of imports other than types.
import type { Metadata, MultifactorProvider, PostLoginApi, PostLoginEvent } from './types';

export interface ConditionalMfaSettings {
  /** Where the flag is read: users can edit their own user_metadata, not app_metadata. */
  flagSource: 'user_metadata' | 'app_metadata' | 'either';
  provider: Exclude<MultifactorProvider, 'none'>;
  allowRememberBrowser: boolean;
}

export const DEFAULT_SETTINGS: ConditionalMfaSettings = {
  flagSource: 'user_metadata',
  provider: 'any',
  allowRememberBrowser: false,
};

export const FLAG = 'use_mfa';

// Only the JSON boolean true turns MFA on: "true", 1 or "yes" are typing mistakes we refuse to guess at.
function flagIsOn(metadata: Metadata | null | undefined): boolean {
  return typeof metadata === 'object' && metadata !== null && metadata[FLAG] === true;
}

export function requiresMfa(event: PostLoginEvent, settings: ConditionalMfaSettings): boolean {
  // A refresh-token exchange has no user present to answer a challenge.
  if (event.transaction?.protocol === 'oauth2-refresh-token') return false;
  const fromUser = flagIsOn(event.user?.user_metadata);
  const fromApp = flagIsOn(event.user?.app_metadata);
  if (settings.flagSource === 'user_metadata') return fromUser;
  if (settings.flagSource === 'app_metadata') return fromApp;
  return fromUser || fromApp;
}

export function createPostLoginHandler(settings: ConditionalMfaSettings) {
  return async function handle(event: PostLoginEvent, api: PostLoginApi): Promise<void> {
    if (!requiresMfa(event, settings)) return;
    api.multifactor.enable(settings.provider, { allowRememberBrowser: settings.allowRememberBrowser });
  };
}

export const onExecutePostLogin = createPostLoginHandler(DEFAULT_SETTINGS);
