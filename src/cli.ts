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
import { openDelivery, startService } from './server.ts';
import { createLogger } from './log.ts';
import { composeWeek, readIssueByWeek } from './digest/store.ts';
import { previewDigest } from './digest/preview.ts';
import { resolveSecret } from './subscribers/dev-secret.ts';
import { addSubscriber, exportSubscribers, importSubscribers } from './subscribers/import-export.ts';
import { formatSuppressionCsv, readSuppressionList } from './subscribers/suppression.ts';
import { approveIssue, decisionLine, discardIssue, readApproval, sendProofTo } from './digest/approval.ts';
import { startBoss } from './delivery/queue.ts';
import { sendIssue } from './delivery/send-issue.ts';
import { createProgressReporter } from './delivery/progress.ts';
import { startWorker } from './delivery/worker.ts';
import { runWeeklyDigest, workWeeklyDigests } from '../jobs/weekly-digest.ts';
import { readFileSync, writeFileSync } from 'node:fs';

class UsageError extends Error {}

const USAGE = `usage: digest <command> [options]

commands:
  migrate                              apply pending database migrations
  ingest <file...> [--source NAME]     load postings from CSV or JSONL files
  demo-data [--weeks N] [--end-week W] generate and load N weeks of demo postings (default 8)
  snapshot [--week W]                  compute and store the week's per-role figures
  stats [--week W]                     print the week's figures with changes against the week before
  compose [--week W]                   compose the week's issue (frozen once it is sent)
  preview [--week W] [--email ADDRESS] [--out FILE]
                                       write the digest HTML (as ADDRESS would get it) and print its text
  send [--week W]                      enqueue the week's issue and send it, with progress
  send --week W --to ADDRESS           send a proof of the week's issue to ADDRESS (readers get nothing)
  approve W | discard W                decide an issue held for review (DIGEST_APPROVAL=manual)
  run-weekly [--week W]                snapshot, compose and send the week
  worker                               send queued mail until stopped (run as many as you like on PostgreSQL)
  subscribers add ADDRESS [--roles a,b]
  subscribers import FILE.csv          header email[,roles]; roles separated by ;
  subscribers export [--out FILE] [--status suppressed|unsubscribed|all]
                                       confirmed readers in the import format; with --status, the
                                       suppression list (email,status,reason,date)
  serve                                web site and schedule (sending is left to \`digest worker\`)
  start                                web site, worker and schedule in one process; demo data on first run

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
      email: { type: 'string' },
      out: { type: 'string' },
      roles: { type: 'string' },
      status: { type: 'string' },
      to: { type: 'string' },
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
    case 'compose': {
      const week = weekFlag(flags, 'week', config);
      return withDb(config, command, async (db) => {
        const res = await composeWeek(db.pool, week, config.publicUrl);
        console.log(
          res.written
            ? `composed ${week} (issue ${res.issue.id}): ${res.issue.subject}`
            : `${week} is already ${res.issue.status}: its content stays as sent (issue ${res.issue.id}: ${res.issue.subject})`,
        );
        return 0;
      });
    }
    case 'preview': {
      const week = weekFlag(flags, 'week', config);
      return withDb(config, command, async (db) => {
        const p = await previewDigest(db.pool, {
          week,
          email: typeof flags.email === 'string' ? flags.email : undefined,
          out: typeof flags.out === 'string' ? flags.out : undefined,
          publicUrl: config.publicUrl,
          postalAddress: config.postalAddress,
          secret: resolveSecret(config),
        });
        console.log(`Subject: ${p.subject}\nFor: ${p.reader}\nHTML: ${(p.htmlBytes / 1024).toFixed(1)} KB${p.file ? `, written to ${p.file}` : ' (use --out FILE to keep it)'}\n`);
        console.log(p.text);
        return 0;
      });
    }
    case 'send':
    case 'run-weekly': {
      const week = weekFlag(flags, 'week', config);
      return withDb(config, command, async (db) => {
        const log = createLogger({ logLevel: config.logLevel === 'info' ? 'warn' : config.logLevel });
        const { deps, review } = await openDelivery(config, db, log);
        try {
          if (command === 'send' && typeof flags.to === 'string') {
            // A proof to anyone, outside the readers' ledger: sent by this process now.
            const mailId = await sendProofTo(review, week, flags.to);
            const worker = startWorker(deps);
            try {
              for (;;) {
                const { rows } = await db.pool.query<{ status: string; last_error: string | null }>('SELECT status, last_error FROM transactional_mails WHERE id = $1', [mailId]);
                const s = rows[0]!;
                if (s.status !== 'queued' && s.status !== 'sending') {
                  console.log(`${week}: proof ${s.status === 'sent' ? 'sent' : `not sent (${s.status}${s.last_error ? `: ${s.last_error}` : ''})`} to ${flags.to}`);
                  return s.status === 'sent' ? 0 : 2;
                }
                await new Promise((r) => setTimeout(r, 200));
              }
            } finally {
              await worker.stop();
            }
          }
          if (config.digestApproval === 'manual' && command === 'send') {
            const state = await readApproval(db.pool, week);
            if (!state || (state.approval !== 'approved' && !state.enqueued)) {
              throw new UsageError(`DIGEST_APPROVAL=manual: ${week} goes to readers once approved (\`digest approve ${week}\`); \`digest send --week ${week} --to ADDRESS\` sends a proof`);
            }
          }
          let issueId: number;
          if (command === 'run-weekly') {
            const steps = { snapshot: 'snapshotting the week', compose: 'composing the issue', enqueue: 'queueing it for every reader' };
            const onStep = (step: keyof typeof steps) => console.error(`${week}: ${steps[step]}…`);
            const r = await runWeeklyDigest({ week }, { pool: db.pool, boss: deps.boss, tz: config.digestTz, publicUrl: config.publicUrl, log, onStep, review });
            if (r.review) {
              console.log(`${week}: ${r.review === 'discarded' ? 'discarded by a reviewer; nothing sent' : `waiting for review (DIGEST_APPROVAL=manual): proofs went to ${config.digestReviewers.join(', ')}; \`digest approve ${week}\` sends it`}`);
              return 0;
            }
            issueId = r.issueId;
          } else {
            const existing = await readIssueByWeek(db.pool, week);
            issueId = existing ? existing.id : (await composeWeek(db.pool, week, config.publicUrl)).issue.id;
          }
          const res = await sendIssue(deps, issueId, { progress: createProgressReporter(process.stderr) });
          const p = res.progress;
          console.log(`${week}: ${p.sent.toLocaleString('en-US')} sent, ${p.failed.toLocaleString('en-US')} failed${res.enqueue.created ? '' : ' (the issue had been enqueued before; only what was left was sent)'}`);
          return p.failed > 0 ? 2 : 0;
        } finally {
          await deps.boss.stop({ graceful: true, close: false, timeout: 10_000 }).catch(() => {});
        }
      });
    }
    case 'worker': {
      return withDb(config, command, async (db) => {
        const log = createLogger(config);
        const { deps, review } = await openDelivery(config, db, log);
        const worker = startWorker(deps);
        // The scheduler's week jobs run in whichever worker fetches them.
        const weekly = await workWeeklyDigests({ pool: db.pool, boss: deps.boss, tz: config.digestTz, publicUrl: config.publicUrl, log, review });
        log.info({ event: 'delivery.worker.started', database: db.kind }, 'worker started; Ctrl-C to stop');
        await untilSignal();
        await weekly.stop();
        await worker.stop();
        await deps.boss.stop({ graceful: true, close: false, timeout: 10_000 }).catch(() => {});
        return 0;
      });
    }
    case 'subscribers': {
      const [sub, arg] = positionals;
      return withDb(config, command, async (db) => {
        if (sub === 'add') {
          if (!arg) throw new UsageError('subscribers add needs an ADDRESS');
          const r = await addSubscriber(db.pool, { email: arg, roles: typeof flags.roles === 'string' ? flags.roles.split(',') : undefined, source: 'cli' });
          console.log(`${arg}: ${r.outcome === 'kept-out' ? `kept out (${r.status})` : r.outcome}`);
          return 0;
        }
        if (sub === 'import') {
          if (!arg) throw new UsageError('subscribers import needs a CSV file (header email[,roles])');
          const report = await importSubscribers(db.pool, readFileSync(arg, 'utf8'), { source: `import:${arg}` });
          for (const p of report.problems) console.error(`${arg}:${p.line}: ${p.message}`);
          for (const k of report.keptOut) console.error(`${arg}:${k.line}: ${k.email} stays out (${k.status})`);
          console.log(`import ${arg}: ${report.added} added, ${report.activated} activated, ${report.unchanged} unchanged, ${report.keptOut.length} kept out, ${report.problems.length} rejected`);
          return report.problems.length > 0 ? 2 : 0;
        }
        if (sub === 'export') {
          const status = flags.status;
          if (status !== undefined && status !== 'suppressed' && status !== 'unsubscribed' && status !== 'all') {
            throw new UsageError(`--status must be suppressed, unsubscribed or all (got ${JSON.stringify(status)})`);
          }
          const csv = status ? formatSuppressionCsv(await readSuppressionList(db.pool, status)) : await exportSubscribers(db.pool);
          if (typeof flags.out === 'string') writeFileSync(flags.out, csv);
          else process.stdout.write(csv);
          return 0;
        }
        throw new UsageError('subscribers needs add, import or export');
      });
    }
    case 'approve':
    case 'discard': {
      const [week] = positionals;
      if (!week || !isWeekKey(week)) throw new UsageError(`${command} needs a week such as 2026-W47`);
      return withDb(config, command, async (db) => {
        const boss = await startBoss(db, { supervise: false });
        try {
          const by = 'cli';
          const r = command === 'approve' ? await approveIssue({ pool: db.pool, boss }, week, by) : await discardIssue({ pool: db.pool }, week, by);
          console.log(decisionLine(week, r));
          return r.kind === 'unknown' ? 1 : 0;
        } finally {
          await boss.stop({ graceful: true, close: false, timeout: 10_000 }).catch(() => {});
        }
      });
    }
    case 'serve':
    case 'start': {
      const service = await startService(config, { demoOnEmpty: command === 'start', worker: command === 'start', scheduler: true });
      await untilSignal();
      await service.close();
      return 0;
    }
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)}; run \`digest --help\``);
  }
}

/**
 * Resolves on the first SIGINT or SIGTERM. Later ones are ignored rather than
 * left to Node's default (instant death): under `npm start` the signal comes
 * twice, once from the terminal or supervisor and once forwarded by npm, and
 * a shutdown cut short would leave batches leased for nothing. If the
 * graceful stop hangs, the process ends itself after a deadline.
 */
function untilSignal(graceMs = 30_000): Promise<void> {
  return new Promise<void>((resolve) => {
    let first: string | undefined;
    const onSignal = (signal: string) => {
      if (first) return;
      first = signal;
      setTimeout(() => {
        console.error(`digest: still stopping ${graceMs / 1000} s after ${signal}; exiting now`);
        process.exit(1);
      }, graceMs).unref();
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
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
