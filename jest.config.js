/** Projects: `unit` (pure code, no services), `integration` (real Temporal, MariaDB and the emulator), `faults` and `property`. */
const tsJest = ['ts-jest', { tsconfig: { isolatedModules: true }, diagnostics: false }];
module.exports = {
  testTimeout: 120000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform: { '^.+\\.ts$': tsJest },
      testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      transform: { '^.+\\.ts$': tsJest },
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
    {
      // Fault scenarios (worker, Temporal, MariaDB and Mailchimp failures) ending in a zero-drift reconciliation.
      // The default run uses a small shop; `FAULTS_SIZE=large npm run test:faults` a bigger one.
      displayName: 'faults',
      testEnvironment: 'node',
      transform: { '^.+\\.ts$': tsJest },
      testMatch: ['<rootDir>/test/faults/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
    {
      // The differential property test (test/property/): random merchant changes while the sync runs, then the store
      // must equal a fresh full sync of the final shop. A few fixed-seed runs here; `npm run test:property` for more.
      displayName: 'property',
      testEnvironment: 'node',
      transform: { '^.+\\.ts$': tsJest },
      testMatch: ['<rootDir>/test/property/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
