import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

/**
 * The test tiers, one vitest project each (`npm run test:<tier>`; `npm test` runs them all in one pool):
 * - unit: pure code, no database, no browser;
 * - api: the API and the importer on the fixtures (the mini city, the tiny city), on both engines;
 * - package: acceptance on the real data package, on both engines;
 * - e2e: `npm start` in a child process, the web app in Chromium, and a smoke run of `npm run bench`;
 * - hardening: generated requests and packages, load, an import killed midway, a database outage.
 * A file in tests/api/ holds suites on the fixtures (`describe.each(engines)`), on the real package
 * (`describe.each(packageEngines)`) or both (tests/support/db.ts): the api and the package tier each run their own.
 * tests/global-setup.ts prepares what a tier needs: nothing for unit, an empty database for api, the real package
 * imported for the others.
 */

/** tests/api files with suites on the real package only; `npm start` end to end, which runs in the e2e tier. */
const PACKAGE_ONLY = ['openapi', 'data-doc', 'easy-read'].map((name) => `tests/api/${name}.test.ts`);
/** tests/api files with suites on the fixtures only (a tier without any suite of a file fails it). */
const FIXTURE_ONLY = ['embed', 'ogc', 'downloads'].map((name) => `tests/api/${name}.test.ts`);
const START = 'tests/api/start.test.ts';
const HARDENING = ['tests/api/hardening-*.test.ts'];

function tier(name: string, include: string[], exclude: string[] = []): TestProjectInlineConfiguration {
  return {
    extends: true,
    test: {
      name,
      include,
      exclude,
      env: { TEST_TIER: name },
      globalSetup: name === 'unit' ? [] : ['tests/global-setup.ts'],
    },
  };
}

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 300_000,
    pool: 'forks',
    maxWorkers: 2,
    // Vitest sets the tiers up one after another in this order: package first, so that the real import into
    // both engines starts at once and the PGlite folder of the api tier comes out of it.
    projects: [
      tier('unit', [
        'tests/unit/**/*.test.ts',
        'web/**/*.test.ts',
        'server/**/*.test.ts',
        'geodata/**/*.test.ts',
        'scripts/**/*.test.ts',
      ]),
      tier('package', ['tests/api/*.test.ts'], [...HARDENING, START, ...FIXTURE_ONLY]),
      tier('e2e', ['tests/e2e/*.test.ts', START, 'tests/bench-smoke.test.ts']),
      tier('hardening', HARDENING),
      tier('api', ['tests/api/*.test.ts'], [...HARDENING, ...PACKAGE_ONLY, START]),
    ],
  },
});
