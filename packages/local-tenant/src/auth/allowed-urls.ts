// Auth0's one rule for its URL allow lists (an application's Allowed Callback URLs and Allowed Logout
// URLs, the tenant's Allowed Logout URLs): the URL is compared part by part, never by string prefix.
// Scheme and host are compared without case, the port and path exactly (after the URL parser resolved
// `..`, as the browser will). `*` is a wildcard only in the leftmost label of an http(s) host, for one
// label, optionally with a prefix and suffix (`https://pre-*-suf.example.com`), never on a top-level
// domain alone (`https://*.com`), and at most once. What each list makes of the query differs:
// callbacks compare it exactly; /v2/logout ignores query and hash; /oidc/logout wants every query
// parameter the URL carries to be named by the listed URL (`?myParam` allows `?myParam=1234`).
// Local extension: an entry starting with `/` is a page of this tenant under each of its host names.

export type QueryMatch = 'exact' | 'ignored' | 'names';

export interface UrlListRule {
  /** Origins (`https://localhost:PORT`, ...) an entry starting with `/` stands for. */
  tenantOrigins: readonly string[];
  query: QueryMatch;
}

/** `https://localhost:PORT` and `https://127.0.0.1:PORT`: this tenant under its two host names. */
export function tenantOrigins(issuer: string): string[] {
  const { port } = new URL(issuer);
  return [`https://localhost:${port}`, `https://127.0.0.1:${port}`];
}

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

function hostMatches(pattern: string, host: string): boolean {
  if (!pattern.includes('*')) return pattern === host;
  const [first, ...rest] = pattern.split('.');
  const parts = first.split('*');
  if (rest.length < 2 || parts.length !== 2 || rest.some((label) => label.includes('*'))) return false;
  const [label, ...parent] = host.split('.');
  if (parent.join('.') !== rest.join('.')) return false;
  const [prefix, suffix] = parts;
  return label.length > prefix.length + suffix.length && label.startsWith(prefix) && label.endsWith(suffix);
}

function queryNames(url: URL): Set<string> {
  return new Set(url.searchParams.keys());
}

function queryMatches(listed: URL, given: URL, query: QueryMatch): boolean {
  if (query === 'ignored') return true;
  if (query === 'exact') return listed.search === given.search && listed.hash === given.hash;
  const allowed = queryNames(listed);
  return [...queryNames(given)].every((name) => allowed.has(name));
}

function entryMatches(entry: string, given: URL, query: QueryMatch): boolean {
  const listed = parse(entry);
  if (!listed) return false;
  const wildcard = listed.hostname.includes('*');
  if (wildcard && listed.protocol !== 'https:' && listed.protocol !== 'http:') return false;
  return (
    listed.protocol === given.protocol &&
    listed.username === given.username &&
    listed.password === given.password &&
    listed.port === given.port &&
    hostMatches(listed.hostname, given.hostname) &&
    listed.pathname === given.pathname &&
    queryMatches(listed, given, query)
  );
}

/** Whether `url` is allowed by one of the `listed` URLs (entries that are not strings never match). */
export function urlListed(listed: readonly unknown[], url: string, rule: UrlListRule): boolean {
  const given = parse(url);
  if (!given || given.hostname.includes('*')) return false;
  return listed.some((entry) => {
    if (typeof entry !== 'string') return false;
    const entries = entry.startsWith('/') ? rule.tenantOrigins.map((origin) => `${origin}${entry}`) : [entry];
    return entries.some((e) => entryMatches(e, given, rule.query));
  });
}

/** A listed URL as a redirect goes to it: an entry starting with `/` on the tenant's first origin. */
export function listedTarget(entry: string, rule: UrlListRule): string {
  return entry.startsWith('/') ? `${rule.tenantOrigins[0]}${entry}` : entry;
}
