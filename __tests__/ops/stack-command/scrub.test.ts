import {
  connectionParts,
  knownSecrets,
  REDACTED,
  scrub,
  scrubbingWriter,
} from '../../../ops/stack-command/scrub';

// Pieces of the password that URL parsers cut it into: none may survive.
const PASSWORD = 'Kq9v/Zx3w#Pm7t?Hy2%jn';
const PIECES = ['Kq9v', 'Zx3w', 'Pm7t', 'Hy2', '%jn'];
const env = {
  PG_CONN_STR: `postgres://tfstate_writer:${PASSWORD}@127.0.0.1:5432/terraform?sslmode=disable`,
  AUTH0_CLIENT_SECRET: 'client-secret-Value-123',
  AUTH0_API_TOKEN: 'eyJhbGciOi.token.sig',
  TF_VAR_seed_user_password: 'Seed-Passw0rd!',
  TF_VAR_duo_secret_key: 'DuoSecretKey42',
  PATH: '/usr/bin',
};

describe('scrub', () => {
  const secrets = knownSecrets(env);

  it("removes what Go's URL parser quotes of an unescaped password", () => {
    // The real messages of `terraform init` for such passwords.
    const texts = [
      'Error: parse "postgres://tfstate_writer:Kq9v/Zx3w": invalid port ":Kq9v" after host',
      'Error: parse "postgres://tfstate_writer:Kq9v/Zx3w#Pm7t?Hy2%jn@127.0.0.1:5432/terraform?sslmode=disable": invalid URL escape "%jn"',
    ];
    for (const text of texts) {
      const out = scrub(text, secrets);
      for (const piece of [...PIECES, 'tfstate_writer']) expect(out).not.toContain(piece);
      expect(out).toContain('invalid');
    }
  });

  it('removes URL-decoded and URL-encoded forms', () => {
    const encoded = knownSecrets({ PG_CONN_STR: 'postgres://u1:p%2Fw%23rd99@h/db' });
    expect(scrub('password p/w#rd99 or p%2Fw%23rd99', encoded)).toBe(`password ${REDACTED} or ${REDACTED}`);
    expect(scrub(`token ${encodeURIComponent('Seed-Passw0rd!')}`, secrets)).toBe(`token ${REDACTED}`);
  });

  it('removes every Auth0 secret, TF_VAR_ value and the whole connection string', () => {
    const text = Object.values(env).join(' | ');
    const out = scrub(text, secrets);
    for (const [name, value] of Object.entries(env)) {
      if (name !== 'PATH') expect(out).not.toContain(value);
    }
    expect(out).toContain('/usr/bin');
  });

  it('removes the database user where it is shown as one, and keeps ordinary words', () => {
    const s = knownSecrets({ PG_CONN_STR: "host=db user=terraform password='s3cr et' dbname=x" });
    expect(scrub('pq: password authentication failed for user "terraform"', s)).toBe(
      `pq: password authentication failed for user "${REDACTED}"`,
    );
    expect(scrub('run terraform init; password=s3cr et', s)).toBe(`run terraform init; password=${REDACTED}`);
  });

  it('parses URL and key=value connection strings, the password up to the last @', () => {
    expect(connectionParts('postgres://u:p@ss@h/db')).toEqual({ user: 'u', password: 'p@ss' });
    expect(connectionParts("user=a password='b c\\'d' host=h")).toEqual({ user: 'a', password: "b c'd" });
    expect(connectionParts('postgres://h/db')).toEqual({});
  });

  it('finds a secret split across two chunks of output', () => {
    const written: string[] = [];
    const writer = scrubbingWriter((t) => written.push(t), secrets);
    writer.write('Error: DuoSec');
    writer.write('retKey42 was refused\nnext');
    writer.flush();
    expect(written.join('')).toBe(`Error: ${REDACTED} was refused\nnext`);
  });
});
