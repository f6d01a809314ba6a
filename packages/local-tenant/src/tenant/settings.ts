// Tenant settings rules: the sandbox versions on offer, session lifetimes given in minutes, and how a change
// merges into the settings.
import type { Immutable, JsonMap } from './model';

export const SANDBOX_VERSIONS = ['22', '18'] as const;

function isObject(value: unknown): value is JsonMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Top-level merge (`null` removes a setting), `flags` merged one level deeper. */
export function mergeSettings(current: Immutable<JsonMap>, change: JsonMap): JsonMap {
  const next: JsonMap = { ...current };
  for (const [key, value] of Object.entries(change)) {
    if (value === null) delete next[key];
    else if (key === 'flags' && isObject(value))
      next.flags = { ...(next.flags as JsonMap | undefined), ...value };
    else next[key] = value;
  }
  return next;
}

/**
 * The session lifetimes a change may give in minutes instead of hours. Auth0 keeps and answers the hour
 * fields only (fractions for what is not whole hours); the minute fields are write-only.
 */
export const LIFETIMES_IN_MINUTES = {
  session_lifetime_in_minutes: 'session_lifetime',
  idle_session_lifetime_in_minutes: 'idle_session_lifetime',
  ephemeral_session_lifetime_in_minutes: 'ephemeral_session_lifetime',
  idle_ephemeral_session_lifetime_in_minutes: 'idle_ephemeral_session_lifetime',
} as const;

type MinutesField = keyof typeof LIFETIMES_IN_MINUTES;
type HoursField = (typeof LIFETIMES_IN_MINUTES)[MinutesField];

/**
 * The longest each lifetime may be, in whole hours. Auth0 takes whole hours or whole minutes, at least 1
 * (a fraction is refused: deploy-cli #95, auth0-java #423; go-auth0 sends under an hour in minutes), and
 * refuses a `session_lifetime` over 8760 (deploy-cli #1110). The idle limits are not quoted anywhere: they
 * are the largest Auth0's session-limit docs allow on any plan (100 days idle, 365 days absolute), for
 * ephemeral sessions as for persistent ones.
 */
export const LIFETIME_MAX_HOURS: Readonly<Record<HoursField, number>> = {
  session_lifetime: 365 * 24,
  idle_session_lifetime: 100 * 24,
  ephemeral_session_lifetime: 365 * 24,
  idle_ephemeral_session_lifetime: 100 * 24,
};

/** What Auth0's schema says of each lifetime, quoted in its validation errors (the SDK's texts of them). */
export const LIFETIME_DESCRIPTIONS: Readonly<Record<HoursField | MinutesField, string>> = {
  session_lifetime: 'Number of hours a session will stay valid.',
  session_lifetime_in_minutes: 'Number of minutes a session will stay valid.',
  idle_session_lifetime:
    'Number of hours for which a session can be inactive before the user must log in again.',
  idle_session_lifetime_in_minutes:
    'Number of minutes a session can be inactive before the user must log in again.',
  ephemeral_session_lifetime: 'Number of hours an ephemeral (non-persistent) session will stay valid.',
  ephemeral_session_lifetime_in_minutes:
    'Number of minutes an ephemeral (non-persistent) session will stay valid.',
  idle_ephemeral_session_lifetime:
    'Number of hours for which an ephemeral (non-persistent) session can be inactive before the user must log in again.',
  idle_ephemeral_session_lifetime_in_minutes:
    'Number of minutes an ephemeral (non-persistent) session can be inactive before the user must log in again.',
};
const MINUTES_FIELDS = Object.keys(LIFETIMES_IN_MINUTES) as MinutesField[];

/** The first lifetime a change gives both in hours and in minutes (the SDK documents it as refused). */
export function lifetimeGivenTwice(change: JsonMap): MinutesField | undefined {
  return MINUTES_FIELDS.find((field) => field in change && LIFETIMES_IN_MINUTES[field] in change);
}

/** The change with each lifetime in minutes moved to its hour field. */
export function lifetimesInHours(change: JsonMap): JsonMap {
  const out: JsonMap = { ...change };
  for (const field of MINUTES_FIELDS) {
    if (!(field in out)) continue;
    const minutes = out[field];
    delete out[field];
    out[LIFETIMES_IN_MINUTES[field]] = typeof minutes === 'number' ? minutes / 60 : minutes;
  }
  return out;
}
