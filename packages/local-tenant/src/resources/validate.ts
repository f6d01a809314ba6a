// Payload validation with Auth0's wording ("Payload validation error: ..."), so clients see the same
// 400s they would get from the real Management API for the mistakes that matter here.
import { ApiError } from '../http';

export type JsonObject = Record<string, unknown>;

function invalid(detail: string, property?: string): ApiError {
  const where = property ? ` on property ${property}` : '';
  return new ApiError(400, `Payload validation error: '${detail}'${where}.`, 'invalid_body');
}

export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

export function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The request body must be a JSON object; a missing body counts as `{}` only when allowed. */
export function objectBody(body: unknown, allowMissing = false): JsonObject {
  if (body === undefined && allowMissing) return {};
  if (!isPlainObject(body)) throw invalid(`Expected type object but found type ${typeName(body ?? null)}`);
  return body;
}

export function rejectUnknown(body: JsonObject, allowed: readonly string[], property?: string): void {
  const unknown = Object.keys(body).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) throw invalid(`Additional properties not allowed: ${unknown.join(',')}`, property);
}

export function requireProps(body: JsonObject, names: readonly string[]): void {
  for (const name of names) {
    if (body[name] === undefined) throw invalid(`Missing required property: ${name}`);
  }
}

type Expected = 'string' | 'boolean' | 'integer' | 'number' | 'object' | 'array';

/** Checks `body[name]` when present (null allowed only with `nullable`). */
export function checkType(
  body: JsonObject,
  name: string,
  expected: Expected | Expected[],
  nullable = false,
): void {
  const value = body[name];
  if (value === undefined) return;
  if (value === null && nullable) return;
  const actual = typeName(value);
  const wanted = Array.isArray(expected) ? expected : [expected];
  const ok = wanted.some((w) => w === actual || (w === 'number' && actual === 'integer'));
  if (!ok) throw invalid(`Expected type ${wanted.join(',')} but found type ${actual}`, name);
}

export function checkEnum(body: JsonObject, name: string, values: readonly string[]): void {
  const value = body[name];
  if (value === undefined || value === null) return;
  if (typeof value !== 'string' || !values.includes(value)) {
    throw invalid(`No enum match for: ${JSON.stringify(value)}`, name);
  }
}

export function checkStringArray(body: JsonObject, name: string, values?: readonly string[]): void {
  const value = body[name];
  if (value === undefined) return;
  if (!Array.isArray(value)) throw invalid(`Expected type array but found type ${typeName(value)}`, name);
  for (const item of value) {
    if (typeof item !== 'string')
      throw invalid(`Expected type string but found type ${typeName(item)}`, name);
    if (values && !values.includes(item)) throw invalid(`No enum match for: ${JSON.stringify(item)}`, name);
  }
}

export function checkMinLength(body: JsonObject, name: string, min: number): void {
  const value = body[name];
  if (typeof value === 'string' && value.length < min) {
    throw invalid(`String is too short (${value.length} chars), minimum ${min}`, name);
  }
}

export function payloadError(detail: string, property?: string): ApiError {
  return invalid(detail, property);
}
