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
  // Both cores of the 2-core CI machine: jest's default (cores - 1) runs the files one at a time. Issue 12 measured
  // `npm test` at 16 s that way and 10.7 s with two workers. The e2e suite stays --runInBand (Terraform uses both).
  maxWorkers: 2,
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
