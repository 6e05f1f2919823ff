// Two tiers (STYLE.md §16): `unit` is pure and fast; `integration` talks to the real
// Postgres, Redis and embedded ClickHouse. Each integration test file gets its own
// Postgres database (cloned from a migrated template) and its own ClickHouse database.
const tsJest = ['ts-jest', { diagnostics: false }]
module.exports = {
  // Integration tests stream 100,000 swipes and import a year of real data.
  testTimeout: 120000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform: { '^.+\\.ts$': tsJest },
      testMatch: ['<rootDir>/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '\\.int\\.test\\.ts$'],
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      transform: { '^.+\\.ts$': tsJest },
      testMatch: ['<rootDir>/**/*.int.test.ts'],
      testPathIgnorePatterns: ['/node_modules/'],
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
    },
  ],
}
