// Once per `vitest run`, before any test file: find the PostgreSQL server and
// the Chromium the tests use (test/support/test-postgres.ts,
// test/support/chromium-path.ts), print one line for each, and hand them to
// the test workers through the environment they are forked with
// (TEST_DATABASE_URL, CHROMIUM_PATH). A throwaway PostgreSQL is stopped after
// the run.
import { DEFAULT_PROBE_URL, postgresAnswers, startThrowawayPostgres, type TestPostgres } from './test-postgres.ts';
import { findChromium } from './chromium-path.ts';

export default async function setup(): Promise<() => Promise<void>> {
  // Both at once: starting PostgreSQL and unpacking Chromium each take seconds.
  const [database] = await Promise.all([choosePostgres(), chooseChromium()]);
  return async () => {
    await database?.stop();
  };
}

/** Sets TEST_DATABASE_URL; returns the throwaway server to stop, if one was started. */
async function choosePostgres(): Promise<TestPostgres | undefined> {
  if (process.env.TEST_DATABASE_URL) {
    console.log('tests: PostgreSQL from TEST_DATABASE_URL');
    return undefined;
  }
  const probe = process.env.TEST_PG_PROBE_URL || DEFAULT_PROBE_URL;
  if (await postgresAnswers(probe)) {
    process.env.TEST_DATABASE_URL = probe;
    console.log(`tests: PostgreSQL at ${new URL(probe).host} (set TEST_DATABASE_URL to use another)`);
    return undefined;
  }
  const throwaway = await startThrowawayPostgres();
  process.env.TEST_DATABASE_URL = throwaway.url;
  console.log(`tests: nothing answered at ${new URL(probe).host}; started ${throwaway.describe}`);
  return throwaway;
}

/** Sets CHROMIUM_PATH (and the browser's extra environment) for the browser tests. */
async function chooseChromium(): Promise<void> {
  try {
    const started = performance.now();
    const chromium = await findChromium();
    process.env.CHROMIUM_PATH = chromium.path;
    Object.assign(process.env, chromium.env);
    const took = chromium.source === '@sparticuz/chromium' ? `, unpacked in ${((performance.now() - started) / 1000).toFixed(1)} s` : '';
    console.log(`tests: Chromium ${chromium.path} (${chromium.source}${took})`);
  } catch (err) {
    // Only the browser tests need it; they fail with this reason when they launch.
    console.log(`tests: no Chromium found (${(err as Error).message}); browser tests will fail`);
  }
}
