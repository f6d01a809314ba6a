// An Action's npm dependency checked against the npm registry before the build installs it: the package
// must exist and the version (exact, range or dist-tag) must match a published version, which is the
// exact version installed. Answers are cached per process; a registry that cannot be reached is said
// so, never taken as a success.
import semver from 'semver';

export const DEFAULT_REGISTRY = 'https://registry.npmjs.org';
const TIMEOUT_MS = 15_000;

export interface Dependency {
  name: string;
  version: string;
}

/**
 * npm's package-name rules (docs.npmjs.com, package.json "name"): at most 214 characters including the
 * scope, lowercase, URL-safe characters only, not starting with a dot or an underscore, and one slash at
 * most, after an `@scope`. The name becomes a folder under node_modules, so this also keeps it inside.
 */
const PACKAGE_NAME = /^(?:@[a-z0-9~-][a-z0-9._~-]*\/)?[a-z0-9~-][a-z0-9._~-]*$/;
export const MAX_PACKAGE_NAME_LENGTH = 214;

/** Why `name` cannot be an npm package name, or undefined when it can. */
export function packageNameProblem(name: string): string | undefined {
  if (name.length > MAX_PACKAGE_NAME_LENGTH)
    return `longer than ${MAX_PACKAGE_NAME_LENGTH} characters (${name.length})`;
  if (!PACKAGE_NAME.test(name))
    return 'not an npm package name (lowercase letters, digits, "-", ".", "_", "~", not starting with "." or "_", optionally "@scope/" first)';
  return undefined;
}

export type Resolution = { ok: true; version: string } | { ok: false; message: string };

export interface RegistryOptions {
  /** Base URL of the registry (default: env npm_config_registry, else registry.npmjs.org). */
  url?: string;
  /** Never ask the registry: every dependency fails, saying the tenant is offline. */
  offline?: boolean;
}

/** What the tenant reports about a package: its published versions and dist-tags, or that it has none. */
type PackageAnswer = { found: true; versions: string[]; tags: Record<string, string> } | { found: false };

/** Per process, by registry URL and package name: a registry's answers do not change under a test. */
const answers = new Map<string, Promise<PackageAnswer>>();

/** The registry from the option, else npm's own setting as npm passes it to scripts, else npmjs.org. */
export function registryUrl(option?: string): string {
  const url =
    option || process.env.npm_config_registry || process.env.NPM_CONFIG_REGISTRY || DEFAULT_REGISTRY;
  return url.replace(/\/+$/, '');
}

/** LOCAL_TENANT_OFFLINE: 1/true or 0/false (unset: online); anything else is refused, naming it. */
export function offlineFromEnv(): boolean {
  const value = process.env.LOCAL_TENANT_OFFLINE;
  if (value === undefined || value === '' || value === '0' || value === 'false') return false;
  if (value === '1' || value === 'true') return true;
  throw new Error(`LOCAL_TENANT_OFFLINE must be 1, true, 0 or false, got "${value}"`);
}

export const OFFLINE_HINT = '--offline, option `offline`, LOCAL_TENANT_OFFLINE=1';

/** Thrown when the registry gave no usable answer (network, timeout, 5xx): not a fact about the package. */
class RegistryUnavailable extends Error {}

function pickVersion(answer: Extract<PackageAnswer, { found: true }>, wanted: string): string | undefined {
  if (Object.hasOwn(answer.tags, wanted)) return answer.tags[wanted];
  if (semver.validRange(wanted) === null) return undefined;
  return semver.maxSatisfying(answer.versions, wanted) ?? undefined;
}

export class NpmRegistry {
  readonly url: string;
  readonly offline: boolean;

  constructor(options: RegistryOptions = {}) {
    this.url = registryUrl(options.url);
    this.offline = options.offline ?? false;
  }

  async resolve(dependency: Dependency): Promise<Resolution> {
    const label = `"${dependency.name}@${dependency.version}"`;
    if (this.offline) {
      return {
        ok: false,
        message: `dependency ${label} could not be checked: the local tenant is offline (${OFFLINE_HINT}), so no build with dependencies succeeds`,
      };
    }
    let answer: PackageAnswer;
    try {
      answer = await this.lookup(dependency.name);
    } catch (error) {
      return {
        ok: false,
        message: `dependency ${label} could not be checked: the npm registry ${this.url} ${(error as Error).message}; to work without it, start the tenant offline (${OFFLINE_HINT})`,
      };
    }
    if (!answer.found) {
      return {
        ok: false,
        message: `dependency ${label}: no package "${dependency.name}" in the npm registry ${this.url}`,
      };
    }
    const version = pickVersion(answer, dependency.version);
    if (version === undefined) {
      const latest = answer.tags.latest ? ` (latest: ${answer.tags.latest})` : '';
      return {
        ok: false,
        message: `dependency ${label}: no published version of "${dependency.name}" matches "${dependency.version}"${latest}`,
      };
    }
    // A dist-tag is whatever the registry says; only an exact version may reach npm and the disk.
    if (semver.valid(version) === null) {
      return {
        ok: false,
        message: `dependency ${label}: the npm registry ${this.url} answered "${version}" for it, which is not a version`,
      };
    }
    return { ok: true, version };
  }

  private lookup(name: string): Promise<PackageAnswer> {
    const key = `${this.url}\0${name}`;
    let answer = answers.get(key);
    if (!answer) {
      answer = this.fetchPackage(name);
      answers.set(key, answer);
      // Only facts are kept: an unreachable registry is asked again next time.
      answer.catch(() => answers.delete(key));
    }
    return answer;
  }

  private async fetchPackage(name: string): Promise<PackageAnswer> {
    // Scoped names keep their @ and encode the slash, as npm asks for them.
    const url = `${this.url}/${encodeURIComponent(name).replace(/^%40/, '@')}`;
    let response: Response;
    try {
      response = await fetch(url, {
        // The abbreviated document: versions and dist-tags, much smaller than the full one.
        headers: { accept: 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8' },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const reason = cause?.code ?? cause?.message ?? (error as Error).message;
      throw new RegistryUnavailable(`could not be reached (${reason})`);
    }
    // 404 is npm's "no such package"; 400/405 come back for names npm cannot hold.
    if (response.status === 404 || response.status === 400 || response.status === 405) {
      await response.body?.cancel();
      return { found: false };
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new RegistryUnavailable(`answered ${response.status} for "${name}"`);
    }
    const document = (await response.json().catch(() => undefined)) as
      | { versions?: Record<string, unknown>; 'dist-tags'?: Record<string, string> }
      | undefined;
    if (!document || typeof document !== 'object') {
      throw new RegistryUnavailable(`answered something that is not a package document for "${name}"`);
    }
    return { found: true, versions: Object.keys(document.versions ?? {}), tags: document['dist-tags'] ?? {} };
  }
}
