// A real browser for login tests: Debian's chromium (installed by scripts/ci/chromium.sh, which fails
// naming what is missing) driven by playwright-core, with a fresh profile, trusting exactly the local
// tenant's server key (no blanket certificate bypass).
import { execFileSync } from 'node:child_process';
import { createHash, createPublicKey } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { LocalTenant } from '@auth0-mfa/local-tenant';
import { type BrowserContext, chromium } from 'playwright-core';
import { tempDir } from '../support/temp-dirs';

const SCRIPT = join(__dirname, '..', '..', 'scripts', 'ci', 'chromium.sh');

export function chromiumPath(): string {
  return execFileSync('bash', [SCRIPT], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}

function serverKeyPin(tenant: LocalTenant): string {
  const cert = readFileSync(join(dirname(tenant.caFile), 'server.crt'));
  const spki = createPublicKey(cert).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchBrowser(tenant: LocalTenant): Promise<Browser> {
  const profile = tempDir('chromium-profile-');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--ignore-certificate-errors-spki-list=${serverKeyPin(tenant)}`,
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
