// A child process for the web benchmark: a fresh database with demo data and
// the site on 127.0.0.1. Prints one JSON line {"url": ...} when ready and
// shuts down cleanly on SIGTERM. `npx tsx test/bench/serve-demo.ts [postgres|pglite]`
import { loadDemoData } from '../../src/demo/load.ts';
import { createApp } from '../../src/web/app.ts';
import { startServer } from '../../src/web/serve.ts';
import { freshDatabase, type DbKind } from '../support/db.ts';

const kind = (process.argv[2] ?? 'postgres') as DbKind;
const db = await freshDatabase(kind);
await loadDemoData(db.pool, { weeks: 8, endWeek: '2026-W47', tz: 'UTC' });
const server = await startServer(createApp({ pool: db.pool, config: { publicUrl: 'http://127.0.0.1' } }), 0, '127.0.0.1');
process.stdout.write(`${JSON.stringify({ url: server.url, database: db.kind })}\n`);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await server.close();
  await db.close();
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
