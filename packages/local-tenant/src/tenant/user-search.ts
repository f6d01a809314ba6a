// The Lucene subset of Auth0's user search (search_engine=v3) that scripts and the provider use:
// `field:value`, `field:"quoted value"`, nested fields (`user_metadata.use_mfa:true`), wildcards (`*`,
// `?`), ranges (`[a TO b]`, `{a TO b}`), `_exists_:field`, AND / OR / NOT (also `&&`, `||`, `!`, `-`),
// parentheses, and bare terms. Juxtaposed clauses are ORed, Lucene's default operator.
// Matching is exact and case-insensitive for strings (as Auth0's keyword fields), by value for
// booleans and numbers, and "any element" for arrays.

export type SearchNode =
  | { kind: 'and'; items: SearchNode[] }
  | { kind: 'or'; items: SearchNode[] }
  | { kind: 'not'; item: SearchNode }
  | { kind: 'term'; field?: string; value: string; quoted: boolean }
  | { kind: 'range'; field: string; lo: string; hi: string; loInclusive: boolean; hiInclusive: boolean }
  | { kind: 'exists'; field: string };

export class SearchSyntaxError extends Error {}

type Token =
  | { t: 'lparen' | 'rparen' | 'and' | 'or' | 'not' | 'plus' | 'eof' }
  | { t: 'word'; v: string }
  | { t: 'quoted'; v: string }
  | { t: 'range'; v: string };

const SPECIAL = new Set(['(', ')', '"', ' ', '\t', '\n', '\r']);

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '(' || c === ')') {
      tokens.push({ t: c === '(' ? 'lparen' : 'rparen' });
      i++;
      continue;
    }
    if (c === '"') {
      let v = '';
      i++;
      while (i < input.length && input[i] !== '"') {
        if (input[i] === '\\' && i + 1 < input.length) i++;
        v += input[i++];
      }
      if (i >= input.length) throw new SearchSyntaxError('unterminated quoted string');
      i++;
      tokens.push({ t: 'quoted', v });
      continue;
    }
    if (c === '[' || c === '{') {
      const offset = input.slice(i).search(/[\]}]/);
      if (offset < 0) throw new SearchSyntaxError('unterminated range');
      const end = i + offset;
      tokens.push({ t: 'range', v: input.slice(i, end + 1) });
      i = end + 1;
      continue;
    }
    if ((c === '&' && input[i + 1] === '&') || (c === '|' && input[i + 1] === '|')) {
      tokens.push({ t: c === '&' ? 'and' : 'or' });
      i += 2;
      continue;
    }
    if (
      (c === '!' || c === '-') &&
      (tokens.length === 0 || !/\S/.test(input[i - 1] ?? ' ') || input[i - 1] === '(')
    ) {
      tokens.push({ t: 'not' });
      i++;
      continue;
    }
    if (c === '+' && (i === 0 || !/\S/.test(input[i - 1]))) {
      tokens.push({ t: 'plus' });
      i++;
      continue;
    }
    let v = '';
    while (i < input.length && !SPECIAL.has(input[i])) {
      if (input[i] === '\\' && i + 1 < input.length) {
        v += input[i + 1];
        i += 2;
        continue;
      }
      v += input[i++];
      // `field:"quoted"`, `field:[range]` and `field:(group)` continue as separate tokens.
      if (
        v.endsWith(':') &&
        i < input.length &&
        (input[i] === '"' || input[i] === '[' || input[i] === '{' || input[i] === '(')
      ) {
        break;
      }
    }
    if (v === 'AND') tokens.push({ t: 'and' });
    else if (v === 'OR') tokens.push({ t: 'or' });
    else if (v === 'NOT') tokens.push({ t: 'not' });
    else tokens.push({ t: 'word', v });
  }
  tokens.push({ t: 'eof' });
  return tokens;
}

function parseRange(field: string, raw: string): SearchNode {
  const m = raw.match(/^([[{])\s*(\S+)\s+TO\s+(\S+)\s*([\]}])$/);
  if (!m) throw new SearchSyntaxError(`bad range ${raw}`);
  const unquote = (s: string) => s.replace(/^"(.*)"$/, '$1');
  return {
    kind: 'range',
    field,
    lo: unquote(m[2]),
    hi: unquote(m[3]),
    loInclusive: m[1] === '[',
    hiInclusive: m[4] === ']',
  };
}

export function parseSearch(input: string): SearchNode {
  const tokens = tokenize(input);
  let pos = 0;
  const peek = () => tokens[pos];
  const next = () => tokens[pos++];

  function orExpr(field?: string): SearchNode {
    const items = [andExpr(field)];
    for (;;) {
      const tok = peek();
      if (tok.t === 'eof' || tok.t === 'rparen') break;
      if (tok.t === 'or') next();
      items.push(andExpr(field));
    }
    return items.length === 1 ? items[0] : { kind: 'or', items };
  }

  function andExpr(field?: string): SearchNode {
    const items = [unary(field)];
    while (peek().t === 'and') {
      next();
      items.push(unary(field));
    }
    return items.length === 1 ? items[0] : { kind: 'and', items };
  }

  function unary(field?: string): SearchNode {
    const tok = peek();
    if (tok.t === 'not') {
      next();
      return { kind: 'not', item: unary(field) };
    }
    if (tok.t === 'plus') {
      next();
      return unary(field);
    }
    return primary(field);
  }

  function value(field: string): SearchNode {
    const tok = next();
    if (tok.t === 'quoted') return { kind: 'term', field, value: tok.v, quoted: true };
    if (tok.t === 'word') {
      if (field === '_exists_') return { kind: 'exists', field: tok.v };
      return { kind: 'term', field, value: tok.v, quoted: false };
    }
    if (tok.t === 'range') return parseRange(field, tok.v);
    if (tok.t === 'lparen') {
      const inner = orExpr(field);
      if (next().t !== 'rparen') throw new SearchSyntaxError('missing )');
      return inner;
    }
    throw new SearchSyntaxError(`missing value for field ${field}`);
  }

  function primary(field?: string): SearchNode {
    const tok = next();
    if (tok.t === 'lparen') {
      const inner = orExpr(field);
      if (next().t !== 'rparen') throw new SearchSyntaxError('missing )');
      return inner;
    }
    if (tok.t === 'quoted') return { kind: 'term', field, value: tok.v, quoted: true };
    if (tok.t === 'range') {
      if (!field) throw new SearchSyntaxError('a range needs a field');
      return parseRange(field, tok.v);
    }
    if (tok.t === 'word') {
      const colon = tok.v.indexOf(':');
      if (colon > 0 && field === undefined) {
        const name = tok.v.slice(0, colon);
        const rest = tok.v.slice(colon + 1);
        if (rest === '') return value(name);
        if (name === '_exists_') return { kind: 'exists', field: rest };
        return { kind: 'term', field: name, value: rest, quoted: false };
      }
      if (field === '_exists_') return { kind: 'exists', field: tok.v };
      return { kind: 'term', field, value: tok.v, quoted: false };
    }
    throw new SearchSyntaxError(tok.t === 'eof' ? 'unexpected end of query' : `unexpected ${tok.t}`);
  }

  const tree = orExpr();
  if (peek().t !== 'eof') throw new SearchSyntaxError('unbalanced )');
  return tree;
}

function fieldValues(record: Record<string, unknown>, path: string): unknown[] {
  let current: unknown[] = [record];
  for (const part of path.split('.')) {
    const next: unknown[] = [];
    for (const item of current) {
      if (Array.isArray(item)) {
        for (const el of item)
          if (el && typeof el === 'object' && part in el) next.push((el as Record<string, unknown>)[part]);
      } else if (item && typeof item === 'object' && part in item) {
        next.push((item as Record<string, unknown>)[part]);
      }
    }
    current = next;
  }
  return current.flatMap((v) => (Array.isArray(v) ? v : [v])).filter((v) => v !== undefined && v !== null);
}

function wildcardRegex(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, 'i');
}

function matchesValue(actual: unknown, wanted: string, quoted: boolean): boolean {
  if (typeof actual === 'boolean') return wanted.toLowerCase() === String(actual);
  if (typeof actual === 'number') return Number(wanted) === actual;
  if (typeof actual !== 'string') return false;
  if (!quoted && /[*?]/.test(wanted)) return wildcardRegex(wanted).test(actual);
  return actual.toLowerCase() === wanted.toLowerCase();
}

function inRange(actual: unknown, node: Extract<SearchNode, { kind: 'range' }>): boolean {
  const numeric = typeof actual === 'number';
  const cmp = (bound: string): number => {
    if (numeric) return (actual as number) - Number(bound);
    return String(actual).localeCompare(bound);
  };
  if (typeof actual !== 'string' && !numeric) return false;
  const loOk = node.lo === '*' || (node.loInclusive ? cmp(node.lo) >= 0 : cmp(node.lo) > 0);
  const hiOk = node.hi === '*' || (node.hiInclusive ? cmp(node.hi) <= 0 : cmp(node.hi) < 0);
  return loOk && hiOk;
}

const FREE_TEXT_FIELDS = ['email', 'name', 'nickname', 'username', 'user_id', 'given_name', 'family_name'];

export function matchesSearch(node: SearchNode, record: Record<string, unknown>): boolean {
  switch (node.kind) {
    case 'and':
      return node.items.every((n) => matchesSearch(n, record));
    case 'or':
      return node.items.some((n) => matchesSearch(n, record));
    case 'not':
      return !matchesSearch(node.item, record);
    case 'exists':
      return fieldValues(record, node.field).length > 0;
    case 'range':
      return fieldValues(record, node.field).some((v) => inRange(v, node));
    case 'term': {
      if (node.field === undefined) {
        return FREE_TEXT_FIELDS.some((f) =>
          fieldValues(record, f).some(
            (v) =>
              matchesValue(v, node.value, node.quoted) ||
              (typeof v === 'string' && v.toLowerCase().split(/\s+/).includes(node.value.toLowerCase())),
          ),
        );
      }
      if (node.value === '*') return fieldValues(record, node.field).length > 0;
      return fieldValues(record, node.field).some((v) => matchesValue(v, node.value, node.quoted));
    }
  }
}

/** What the user table can look up exactly (`UserReader.withValue`). */
export interface ValueLookup {
  withValue(field: string, value: string): ReadonlySet<string> | undefined;
}

/**
 * The ids of every user a query can match, from the table's indexes (more may be listed: the query is still
 * checked on each), or undefined when a part of it needs every user looked at: NOT, ranges, `_exists_`,
 * wildcards, bare terms, fields without an index. An AND needs one indexed part (its smallest is taken),
 * an OR needs all of them.
 */
export function candidateIds(node: SearchNode, users: ValueLookup): ReadonlySet<string> | undefined {
  switch (node.kind) {
    case 'or': {
      const union = new Set<string>();
      for (const item of node.items) {
        const ids = candidateIds(item, users);
        if (!ids) return undefined;
        for (const id of ids) union.add(id);
      }
      return union;
    }
    case 'and': {
      let smallest: ReadonlySet<string> | undefined;
      for (const item of node.items) {
        const ids = candidateIds(item, users);
        if (ids && (!smallest || ids.size < smallest.size)) smallest = ids;
      }
      return smallest;
    }
    case 'term':
      if (node.field === undefined || (!node.quoted && /[*?]/.test(node.value))) return undefined;
      return users.withValue(node.field, node.value);
    default:
      return undefined;
  }
}
