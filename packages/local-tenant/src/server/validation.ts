// Request validation with zod, reported in Auth0's wording: "Payload validation error: '<detail>' on
// property <path>." (body), "Query validation error: ..." (query string), "Path validation error: ..."
// (URL segments). Each API area declares its schemas; this module only runs them and words the first issue.
import { z } from 'zod';
import { type ApiError, badRequest } from './errors';

type Issue = z.core.$ZodIssue & { input?: unknown };

export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

const EXPECTED_NAMES: Record<string, string> = { int: 'integer', record: 'object' };

function lengthOf(input: unknown): number {
  return typeof input === 'string' || Array.isArray(input) ? input.length : 0;
}

/** Auth0's wording of a size bound missed: an array's or string's length, else the value itself. */
function boundDetail(
  origin: string,
  input: unknown,
  bound: 'minimum' | 'maximum',
  limit: number | bigint,
): string {
  const [size, compared] = bound === 'minimum' ? ['short', 'less than'] : ['long', 'greater than'];
  if (origin === 'array') return `Array is too ${size} (${lengthOf(input)}), ${bound} ${limit}`;
  if (origin === 'string') return `String is too ${size} (${lengthOf(input)} chars), ${bound} ${limit}`;
  return `Value ${String(input)} is ${compared} ${bound} ${limit}`;
}

/** The Auth0 detail text of one issue, and the property it names (undefined: none). */
function describe(issue: Issue): { detail: string; property?: string } {
  const names = issue.path.filter((p): p is string => typeof p === 'string');
  const property = names.length > 0 ? names.join('.') : undefined;
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined && names.length === 0)
        return {
          detail: `Expected type ${EXPECTED_NAMES[issue.expected] ?? issue.expected} but found type null`,
        };
      if (issue.input === undefined) {
        const parent = names.slice(0, -1).join('.') || undefined;
        return { detail: `Missing required property: ${names.at(-1) ?? 'body'}`, property: parent };
      }
      return {
        detail: `Expected type ${EXPECTED_NAMES[issue.expected] ?? issue.expected} but found type ${typeName(issue.input)}`,
        property,
      };
    case 'unrecognized_keys':
      return { detail: `Additional properties not allowed: ${issue.keys.join(',')}`, property };
    case 'invalid_value':
      return { detail: `No enum match for: ${JSON.stringify(issue.input)}`, property };
    case 'too_small':
      return { detail: boundDetail(issue.origin, issue.input, 'minimum', issue.minimum), property };
    case 'too_big':
      return { detail: boundDetail(issue.origin, issue.input, 'maximum', issue.maximum), property };
    case 'invalid_format':
      if (issue.format === 'regex') return { detail: 'String does not match pattern', property };
      return {
        detail: `Object didn't pass validation for format ${issue.format}: ${String(issue.input)}`,
        property,
      };
    default:
      return { detail: issue.message, property };
  }
}

/** Unknown properties first (Auth0 reports them before anything else), then the first issue. */
function firstIssue(error: z.ZodError): Issue {
  const issues = error.issues as Issue[];
  return issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0];
}

/** Auth0's description of a property, quoted after its name when the schema has one. */
type Descriptions = Readonly<Record<string, string>>;

function wording(kind: 'Payload' | 'Query' | 'Path', issue: Issue, descriptions: Descriptions = {}): string {
  const { detail, property } = describe(issue);
  if (!property) return `${kind} validation error: '${detail}'.`;
  const description = Object.hasOwn(descriptions, property) ? ` (${descriptions[property]})` : '';
  return `${kind} validation error: '${detail}' on property ${property}${description}.`;
}

function run<T>(schema: z.ZodType<T>, input: unknown, fail: (issue: Issue) => ApiError): T {
  const parsed = schema.safeParse(input, { reportInput: true });
  if (!parsed.success) throw fail(firstIssue(parsed.error));
  return parsed.data;
}

/**
 * A request body; `undefined` (no body) is checked as is, so schemas say whether it is allowed.
 * `descriptions` are Auth0's texts for the properties whose errors quote one.
 */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown, descriptions?: Descriptions): T {
  return run(schema, body, (issue) => badRequest(wording('Payload', issue, descriptions), 'invalid_body'));
}

/** Query parameters (the first value of each name), checked by an object schema of strings. */
export function parseQuery<T>(schema: z.ZodType<T>, query: URLSearchParams): T {
  const values: Record<string, string> = {};
  for (const [name, value] of query) if (!(name in values)) values[name] = value;
  return run(schema, values, (issue) => badRequest(wording('Query', issue), 'invalid_query_string'));
}

/** One URL segment; `description` is Auth0's text for the parameter, quoted after its name. */
export function parsePath<T>(schema: z.ZodType<T>, name: string, value: string, description?: string): T {
  const descriptions = description ? { [name]: description } : {};
  return run(z.object({ [name]: schema }), { [name]: value }, (issue) =>
    badRequest(wording('Path', issue, descriptions), 'invalid_uri'),
  )[name] as T;
}

// ---- schema pieces shared by the API areas --------------------------------------------------------

/** A JSON object (not an array, not null). */
export const jsonObject = z.record(z.string(), z.unknown());

/**
 * A JSON integer within bounds, as Auth0's schemas type it: a fraction is "found type number", like any
 * other non-integer ("found type string", ...), then the bounds in Auth0's words.
 */
export function jsonInteger(min: number, max: number) {
  return z
    .custom<number>((value) => Number.isInteger(value), {
      error: (issue) => `Expected type integer but found type ${typeName(issue.input)}`,
    })
    .pipe(z.number().min(min).max(max));
}

/** Query booleans as Auth0 reads them: `true` or `false`. */
export const queryBoolean = z
  .string()
  .refine((v) => v === 'true' || v === 'false', { message: 'Expected type boolean but found type string' })
  .transform((v) => v === 'true');

/** A non-negative integer in the query string, within bounds. */
export function queryInteger(min: number, max: number) {
  return z
    .string()
    .refine((v) => /^\d+$/.test(v), { message: 'Expected type integer but found type string' })
    .transform(Number)
    .pipe(z.number().min(min).max(max));
}

/** Paging as Auth0's lists read it; `perPage` is the documented default page size of the list. */
export function pagingQuery(perPage: number, maxPerPage = 100, minPerPage = 1) {
  return z.object({
    page: queryInteger(0, 100000).default(0),
    per_page: queryInteger(minPerPage, maxPerPage).default(perPage),
    include_totals: queryBoolean.optional(),
  });
}

/** Paging of the lists Auth0 pages both ways: offset (`page`, `per_page`) or checkpoint (`from`, `take`). */
export function listPagingQuery(perPage: number) {
  return pagingQuery(perPage).extend({
    from: z.string().min(1).optional(),
    take: queryInteger(1, 100).optional(),
  });
}

const fieldsQuery = z.object({ fields: z.string().optional(), include_fields: queryBoolean.optional() });

/**
 * Auth0's `fields` / `include_fields` projection, read from the query once per request: a function
 * that keeps only the named fields of a record (or, with `include_fields=false`, all but them). A
 * non-boolean `include_fields` is Auth0's query error, whether or not there are records.
 */
export function fieldProjection(
  query: URLSearchParams,
): (record: Record<string, unknown>) => Record<string, unknown> {
  const { fields, include_fields: include = true } = parseQuery(fieldsQuery, query);
  if (!fields) return (record) => record;
  const names = new Set(
    fields
      .split(',')
      .map((f) => f.trim())
      .filter(Boolean),
  );
  return (record) => {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(record)) {
      if (names.has(key) === include) out[key] = value;
    }
    return out;
  };
}
