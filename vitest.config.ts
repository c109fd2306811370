import fs from 'node:fs';
import { defineConfig } from 'vitest/config';

/**
 * Two runs of the suite in one: every test on SQLite (the embedded default), then the server and API tests
 * (test/, with the browser walks of each kind of user but not the other browser tests) again on PostgreSQL, each test shop in a database of its own on the
 * server `TEST_DATABASE_URL` names (test/support/postgres-setup.ts starts a local one when it is not set).
 */
// Bound to SQLite's file by what they test: the file's own permissions and backups, its schema history
// (migrations from older files), the install from a tarball; and a test of a page's words that reads no database.
const browserWalks = [
  'test/till.e2e.test.ts',
  'test/backoffice.e2e.test.ts',
  'test/portal.e2e.test.ts',
  'test/restaurant.e2e.test.ts',
  'test/tablet.e2e.test.ts',
];
const otherBrowserTests = fs
  .readdirSync('test')
  .filter((f) => f.endsWith('.e2e.test.ts'))
  .map((f) => `test/${f}`)
  .filter((f) => !browserWalks.includes(f));
const sqliteOnly = [
  'test/event-details.test.ts',
  'test/i18n-fill.test.ts',
  'test/file-modes.test.ts',
  'test/migrations.test.ts',
  'test/operations.test.ts',
  'test/production-install.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each test file gets its own database and server; two cores, so two forks.
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'sqlite',
          include: ['shared/**/*.test.ts', 'server/**/*.test.ts', 'db/**/*.test.ts', 'test/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          // The browser walks of each kind of user too (cashier, manager, producer, waiter, a tablet's life).
          include: ['test/**/*.test.ts'],
          exclude: [...otherBrowserTests, ...sqliteOnly],
          env: { COMPTOIR_TEST_ENGINE: 'postgres' },
          globalSetup: ['test/support/postgres-setup.ts'],
        },
      },
    ],
  },
});
