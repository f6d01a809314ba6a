// How Terraform reads a string of a .tf.json file: a template whose `${...}` and `%{...}` are evaluated, and in
// which `$${` and `%%{` stand for the text `${` and `%{`. Used to check what the synthesized JSON would evaluate.

/** The `${...}` / `%{...}` sequences Terraform would evaluate in this string. */
export function interpolations(text: string): string[] {
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
