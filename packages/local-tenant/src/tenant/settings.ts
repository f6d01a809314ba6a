// Tenant settings rules: the sandbox versions on offer and how a change merges into the settings.
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
