// @ts-check
/**
 * Test tiers, as Ghost splits them (test:unit / test:integration / test:e2e in
 * https://github.com/TryGhost/Ghost/blob/main/ghost/core/package.json): unit (no I/O), integration (real DBs), api (HTTP against a
 * real server + DB), e2e (browser). Run one with `npx jest --selectProjects <name>`.
 *
 * integration/api/e2e share one globalSetup/globalTeardown path; Jest dedupes hooks by path and only
 * runs them when a test of such a project is selected, so a unit-only run never starts MariaDB.
 *
 * Jest cannot set maxWorkers or testTimeout per project (both are global options). e2e therefore gets its
 * 60 s timeout from a setupFilesAfterEnv file, and e2e tests must be safe under parallel workers: each
 * file starts its own server on port 0 with its own fresh database (test/support/databases.ts).
 * `npm run test:e2e -- -i` runs them serially when debugging.
 */

/**
 * ts-jest with type diagnostics on: a test file (or what it imports) that does not type-check fails
 * that file, with the compiler's message, instead of running code the types say is wrong. That needs
 * ts-jest's language service, which tsconfig's `isolatedModules` would switch off (transpile only),
 * hence tsconfig.jest.json; `npm run typecheck` still checks the whole tree in CI. JEST_TYPECHECK=0
 * runs a tree that is mid-edit elsewhere (never set in CI).
 * (jest 29 + ts-jest rather than @swc/jest / jest 30: those pull platform-specific native packages
 * that this project's registry mirror does not carry for every platform, which breaks `npm ci`.)
 */
const tsJest = ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json', diagnostics: process.env.JEST_TYPECHECK !== '0' }];

/** @param {string} name @param {Record<string, unknown>} [extra] @returns {import('jest').Config} */
const project = (name, extra = {}) => ({
  displayName: name,
  rootDir: __dirname,
  testMatch: [`<rootDir>/test/${name}/**/*.test.ts`],
  testEnvironment: 'node',
  transform: { '^.+\\.tsx?$': tsJest },
  moduleFileExtensions: ['ts', 'tsx', 'js', 'mjs', 'cjs', 'json', 'node'],
  moduleNameMapper: {
    '^@shopcrew/shared$': '<rootDir>/shared/src/index.ts',
    '^@shopcrew/shared/(.*)$': '<rootDir>/shared/src/$1',
  },
  modulePathIgnorePatterns: ['<rootDir>/h5/dist/', '<rootDir>/server/dist/', '<rootDir>/.tmp/'],
  ...extra,
});

/** Throwaway MariaDB for the tiers that touch a database (test/support/mariadb.ts). */
const withDb = {
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
};

/** @type {import('jest').Config} */
module.exports = {
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  projects: [
    project('unit'),
    project('integration', { ...withDb, setupFilesAfterEnv: ['<rootDir>/test/support/setup-db-tier.ts'] }),
    project('api', { ...withDb, setupFilesAfterEnv: ['<rootDir>/test/support/setup-db-tier.ts'] }),
    project('e2e', { ...withDb, setupFilesAfterEnv: ['<rootDir>/test/support/setup-e2e.ts'] }),
  ],
};
