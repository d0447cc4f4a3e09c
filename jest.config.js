/**
 * Five projects: pure unit tests; the web app's lib and composables (under web/src);
 * integration on real Postgres + Redis, and the same integration suite again with BullMQ and
 * change signals on Postgres (what npm start uses on a machine without Redis); and browser and
 * start-up tests.
 */
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }];
const base = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': tsJest },
  moduleFileExtensions: ['ts', 'js', 'json'],
};

const retryOnCi = ['<rootDir>/test/support/ci-retry.ts'];
const integration = {
  ...base,
  testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  setupFilesAfterEnv: retryOnCi,
};

module.exports = {
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    { ...integration, displayName: 'integration' },
    { ...integration, displayName: 'integration-pg-queues', setupFiles: ['<rootDir>/test/support/postgres-queues.ts'] },
    {
      ...base,
      displayName: 'web',
      testMatch: ['<rootDir>/web/src/**/*.test.ts'],
      // the web's tsconfig emits ES modules for vite; jest runs CommonJS
      transform: {
        '^.+\\.ts$': [
          'ts-jest',
          { diagnostics: false, tsconfig: { module: 'commonjs', target: 'ES2022', esModuleInterop: true } },
        ],
      },
      moduleNameMapper: { '^@/(.*)$': '<rootDir>/web/src/$1' },
    },
    {
      ...base,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      setupFilesAfterEnv: retryOnCi,
    },
  ],
};
