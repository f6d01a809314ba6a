// Test support: a tenant in a temp dir on a free port, with a client that trusts its CA, and the
// jest hooks that start and stop it (or make and remove a temp dir) around a file or a describe.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LocalTenant, type LocalTenantOptions, startLocalTenant } from '../../src';
import { TenantClient } from '../../src/client';

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

export interface UseTenantOptions extends LocalTenantOptions {
  /** A fresh tenant for each test (beforeEach/afterEach) instead of one for all (beforeAll/afterAll). */
  each?: boolean;
  /** Runs once the tenant is up: users, factors, actions the tests share. */
  setup?: (t: TestTenant) => Promise<void>;
}

/**
 * Starts a test tenant before the tests of the enclosing file or describe and cleans it up after.
 * The handle is filled when the hook runs: read its fields inside tests and hooks, not at load time.
 */
export function useTestTenant(options: UseTenantOptions = {}): TestTenant {
  const { each, setup, ...tenantOptions } = options;
  const handle = {} as TestTenant;
  (each ? beforeEach : beforeAll)(async () => {
    Object.assign(handle, await startTestTenant(tenantOptions));
    await setup?.(handle);
  });
  (each ? afterEach : afterAll)(async () => {
    await handle.cleanup?.();
  });
  return handle;
}

/** A temp dir made before the tests (each test with `each`) and removed after; read `.path` inside tests. */
export function useTempDir(prefix: string, each = false): { readonly path: string } {
  const dir = { path: '' };
  (each ? beforeEach : beforeAll)(() => {
    dir.path = tempDir(prefix);
  });
  (each ? afterEach : afterAll)(() => {
    rmSync(dir.path, { recursive: true, force: true });
  });
  return dir;
}

/** The package's root: where its bin/ and src/ are. */
export const PACKAGE_ROOT = join(__dirname, '..', '..');
