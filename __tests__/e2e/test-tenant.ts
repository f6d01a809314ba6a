// A local tenant in a temp dir on a free port, with a client that trusts its CA: the package's public
// API only, as any user of the local tenant would start one.

import { rmSync } from 'node:fs';
import {
  type LocalTenant,
  type LocalTenantOptions,
  startLocalTenant,
  TenantClient,
} from '@auth0-mfa/local-tenant';
import { tempDir } from '../support/temp-dirs';

export interface TestTenant {
  tenant: LocalTenant;
  client: TenantClient;
  /** Stops the tenant and removes its directory. */
  cleanup(): Promise<void>;
}

export { tempDir };

export async function startTestTenant(options: LocalTenantOptions = {}): Promise<TestTenant> {
  const dir = tempDir('local-tenant-test-');
  const tenant = await startLocalTenant({ ...options, port: 0, quiet: true, dir });
  return {
    tenant,
    client: new TenantClient(tenant),
    async cleanup() {
      await tenant.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
