// Fault injection for /api/v2 calls: a share answered 429 (with X-RateLimit-Reset about one second
// ahead) and a share answered 503, decided before the handler runs so a faulted call changes nothing.
// The provider retries 5xx three times and 429 without limit: so that a share below 1 always converges,
// the same request (method + URL) is never given more than three 503s in a row.

export interface FaultSettings {
  /** 0..1 of /api/v2 calls answered 429 with X-RateLimit-Reset (epoch seconds, ~1s ahead). */
  rateLimitShare?: number;
  /** 0..1 of /api/v2 calls answered 503. */
  serverErrorShare?: number;
  /** Seed of the pseudo-random draw, for repeatable runs. */
  seed?: number;
}

export type Fault = 'rate-limit' | 'server-error';

export const MAX_CONSECUTIVE_SERVER_ERRORS = 3;

export class FaultSettingsError extends Error {}

function checkShare(name: string, value: unknown): number {
  if (value === undefined || value === null) return 0;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new FaultSettingsError(`${name} must be a number from 0 to 1, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** mulberry32: small, fast, good enough to spread faults; deterministic for a seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function normalizeFaults(
  input: FaultSettings,
): Required<Omit<FaultSettings, 'seed'>> & { seed?: number } {
  if (typeof input !== 'object' || input === null)
    throw new FaultSettingsError('fault settings must be an object');
  const unknown = Object.keys(input).filter(
    (k) => !['rateLimitShare', 'serverErrorShare', 'seed'].includes(k),
  );
  if (unknown.length) throw new FaultSettingsError(`unknown fault settings: ${unknown.join(', ')}`);
  const rateLimitShare = checkShare('rateLimitShare', input.rateLimitShare);
  const serverErrorShare = checkShare('serverErrorShare', input.serverErrorShare);
  if (rateLimitShare + serverErrorShare > 1) {
    throw new FaultSettingsError('rateLimitShare + serverErrorShare must not exceed 1');
  }
  if (input.seed !== undefined && (typeof input.seed !== 'number' || !Number.isInteger(input.seed))) {
    throw new FaultSettingsError('seed must be an integer');
  }
  return { rateLimitShare, serverErrorShare, seed: input.seed };
}

/** Parses `LOCAL_TENANT_FAULTS`, e.g. `429=0.2,5xx=0.1,seed=7`. */
export function parseFaultSpec(spec: string | undefined): FaultSettings {
  const settings: FaultSettings = {};
  if (!spec?.trim()) return settings;
  for (const part of spec.split(',')) {
    const [rawKey, rawValue] = part.split('=').map((s) => s.trim());
    const value = Number(rawValue);
    if (!rawKey || rawValue === undefined || rawValue === '' || Number.isNaN(value)) {
      throw new FaultSettingsError(`bad fault setting "${part}" (expected 429=SHARE, 5xx=SHARE or seed=N)`);
    }
    if (rawKey === '429') settings.rateLimitShare = value;
    else if (rawKey === '5xx' || rawKey === '503') settings.serverErrorShare = value;
    else if (rawKey === 'seed') settings.seed = value;
    else throw new FaultSettingsError(`unknown fault kind "${rawKey}" (expected 429, 5xx or seed)`);
  }
  normalizeFaults(settings);
  return settings;
}

export class FaultInjector {
  private rateLimitShare = 0;
  private serverErrorShare = 0;
  private seed: number | undefined;
  private random: () => number = Math.random;
  private readonly consecutive = new Map<string, number>();

  constructor(settings: FaultSettings = {}) {
    this.set(settings);
  }

  set(settings: FaultSettings): void {
    const s = normalizeFaults(settings);
    this.rateLimitShare = s.rateLimitShare;
    this.serverErrorShare = s.serverErrorShare;
    this.seed = s.seed;
    this.random = s.seed === undefined ? Math.random : prng(s.seed);
    this.consecutive.clear();
  }

  get(): FaultSettings {
    const out: FaultSettings = {
      rateLimitShare: this.rateLimitShare,
      serverErrorShare: this.serverErrorShare,
    };
    if (this.seed !== undefined) out.seed = this.seed;
    return out;
  }

  /** Decides the fate of one faultable request; `key` identifies "the same request" for the 503 cap. */
  decide(key: string): Fault | undefined {
    if (this.rateLimitShare === 0 && this.serverErrorShare === 0) return undefined;
    const draw = this.random();
    if (draw < this.rateLimitShare) return 'rate-limit';
    if (draw < this.rateLimitShare + this.serverErrorShare) {
      const inARow = this.consecutive.get(key) ?? 0;
      if (this.serverErrorShare >= 1 || inARow < MAX_CONSECUTIVE_SERVER_ERRORS) {
        this.consecutive.set(key, inARow + 1);
        return 'server-error';
      }
    }
    this.consecutive.delete(key);
    return undefined;
  }
}
