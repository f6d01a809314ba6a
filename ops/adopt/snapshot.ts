// What `npm run adopt` reads from a live tenant: the Management API's own field names and values, before any
// mapping to the configuration (export.ts). The SDK fills it (tenant.ts); unit tests write it by hand.

/** GET /guardian/factors, and the settings of the enabled factors that have some. */
export interface TenantSnapshot {
  /** GET /guardian/policies: [] means "never". */
  policies: string[];
  factors: Array<{ name: string; enabled: boolean }>;
  phone?: {
    /** Auth0's Phone Consolidated Experience (tenant settings; absent means on): the provider is not set by MFA. */
    consolidated: boolean;
    provider: string;
    messageTypes: string[];
    twilio?: { sid?: string | null; from?: string | null; messagingServiceSid?: string | null };
  };
  push?: {
    provider: string;
    sns?: {
      region?: string | null;
      apnsPlatformApplicationArn?: string | null;
      gcmPlatformApplicationArn?: string | null;
    };
  };
  duo?: { hostname?: string | null; integrationKey?: string | null };
  webauthnRoaming?: {
    userVerification?: string | null;
    overrideRelyingParty?: boolean | null;
    relyingPartyIdentifier?: string | null;
  };
  webauthnPlatform?: { overrideRelyingParty?: boolean | null; relyingPartyIdentifier?: string | null };
  /** GET /actions/triggers/post-login/bindings, in order. */
  bindings: Array<{ actionId: string; actionName: string; displayName: string }>;
  /** Actions whose name is the one our Action will have (GET /actions/actions?actionName=...). */
  actionsNamedLikeOurs: Array<{ id: string; name: string }>;
}
