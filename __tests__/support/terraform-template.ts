// How Terraform reads a string of a .tf.json file: a template whose `${...}` and `%{...}` are evaluated, and in
// which `$${` and `%%{` stand for the text `${` and `%{`. Used to check what the synthesized JSON would evaluate.

// A whole string `${"..."}` is one HCL string literal: Terraform evaluates it to its text. literal() writes text
// with backslashes, line breaks, or quotes and `${` this way (the form `cdktf synth --hcl` keeps intact).
const STRING_LITERAL = /^\$\{"((?:[^"\\]|\\.)*)"\}$/;
const BACKSLASH_ESCAPES: Record<string, string> = { '\\': '\\', '"': '"', n: '\n', r: '\r', t: '\t' };

/** The text of a `${"..."}` string literal, or undefined when the string is anything else. */
function stringLiteralText(text: string): string | undefined {
  const quoted = text.match(STRING_LITERAL)?.[1];
  if (quoted === undefined) return undefined;
  let out = '';
  for (let i = 0; i < quoted.length; i++) {
    const c = quoted[i];
    if (c === '\\') {
      const unescaped = BACKSLASH_ESCAPES[quoted[i + 1]];
      if (unescaped === undefined) return undefined;
      out += unescaped;
      i++;
    } else if ((c === '$' || c === '%') && quoted[i + 1] === c && quoted[i + 2] === '{') {
      out += `${c}{`;
      i += 2;
    } else if ((c === '$' || c === '%') && quoted[i + 1] === '{') {
      return undefined; // an expression inside the literal: evaluated
    } else out += c;
  }
  return out;
}

/** The `${...}` / `%{...}` sequences Terraform would evaluate in this string. */
export function interpolations(text: string): string[] {
  if (stringLiteralText(text) !== undefined) return [];
  const found: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const sigil = text[i];
    if (sigil !== '$' && sigil !== '%') continue;
    if (text.startsWith(`${sigil}${sigil}{`, i)) {
      i += 2; // an escape: the text `${` or `%{`
    } else if (text[i + 1] === '{') {
      const end = text.indexOf('}', i);
      found.push(text.slice(i, end === -1 ? undefined : end + 1));
      if (end === -1) break;
      i = end;
    }
  }
  return found;
}

/** The text Terraform makes of a string without interpolations: what a plan shows and the provider sends. */
export function templateText(text: string): string {
  const literal = stringLiteralText(text);
  if (literal !== undefined) return literal;
  return text.replace(/([$%])\1\{/g, '$1{');
}

/** Every string value in a JSON document, with its path. */
export function stringsOf(value: unknown, path = ''): Array<[string, string]> {
  if (typeof value === 'string') return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((item, i) => stringsOf(item, `${path}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => stringsOf(item, path ? `${path}.${key}` : key));
  }
  return [];
}
