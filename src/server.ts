// The long-running service: config -> database -> web (and, as they land,
// worker and scheduler) wired in one place.
import type { Config } from './config.ts';
import { openDatabase } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { createLogger } from './log.ts';
import { loadDemoData } from './demo/load.ts';
import { lastCompleteWeek } from './stats/week.ts';
import { createApp } from './web/app.ts';
import { startServer } from './web/serve.ts';

export interface Service {
  url: string;
  close(): Promise<void>;
}

export async function startService(config: Config, opts: { demoOnEmpty: boolean }): Promise<Service> {
  const log = createLogger(config);
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, holder: 'digest serve' });
  try {
    const applied = await migrate(db.pool);
    if (applied.length) log.info({ event: 'db.migrated', applied }, 'migrations applied');
    if (opts.demoOnEmpty) {
      const { rows } = await db.pool.query('SELECT EXISTS (SELECT 1 FROM postings) AS any');
      if (!rows[0].any) {
        const endWeek = lastCompleteWeek(new Date(), config.digestTz);
        log.info({ event: 'demo.loading', endWeek }, 'empty database: loading 8 weeks of demo data');
        await loadDemoData(db.pool, { weeks: 8, endWeek, tz: config.digestTz });
        log.info({ event: 'demo.loaded', endWeek }, 'demo data loaded');
      }
    }
    const app = createApp({ pool: db.pool, config, log });
    const server = await startServer(app, config.port);
    log.info({ event: 'web.listening', url: server.url, publicUrl: config.publicUrl, database: db.kind }, `listening on ${server.url}`);
    return {
      url: server.url,
      async close() {
        await server.close();
        await db.close();
        log.info({ event: 'service.stopped' }, 'stopped');
      },
    };
  } catch (err) {
    await db.close();
    throw err;
  }
}
