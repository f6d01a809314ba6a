import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { ensureCertificates, SYSTEM_BUNDLE } from '../src/certificates';
import { useTempDir } from './support/tenant';

describe('ensureCertificates', () => {
  const tmp = useTempDir('local-tenant-ca-');

  it('creates a CA and a server certificate for localhost, 127.0.0.1 and ::1 signed by it', () => {
    const files = ensureCertificates(tmp.path);
    const ca = new X509Certificate(readFileSync(files.caCert));
    const server = new X509Certificate(readFileSync(files.serverCert));
    expect(ca.ca).toBe(true);
    expect(server.ca).toBe(false);
    expect(server.checkIssued(ca)).toBe(true);
    expect(server.verify(ca.publicKey)).toBe(true);
    expect(server.subjectAltName).toContain('DNS:localhost');
    expect(server.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(server.checkHost('example.com')).toBeUndefined();
    expect(statSync(files.caKey).mode & 0o077).toBe(0);
    expect(statSync(files.serverKey).mode & 0o077).toBe(0);
  });

  it('builds the trust bundle from the system bundle plus the local CA', () => {
    const files = ensureCertificates(tmp.path);
    const bundle = readFileSync(files.bundle, 'utf8');
    expect(bundle).toContain(readFileSync(files.caCert, 'utf8').trim());
    if (existsSync(SYSTEM_BUNDLE)) {
      expect(bundle.length).toBeGreaterThan(readFileSync(SYSTEM_BUNDLE, 'utf8').length);
    }
  });

  it('reuses the certificates on the next start', () => {
    const first = ensureCertificates(tmp.path);
    const caPem = readFileSync(first.caCert, 'utf8');
    const serverPem = readFileSync(first.serverCert, 'utf8');
    const second = ensureCertificates(tmp.path);
    expect(readFileSync(second.caCert, 'utf8')).toBe(caPem);
    expect(readFileSync(second.serverCert, 'utf8')).toBe(serverPem);
  });

  it('replaces a server certificate that does not verify against the CA, keeping the CA', () => {
    const files = ensureCertificates(tmp.path);
    const caPem = readFileSync(files.caCert, 'utf8');
    writeFileSync(files.serverCert, 'garbage');
    ensureCertificates(tmp.path);
    expect(readFileSync(files.caCert, 'utf8')).toBe(caPem);
    const server = new X509Certificate(readFileSync(files.serverCert));
    expect(server.checkIssued(new X509Certificate(caPem))).toBe(true);
  });
});
