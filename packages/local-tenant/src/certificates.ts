// The tenant's own certificate authority, made with the openssl CLI on first start and reused after:
// a CA (ca.crt/ca.key) and a server certificate for localhost, 127.0.0.1 and ::1 signed by it.
// Go clients (Terraform's provider) trust it through SSL_CERT_FILE, which REPLACES the system bundle,
// so `ca-bundle.pem` is the system bundle plus this CA.
import { execFileSync } from 'node:child_process';
import { randomBytes, X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SYSTEM_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

export interface CertificateFiles {
  caCert: string;
  caKey: string;
  serverCert: string;
  serverKey: string;
  /** System bundle (when present) + local CA: the file for SSL_CERT_FILE / CURL_CA_BUNDLE. */
  bundle: string;
}

export class CertificateError extends Error {}

const DAY_MS = 24 * 60 * 60 * 1000;

function openssl(args: string[], cwd: string): void {
  try {
    execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    const err = error as NodeJS.ErrnoException & { stderr?: Buffer };
    if (err.code === 'ENOENT')
      throw new CertificateError('the openssl command is needed to create the local CA');
    throw new CertificateError(`openssl ${args[0]} failed: ${err.stderr?.toString().trim() || err.message}`);
  }
}

function readCert(file: string): X509Certificate | undefined {
  try {
    return new X509Certificate(readFileSync(file));
  } catch {
    return undefined;
  }
}

function stillValid(cert: X509Certificate): boolean {
  return (
    new Date(cert.validTo).getTime() > Date.now() + DAY_MS && new Date(cert.validFrom).getTime() <= Date.now()
  );
}

function caIsUsable(files: CertificateFiles): boolean {
  const ca = readCert(files.caCert);
  return !!ca && ca.ca && stillValid(ca) && existsSync(files.caKey);
}

function serverIsUsable(files: CertificateFiles): boolean {
  const ca = readCert(files.caCert);
  const server = readCert(files.serverCert);
  if (!ca || !server || !existsSync(files.serverKey)) return false;
  return (
    server.checkIssued(ca) &&
    server.verify(ca.publicKey) &&
    stillValid(server) &&
    server.checkHost('localhost') !== undefined &&
    server.checkIP('127.0.0.1') !== undefined
  );
}

/** An openssl config whose [req] section takes the subject from [dn]; `lines` continue [req]. */
function writeRequestConfig(work: string, file: string, lines: string[]): void {
  writeFileSync(
    join(work, file),
    ['[req]', 'distinguished_name = dn', 'prompt = no', ...lines, ''].join('\n'),
  );
}

/** `openssl req` arguments for a new unencrypted P-256 key written to `keyFile`. */
function newEcKey(keyFile: string): string[] {
  return ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile];
}

/** Moves `<name>.key` and `<name>.crt` made in `work` into place, the key readable by its owner only. */
function install(work: string, name: string, key: string, cert: string): void {
  chmodSync(join(work, `${name}.key`), 0o600);
  renameSync(join(work, `${name}.key`), key);
  renameSync(join(work, `${name}.crt`), cert);
}

function makeCa(work: string, files: CertificateFiles): void {
  writeRequestConfig(work, 'ca.cnf', [
    'x509_extensions = v3_ca',
    '[dn]',
    `CN = Local Auth0 Tenant CA ${randomBytes(4).toString('hex')}`,
    'O = auth0-conditional-mfa local tenant',
    '[v3_ca]',
    'basicConstraints = critical,CA:TRUE,pathlen:0',
    'keyUsage = critical,keyCertSign,cRLSign',
    'subjectKeyIdentifier = hash',
  ]);
  openssl(
    ['req', '-x509', '-new', ...newEcKey('ca.key'), '-out', 'ca.crt', '-days', '3650', '-config', 'ca.cnf'],
    work,
  );
  install(work, 'ca', files.caKey, files.caCert);
}

function makeServerCert(work: string, files: CertificateFiles): void {
  writeRequestConfig(work, 'server.cnf', [
    '[dn]',
    'CN = localhost',
    '[v3_server]',
    'basicConstraints = critical,CA:FALSE',
    'keyUsage = critical,digitalSignature,keyEncipherment',
    'extendedKeyUsage = serverAuth',
    'subjectAltName = DNS:localhost,IP:127.0.0.1,IP:::1',
    'subjectKeyIdentifier = hash',
    'authorityKeyIdentifier = keyid,issuer',
  ]);
  openssl(['req', '-new', ...newEcKey('server.key'), '-out', 'server.csr', '-config', 'server.cnf'], work);
  openssl(
    [
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      files.caCert,
      '-CAkey',
      files.caKey,
      '-set_serial',
      `0x${randomBytes(16).toString('hex')}`,
      '-days',
      '825',
      '-extfile',
      'server.cnf',
      '-extensions',
      'v3_server',
      '-out',
      'server.crt',
    ],
    work,
  );
  install(work, 'server', files.serverKey, files.serverCert);
}

function writeBundle(files: CertificateFiles): void {
  const parts: string[] = [];
  if (existsSync(SYSTEM_BUNDLE)) parts.push(readFileSync(SYSTEM_BUNDLE, 'utf8').trimEnd());
  parts.push(readFileSync(files.caCert, 'utf8').trimEnd());
  const tmp = `${files.bundle}.${process.pid}.tmp`;
  writeFileSync(tmp, `${parts.join('\n')}\n`);
  renameSync(tmp, files.bundle);
}

export function certificateFiles(dir: string): CertificateFiles {
  return {
    caCert: join(dir, 'ca.crt'),
    caKey: join(dir, 'ca.key'),
    serverCert: join(dir, 'server.crt'),
    serverKey: join(dir, 'server.key'),
    bundle: join(dir, 'ca-bundle.pem'),
  };
}

/**
 * Makes sure `dir` holds a usable CA and server certificate (creating or renewing what is missing,
 * expired or mismatched) and rewrites the trust bundle. Returns the file paths.
 */
export function ensureCertificates(dir: string): CertificateFiles {
  const files = certificateFiles(dir);
  const work = mkdtempSync(join(tmpdir(), 'local-tenant-ca-'));
  try {
    if (!caIsUsable(files)) {
      makeCa(work, files);
      makeServerCert(work, files);
    } else if (!serverIsUsable(files)) {
      makeServerCert(work, files);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  if (!serverIsUsable(files))
    throw new CertificateError(`the server certificate in ${dir} does not verify against its CA`);
  writeBundle(files);
  return files;
}
