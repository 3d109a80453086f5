// `digest <command>`: the operator's command line. Wires config -> database ->
// services for each command; every failure ends with a one-line reason and a
// non-zero exit code.
import { parseArgs } from 'node:util';
import { loadConfig, type Config } from './config.ts';
import { openDatabase, type Database } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { isWeekKey, lastCompleteWeek, type WeekKey } from './stats/week.ts';
import { ingestFiles } from './postings/ingest.ts';
import { formatIngestSummary } from './postings/ingest-report.ts';
import { snapshotWeek, readWeek, listWeeks } from './stats/snapshot.ts';
import { diffWeeks } from './stats/diff.ts';
import { formatStatsTable } from './stats/format-table.ts';
import { loadDemoData } from './demo/load.ts';
import { previousWeek } from './stats/week.ts';
import { startService } from './server.ts';

class UsageError extends Error {}

const USAGE = `usage: digest <command> [options]

commands:
  migrate                              apply pending database migrations
  ingest <file...> [--source NAME]     load postings from CSV or JSONL files
  demo-data [--weeks N] [--end-week W] generate and load N weeks of demo postings (default 8)
  snapshot [--week W]                  compute and store the week's per-role figures
  stats [--week W]                     print the week's figures with changes against the week before
  serve                                run the web site
  start                                web site on the embedded database, with demo data on first run

W is an ISO week such as 2026-W47; it defaults to the last complete week in DIGEST_TZ.`;

type Flags = Record<string, string | boolean | undefined>;

function parse(argv: string[]): { command: string | undefined; positionals: string[]; flags: Flags } {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      week: { type: 'string' },
      'end-week': { type: 'string' },
      weeks: { type: 'string' },
      source: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...rest] = positionals;
  return { command, positionals: rest, flags: values as Flags };
}

function weekFlag(flags: Flags, name: string, config: Config): WeekKey {
  const v = flags[name];
  if (v === undefined) return lastCompleteWeek(new Date(), config.digestTz);
  if (typeof v !== 'string' || !isWeekKey(v)) throw new UsageError(`--${name} must be an ISO week like 2026-W47 (got ${JSON.stringify(v)})`);
  return v;
}

function intFlag(flags: Flags, name: string, def: number, min: number, max: number): number {
  const v = flags[name];
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max} (got ${JSON.stringify(v)})`);
  return n;
}

async function withDb<T>(config: Config, command: string, fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, holder: `digest ${command}` });
  try {
    await migrate(db.pool);
    return await fn(db);
  } finally {
    await db.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const { command, positionals, flags } = parse(argv);
  if (!command || flags.help) {
    console.log(USAGE);
    return command || flags.help ? 0 : 1;
  }
  const config = loadConfig();
  switch (command) {
    case 'migrate':
      return withDb(config, command, async (db) => {
        // withDb has migrated already; report what is there.
        const { rows } = await db.pool.query('SELECT id, name FROM schema_migrations ORDER BY id');
        console.log(`schema up to date: ${rows.length} migration(s), latest ${rows.at(-1)?.name ?? 'none'}`);
        return 0;
      });
    case 'ingest': {
      if (positionals.length === 0) throw new UsageError('ingest needs at least one CSV or JSONL file');
      const source = typeof flags.source === 'string' ? flags.source : undefined;
      return withDb(config, command, async (db) => {
        const summary = await ingestFiles(db.pool, positionals, {
          source,
          onProgress: (p) => progressLine(`ingest: ${p.read.toLocaleString('en-US')} rows read`),
        });
        progressDone();
        console.log(formatIngestSummary(summary));
        return summary.rejected > 0 ? 2 : 0;
      });
    }
    case 'snapshot': {
      const week = weekFlag(flags, 'week', config);
      return withDb(config, command, async (db) => {
        const started = performance.now();
        const res = await snapshotWeek(db.pool, week, config.digestTz);
        console.log(`snapshot ${week}: ${res.total.toLocaleString('en-US')} open postings, ${res.roles} roles, ${Math.round(performance.now() - started)} ms`);
        return 0;
      });
    }
    case 'stats': {
      const week = weekFlag(flags, 'week', config);
      return withDb(config, command, async (db) => {
        const current = await readWeek(db.pool, week);
        if (!current) {
          const known = await listWeeks(db.pool);
          throw new UsageError(`no snapshot for ${week}; run \`digest snapshot --week ${week}\`${known.length ? ` (snapshotted: ${known.at(-1)} and ${known.length - 1} earlier)` : ''}`);
        }
        const previous = await readWeek(db.pool, previousWeek(week));
        console.log(formatStatsTable(current, diffWeeks(current, previous)));
        return 0;
      });
    }
    case 'demo-data': {
      const weeks = intFlag(flags, 'weeks', 8, 1, 104);
      const endWeek = weekFlag(flags, 'end-week', config);
      return withDb(config, command, async (db) => {
        const res = await loadDemoData(db.pool, {
          weeks,
          endWeek,
          tz: config.digestTz,
          onProgress: (msg: string) => progressLine(`demo-data: ${msg}`),
        });
        progressDone();
        console.log(`demo data: ${weeks} week(s) ending ${endWeek} loaded and snapshotted${res && typeof res === 'object' && 'postings' in res ? `, ${Number((res as { postings: number }).postings).toLocaleString('en-US')} postings` : ''}`);
        return 0;
      });
    }
    case 'serve':
    case 'start': {
      const service = await startService(config, { demoOnEmpty: command === 'start' });
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await service.close();
      return 0;
    }
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)}; run \`digest --help\``);
  }
}

const isTty = Boolean(process.stderr.isTTY);
let lastLine = 0;
function progressLine(text: string): void {
  const now = Date.now();
  if (isTty) process.stderr.write(`\r\x1b[K${text}`);
  else if (now - lastLine >= 1000) {
    process.stderr.write(`${text}\n`);
    lastLine = now;
  }
}
function progressDone(): void {
  if (isTty) process.stderr.write('\r\x1b[K');
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const e = err as Error;
    console.error(`digest: ${e?.message ?? String(err)}`);
    process.exitCode = 1;
  },
);
