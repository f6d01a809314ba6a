// The slice of Auth0's post-login (v3) event and api that the Actions in this folder use.
// Auth0's own `@auth0/actions` types are not on every registry; these follow the same names.
import type { ChallengeFactor, MfaProvider } from '../src/config/vocabulary';

export type Metadata = Record<string, unknown>;

export interface PostLoginEvent {
  user: {
    user_id: string;
    email?: string;
    email_verified?: boolean;
    user_metadata?: Metadata | null;
    app_metadata?: Metadata | null;
  };
  /** The application the user logs in to. */
  client?: { client_id: string; name?: string } | null;
  transaction?: { protocol?: string } | null;
  authentication?: { methods?: Array<{ name: string; timestamp?: string }> } | null;
  secrets?: Record<string, string | undefined>;
}

export type MultifactorProvider = MfaProvider | 'none';

export interface MultifactorOptions {
  allowRememberBrowser?: boolean;
  providerOptions?: Record<string, unknown>;
}

export interface PostLoginApi {
  multifactor: { enable(provider: MultifactorProvider, options?: MultifactorOptions): void };
  authentication: {
    /** Asks for a second factor of one of these types; the user picks among those they enrolled. */
    challengeWithAny(factors: Array<{ type: ChallengeFactor }>): void;
  };
}
