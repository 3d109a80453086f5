// `digest <command>`: the operator's command line. Wires config -> database ->
// services for each command; every failure ends with a one-line reason and a
// non-zero exit code.
import { loadConfig, type Config } from './config.ts';
import { withDb } from './db/with-db.ts';
import { progressPrinter } from './progress.ts';
import { appliedMigrations } from './db/migrate.ts';
import { isWeekKey, lastCompleteWeek, type WeekKey } from './stats/week.ts';
import { ingestFiles } from './postings/ingest.ts';
import { formatIngestSummary } from './postings/ingest-report.ts';
import { snapshotWeek, readWeek, listWeeks } from './stats/snapshot.ts';
import { diffWeeks } from './stats/diff.ts';
import { formatStatsTable } from './stats/format-table.ts';
import { loadDemoData } from './demo/load.ts';
import { removeDemoData } from './demo/remove.ts';
import { previousWeek } from './stats/week.ts';
import { startService } from './server.ts';
import { openDelivery, startRequestWorker } from './wiring.ts';
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
import { transactionalStatus } from './delivery/transactional-mails.ts';
import { runWeeklyDigest, workWeeklyDigests } from '../jobs/weekly-digest.ts';
import { readFileSync, writeFileSync } from 'node:fs';
import { runSourcesCommand, SOURCE_COMMANDS } from './sources/cli.ts';
import { parseCommandLine, UsageError } from './cli-args.ts';
import { workCrawls } from '../jobs/crawl.ts';


/** Exit codes, as in the README's table. */
export const EXIT = { ok: 0, failed: 1, partial: 2, usage: 64 } as const;

const FOOTER = `W is an ISO week such as 2026-W47; it defaults to the last complete week in DIGEST_TZ.
Exit codes: 0 done, 1 failed, 2 done with rejected rows or failed messages, 64 bad command line.`;

type Flags = Record<string, string | boolean | undefined>;

function parse(argv: string[]): { command: string | undefined; positionals: string[]; flags: Flags } {
  const parsed = parseCommandLine(argv, {
    week: { type: 'string' },
    'end-week': { type: 'string' },
    weeks: { type: 'string' },
    source: { type: 'string' },
    email: { type: 'string' },
    out: { type: 'string' },
    roles: { type: 'string' },
    status: { type: 'string' },
    to: { type: 'string' },
    remove: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
    version: { type: 'boolean', short: 'v' },
  });
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  return { command, positionals: rest, flags: values as Flags };
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
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

/** What a command's handler gets: its name as typed, the configuration and the parsed command line after the name. */
interface CommandInput {
  command: string;
  config: Config;
  positionals: string[];
  flags: Flags;
}

/** One entry per command: `digest --help` lists them, `digest COMMAND --help` prints one, and main() runs its handler. */
interface Command {
  name: string;
  synopsis: string;
  /** What it does, one sentence without the final full stop. */
  help: string;
  /** Runs the command on the common flags (parse() below); answers the exit code. */
  run?: (input: CommandInput) => Promise<number>;
  /** Runs the command on the command line as typed (the job-board commands have flags of their own). */
  runArgv?: (argv: string[]) => Promise<number>;
}

/** `send` and `run-weekly`: the week's issue to its readers (run-weekly snapshots, composes and enqueues it first), or a proof with --to. */
async function deliverWeek({ command, config, flags }: CommandInput): Promise<number> {
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
            const s = (await transactionalStatus(db.pool, mailId))!;
            if (s.status !== 'queued' && s.status !== 'sending') {
              console.log(`${week}: proof ${s.status === 'sent' ? 'sent' : `not sent (${s.status}${s.lastError ? `: ${s.lastError}` : ''})`} to ${flags.to}`);
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
      /** Whether this run put the issue's deliveries in the ledger (run-weekly enqueues before sending). */
      let enqueuedNow = false;
      if (command === 'run-weekly') {
        const steps = { snapshot: 'snapshotting the week', compose: 'composing the issue', enqueue: 'queueing it for every reader' };
        const onStep = (step: keyof typeof steps) => console.error(`${week}: ${steps[step]}…`);
        const run = await runWeeklyDigest({ week }, { pool: db.pool, boss: deps.boss, tz: config.digestTz, publicUrl: config.publicUrl, log, onStep, review });
        if (run.review) {
          console.log(`${week}: ${run.review === 'discarded' ? 'discarded by a reviewer; nothing sent' : `waiting for review (DIGEST_APPROVAL=manual): proofs went to ${config.digestReviewers.join(', ')}; \`digest approve ${week}\` sends it`}`);
          return 0;
        }
        issueId = run.issueId;
        enqueuedNow = run.enqueue.created;
      } else {
        const existing = await readIssueByWeek(db.pool, week);
        issueId = existing ? existing.id : (await composeWeek(db.pool, week, config.publicUrl)).issue.id;
      }
      const res = await sendIssue(deps, issueId, { progress: createProgressReporter(process.stderr) });
      const p = res.progress;
      const before = !(enqueuedNow || res.enqueue.created);
      console.log(`${week}: ${p.sent.toLocaleString('en-US')} sent, ${p.failed.toLocaleString('en-US')} failed${before ? ' (the issue had been enqueued before; only what was left was sent)' : ''}`);
      return p.failed > 0 ? 2 : 0;
    } finally {
      await deps.boss.stop({ graceful: true, close: false, timeout: 10_000 }).catch(() => {});
    }
  });
}

/** `approve` and `discard`: a reviewer's decision on an issue held for review. */
async function decideIssue({ command, config, positionals }: CommandInput): Promise<number> {
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

/** `serve` and `start`: the long-running service, until a signal. */
async function serveSite({ command, config }: CommandInput): Promise<number> {
  const service = await startService(config, { demoOnEmpty: command === 'start', worker: command === 'start', scheduler: true });
  await untilSignal();
  await service.close();
  return 0;
}

const COMMANDS: Command[] = [
  {
    name: 'migrate',
    synopsis: 'migrate',
    help: 'apply pending database migrations',
    async run({ command, config }) {
      return withDb(config, command, async (db) => {
        // withDb has migrated already; report what is there.
        const rows = await appliedMigrations(db.pool);
        console.log(`schema up to date: ${rows.length} migration(s), latest ${rows.at(-1)?.name ?? 'none'}`);
        return 0;
      });
    },
  },
  {
    name: 'ingest',
    synopsis: 'ingest <file...> [--source NAME]',
    help: 'load postings from CSV or JSONL files. With --dry-run: print what the classifier makes of each row as JSON lines; stores nothing',
    async run({ command, config, positionals, flags }) {
      if (positionals.length === 0) throw new UsageError('ingest needs at least one CSV or JSONL file');
      const progress = progressPrinter(process.stderr);
      const source = typeof flags.source === 'string' ? flags.source : undefined;
      return withDb(config, command, async (db) => {
        const summary = await ingestFiles(db.pool, positionals, {
          source,
          onProgress: (p) => progress.update(`ingest: ${p.read.toLocaleString('en-US')} rows read`),
        });
        progress.done();
        console.log(formatIngestSummary(summary));
        return summary.rejected > 0 ? 2 : 0;
      });
    },
  },
  {
    name: 'demo-data',
    synopsis: 'demo-data [--weeks N] [--end-week W] | --remove',
    help: 'generate and load N weeks of demo postings (default 8); --remove deletes them',
    async run({ command, config, flags }) {
      const progress = progressPrinter(process.stderr);
      if (flags.remove) {
        if (flags.weeks !== undefined || flags['end-week'] !== undefined) throw new UsageError('demo-data --remove takes no --weeks or --end-week');
        return withDb(config, command, async (db) => {
          const r = await removeDemoData(db.pool, { tz: config.digestTz });
          const list = (w: string[]) => (w.length === 0 ? 'none' : w.length <= 3 ? w.join(', ') : `${w[0]} to ${w.at(-1)} (${w.length})`);
          console.log(`demo data removed: ${r.postings.toLocaleString('en-US')} postings; snapshots deleted: ${list(r.deletedWeeks)}; taken again from the postings left: ${list(r.resnapshotted)}; draft issues deleted: ${list(r.deletedDrafts)}`);
          if (r.keptIssues.length > 0) {
            console.log(`kept ${r.keptIssues.length} issue(s) that went out with demo figures (${list(r.keptIssues)}): their deliveries are the record of what readers got, and the archive marks them as demo`);
          }
          return EXIT.ok;
        });
      }
      const weeks = intFlag(flags, 'weeks', 8, 1, 104);
      const endWeek = weekFlag(flags, 'end-week', config);
      return withDb(config, command, async (db) => {
        const res = await loadDemoData(db.pool, {
          weeks,
          endWeek,
          tz: config.digestTz,
          onProgress: (msg: string) => progress.update(`demo-data: ${msg}`),
        });
        progress.done();
        console.log(`demo data: ${weeks} week(s) ending ${endWeek} loaded and snapshotted${res && typeof res === 'object' && 'postings' in res ? `, ${Number((res as { postings: number }).postings).toLocaleString('en-US')} postings` : ''}`);
        return 0;
      });
    },
  },
  {
    name: 'snapshot',
    synopsis: 'snapshot [--week W]',
    help: "compute and store the week's per-role figures",
    async run({ command, config, flags }) {
      const week = weekFlag(flags, 'week', config);
      return withDb(config, command, async (db) => {
        const started = performance.now();
        const res = await snapshotWeek(db.pool, week, config.digestTz);
        console.log(`snapshot ${week}: ${res.total.toLocaleString('en-US')} open postings, ${res.roles} roles, ${Math.round(performance.now() - started)} ms`);
        return 0;
      });
    },
  },
  {
    name: 'stats',
    synopsis: 'stats [--week W]',
    help: "print the week's figures with changes against the week before",
    async run({ command, config, flags }) {
      const week = weekFlag(flags, 'week', config);
      return withDb(config, command, async (db) => {
        const current = await readWeek(db.pool, week);
        if (!current) {
          const known = await listWeeks(db.pool);
          throw new Error(`no snapshot for ${week}; run \`digest snapshot --week ${week}\`${known.length ? ` (snapshotted: ${known.at(-1)} and ${known.length - 1} earlier)` : ''}`);
        }
        const previous = await readWeek(db.pool, previousWeek(week));
        console.log(formatStatsTable(current, diffWeeks(current, previous)));
        return 0;
      });
    },
  },
  {
    name: 'compose',
    synopsis: 'compose [--week W]',
    help: "compose the week's issue (frozen once it is sent)",
    async run({ command, config, flags }) {
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
    },
  },
  {
    name: 'preview',
    synopsis: 'preview [--week W] [--email ADDRESS] [--out FILE]',
    help: 'write the digest HTML (as ADDRESS would get it) and print its text',
    async run({ command, config, flags }) {
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
    },
  },
  {
    name: 'send',
    synopsis: 'send [--week W] [--to ADDRESS]',
    help: "enqueue the week's issue and send it, with progress; with --to, send a proof to ADDRESS only (readers get nothing)",
    run: deliverWeek,
  },
  {
    name: 'approve',
    synopsis: 'approve W',
    help: 'approve an issue held for review (DIGEST_APPROVAL=manual): it goes to readers',
    run: decideIssue,
  },
  {
    name: 'discard',
    synopsis: 'discard W',
    help: 'discard an issue held for review: nothing is sent',
    run: decideIssue,
  },
  {
    name: 'run-weekly',
    synopsis: 'run-weekly [--week W]',
    help: 'snapshot, compose and send the week',
    run: deliverWeek,
  },
  {
    name: 'worker',
    synopsis: 'worker',
    help: 'send queued mail until stopped (run as many as you like on PostgreSQL)',
    async run({ command, config }) {
      return withDb(config, command, async (db) => {
        const log = createLogger(config);
        const { deps, secret, review } = await openDelivery(config, db, log);
        const worker = startWorker(deps);
        const requests = startRequestWorker(config, db, deps, secret, log);
        // The scheduler's week jobs run in whichever worker fetches them.
        const weekly = await workWeeklyDigests({ pool: db.pool, boss: deps.boss, tz: config.digestTz, publicUrl: config.publicUrl, log, review });
        const crawls = await workCrawls({ pool: db.pool, boss: deps.boss, config, log });
        log.info({ event: 'delivery.worker.started', database: db.kind }, 'worker started; Ctrl-C to stop');
        await untilSignal();
        await weekly.stop();
        await requests.stop();
        await crawls.stop();
        await worker.stop();
        await deps.boss.stop({ graceful: true, close: false, timeout: 10_000 }).catch(() => {});
        return 0;
      });
    },
  },
  {
    name: 'subscribers',
    synopsis: 'subscribers add ADDRESS [--roles a,b] | import FILE.csv | export [--out FILE] [--status suppressed|unsubscribed|all]',
    help: 'add a confirmed reader; import (header email[,roles], roles separated by ;); export confirmed readers, or with --status the suppression list (email,status,reason,date)',
    async run({ command, config, positionals, flags }) {
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
    },
  },
  {
    name: 'serve',
    synopsis: 'serve',
    help: 'web site and schedule (sending is left to `digest worker`)',
    run: serveSite,
  },
  {
    name: 'start',
    synopsis: 'start',
    help: 'web site, worker and schedule in one process; demo data on first run',
    run: serveSite,
  },
  ...SOURCE_COMMANDS.map((c) => ({ ...c, runArgv: runSourcesCommand })),
];

const USAGE = `usage: digest <command> [options]   (digest <command> --help, digest --version)

commands:
${COMMANDS.map(({ synopsis: syn, help }) => (syn.length <= 36 ? `  ${syn.padEnd(37)}${help}` : `  ${syn}\n${' '.repeat(39)}${help}`)).join('\n')}

${FOOTER}`;

function commandUsage(c: Command): string {
  return `usage: digest ${c.synopsis}\n\n${c.help}.\n\n${FOOTER}`;
}

async function main(argv: string[]): Promise<number> {
  // The job-board commands parse their own flags: handed the command line as typed (`ingest` only with --dry-run).
  const own = COMMANDS.find((c) => c.name === argv[0] && c.runArgv) ?? (argv[0] === 'ingest' && argv.includes('--dry-run') ? { runArgv: runSourcesCommand } : undefined);
  if (own?.runArgv && !argv.includes('--help') && !argv.includes('-h')) return own.runArgv(argv);
  const { command, positionals, flags } = parse(argv);
  if (flags.version) {
    console.log(`digest ${packageVersion()}`);
    return EXIT.ok;
  }
  const entry = COMMANDS.find((c) => c.name === command);
  if (command && !entry) throw new UsageError(`unknown command ${JSON.stringify(command)}; run \`digest --help\``);
  if (entry && flags.help) {
    console.log(commandUsage(entry));
    return EXIT.ok;
  }
  if (!entry?.run || flags.help) {
    console.log(USAGE);
    return flags.help ? EXIT.ok : EXIT.usage;
  }
  return entry.run({ command: entry.name, config: loadConfig(), positionals, flags });
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

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const e = err as Error;
    console.error(`digest: ${e?.message ?? String(err)}`);
    process.exitCode = err instanceof UsageError ? EXIT.usage : EXIT.failed;
  },
);
