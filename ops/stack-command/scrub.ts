// The one scrubber every writer of the stack commands uses (report file, stdout, GitHub step summary,
// console echo, error messages): it removes every credential the environment holds from a text.
// Tools quote credentials in part, not whole: Go's URL parser cuts a connection string at `#` or
// `/` and quotes the rest (`parse "postgres://u:Xy7/Qw": invalid port ":Xy7"`), or only the bad
// escape (`"%zz"`). So each secret is removed whole, in its raw, URL-decoded and URL-encoded forms,
// and so is every piece of it that starts and ends at a character URL parsers split on.

export const REDACTED = '***';

/** Characters URL and connection-string parsers split a secret at. */
const SPLIT = new Set(['/', '#', '?', '@', ':', '%', '&', '=', ';', ' ', "'", '"', '\\']);
/** Pieces shorter than this are not removed on their own (they would hit ordinary words). */
const MIN_PIECE = 3;

/** Variables whose whole value is a credential. */
const SECRET_VARIABLES = ['AUTH0_CLIENT_SECRET', 'AUTH0_API_TOKEN'];

export interface ConnectionParts {
  user?: string;
  password?: string;
}

function decoded(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

/** User and password of a PostgreSQL connection string, URL (`postgres://u:p@h/db`) or key=value. */
export function connectionParts(connection: string): ConnectionParts {
  const url = /^[a-z][a-z0-9+.-]*:\/\/([^@]*)@/i.exec(connection);
  if (url) {
    // The password runs to the LAST `@`: an unescaped `@` in it must not cut it short.
    const userinfo = connection.slice(connection.indexOf('://') + 3, connection.lastIndexOf('@'));
    const colon = userinfo.indexOf(':');
    return colon < 0
      ? { user: userinfo }
      : { user: userinfo.slice(0, colon), password: userinfo.slice(colon + 1) };
  }
  const value = (key: string) => {
    const match = new RegExp(`(?:^|\\s)${key}\\s*=\\s*('(?:[^'\\\\]|\\\\.)*'|\\S+)`).exec(connection);
    if (!match) return undefined;
    const raw = match[1];
    return raw.startsWith("'") ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw;
  };
  return { user: value('user'), password: value('password') };
}

/** The secret in every form a tool may print it. */
function forms(secret: string): string[] {
  const out = new Set([secret]);
  const plain = decoded(secret);
  if (plain) out.add(plain);
  for (const form of [...out]) out.add(encodeURIComponent(form));
  return [...out];
}

/** Every piece of `form` that begins and ends at a split character (or the ends of the form). */
function pieces(form: string): string[] {
  const cuts = new Set([0, form.length]);
  [...form].forEach((char, i) => {
    if (SPLIT.has(char)) {
      cuts.add(i);
      cuts.add(i + 1);
    }
  });
  const sorted = [...cuts].sort((a, b) => a - b);
  const out: string[] = [];
  for (const start of sorted) {
    for (const end of sorted) {
      if (end - start < MIN_PIECE) continue;
      const piece = form.slice(start, end);
      // A piece of split characters alone (`://`) says nothing of the secret.
      if ([...piece].some((char) => !SPLIT.has(char))) out.push(piece);
    }
  }
  return out;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface Secrets {
  /** Strings removed wherever they occur, longest first. */
  values: string[];
  /** Names (the database user) removed only where a tool shows them as a user name. */
  users: string[];
}

/** Every credential in the environment: Auth0 secrets, every TF_VAR_* and PG_CONN_STR with its parts. */
export function knownSecrets(env: NodeJS.ProcessEnv = process.env): Secrets {
  // Secrets a tool may quote in part; the whole connection string is only removed whole (its host,
  // port and database name are no secret, and removing them everywhere would garble reports).
  const secrets: string[] = [];
  const whole: string[] = [];
  const users: string[] = [];
  for (const name of SECRET_VARIABLES) if (env[name]) secrets.push(env[name] as string);
  // Seed passwords, the Duo secret key: the stack takes every secret as a TF_VAR_ variable.
  for (const [name, value] of Object.entries(env))
    if (name.startsWith('TF_VAR_') && value) secrets.push(value);
  const connection = env.PG_CONN_STR;
  if (connection) {
    whole.push(connection);
    const { user, password } = connectionParts(connection);
    if (password) secrets.push(password);
    if (user) users.push(...forms(user));
  }
  const values = new Set<string>();
  for (const secret of whole) for (const form of forms(secret)) values.add(form);
  for (const secret of secrets) {
    for (const form of forms(secret)) {
      values.add(form);
      for (const piece of pieces(form)) values.add(piece);
    }
  }
  // A secret shorter than a piece is still removed whole: leaking it costs more than a garbled word.
  return { values: [...values].filter(Boolean).sort((a, b) => b.length - a.length), users };
}

/** The text with every known credential replaced by REDACTED. */
export function scrub(text: string, secrets: Secrets = knownSecrets()): string {
  let out = text;
  if (secrets.values.length > 0) {
    const any = new RegExp(secrets.values.map(escapeRegExp).join('|'), 'g');
    out = out.replace(any, REDACTED);
  }
  for (const user of secrets.users) {
    const name = escapeRegExp(user);
    // postgres://USER:..., postgres://USER@..., user=USER, for user "USER", role 'USER'
    out = out
      .replace(new RegExp(`(://)${name}(?=[:@])`, 'g'), `$1${REDACTED}`)
      .replace(new RegExp(`(\\buser\\s*=\\s*)${name}(?![\\w.-])`, 'gi'), `$1${REDACTED}`)
      .replace(new RegExp(`(\\b(?:user|role)\\s+(["']))${name}\\2`, 'gi'), `$1${REDACTED}$2`);
  }
  return out;
}

/**
 * A writer for output that arrives in chunks (a child's stdout): whole lines are scrubbed and
 * written, so a credential split across two chunks is still found. `eachLine` turns each line into
 * what is shown (a JSON message into its text) before the scrub, so what is scrubbed is what is shown.
 */
export function scrubbingWriter(
  write: (text: string) => void,
  secrets: Secrets = knownSecrets(),
  eachLine?: (line: string) => string,
) {
  let pending = '';
  const shown = (text: string) =>
    scrub(eachLine ? text.replace(/[^\n]+/g, (line) => eachLine(line)) : text, secrets);
  return {
    write(chunk: Buffer | string) {
      pending += chunk.toString();
      const end = pending.lastIndexOf('\n');
      if (end < 0) return;
      write(shown(pending.slice(0, end + 1)));
      pending = pending.slice(end + 1);
    },
    flush() {
      if (pending) write(shown(pending));
      pending = '';
    },
  };
}
