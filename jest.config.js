// Two suites: `npm test` runs everything offline with Node alone; `npm run test:e2e` runs the
// *.e2e.test.ts files, which need Terraform (or OpenTofu), the provider mirror and the local tenant.
const base = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  roots: ['<rootDir>/__tests__'],
  setupFilesAfterEnv: ['<rootDir>/__tests__/setup-cdktf.ts'],
};

module.exports = {
  projects: [
    {
      ...base,
      displayName: 'unit',
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: ['\\.e2e\\.test\\.ts$'],
    },
    { ...base, displayName: 'e2e', testMatch: ['**/*.e2e.test.ts'] },
  ],
};
