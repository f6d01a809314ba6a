// What the auth0 SDK 7 documents for each of its methods: the error statuses listed in the method's
// `@throws {@link Management.XError}` comments (generated from Auth0's API description), read from the
// installed package's type declarations, so the contract test compares the tenant with the SDK and
// not with a list typed here.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Management } from 'auth0';

const RESOURCES = join(dirname(require.resolve('auth0')), 'management', 'api', 'resources');

/** `guardian.factors.set` -> resources/guardian/resources/factors/client/Client.d.ts, method `set`. */
function declarationFile(sdkMethod: string): { file: string; method: string } {
  const parts = sdkMethod.split('.');
  const method = parts.pop();
  if (!method || parts.length === 0) throw new Error(`not an SDK method path: ${sdkMethod}`);
  const folder = parts.map((part, i) => (i === 0 ? part : join('resources', part))).join('/');
  return { file: join(RESOURCES, folder, 'client', 'Client.d.ts'), method };
}

/** The status an SDK error class stands for, from the class itself (`new BadRequestError().statusCode`). */
function statusOf(errorClass: string): number {
  const ctor = (Management as unknown as Record<string, new () => { statusCode?: number }>)[errorClass];
  const status = ctor ? new ctor().statusCode : undefined;
  if (status === undefined) throw new Error(`the SDK has no error class ${errorClass}`);
  return status;
}

const cache = new Map<string, Map<number, string>>();

/** The error classes the SDK documents for `sdkMethod`, by status (e.g. `actions.get` -> 404: NotFoundError). */
export function documentedErrors(sdkMethod: string): Map<number, string> {
  const cached = cache.get(sdkMethod);
  if (cached) return cached;
  const { file, method } = declarationFile(sdkMethod);
  const lines = readFileSync(file, 'utf8').split('\n');
  const at = lines.findIndex((line) => line.startsWith(`    ${method}(`));
  if (at < 0) throw new Error(`${file} declares no method ${method}`);
  let start = at;
  while (start > 0 && !lines[start].includes('/**')) start--;
  const classes = lines
    .slice(start, at)
    .flatMap((line) => [...line.matchAll(/@throws \{@link Management\.(\w+)\}/g)].map((m) => m[1]));
  if (classes.length === 0) throw new Error(`${sdkMethod}: no @throws found in ${file}`);
  const errors = new Map(classes.map((name) => [statusOf(name), name] as const));
  cache.set(sdkMethod, errors);
  return errors;
}

/** The error statuses the SDK documents for `sdkMethod` (e.g. `actions.delete` -> 400, 401, 403, 404, 429). */
export function documentedStatuses(sdkMethod: string): number[] {
  return [...documentedErrors(sdkMethod).keys()];
}
