// Test helpers: a tenant in a temp dir on a free port, with a client that trusts its CA.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LocalTenant, type LocalTenantOptions, startLocalTenant } from '../src';
import { TenantClient } from '../src/client';

export interface TestTenant {
  tenant: LocalTenant;
  client: TenantClient;
  dir: string;
  /** Stops the tenant and removes its directory. */
  cleanup(): Promise<void>;
}

export function tempDir(prefix = 'local-tenant-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function startTestTenant(options: LocalTenantOptions = {}): Promise<TestTenant> {
  const dir = options.dir ?? tempDir();
  const tenant = await startLocalTenant({ port: 0, quiet: true, ...options, dir });
  return {
    tenant,
    client: new TenantClient(tenant),
    dir,
    async cleanup() {
      await tenant.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The package's root: where its bin/ and src/ are. */
export const PACKAGE_ROOT = join(__dirname, '..');
