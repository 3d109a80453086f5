// The job-board commands of `digest` (entries of src/cli.ts's command table,
// with their own flags):
//   sources add KIND BOARD [--company NAME] [--base-url URL] | list [--json] | remove NAME
//   crawl [--source NAME]
//   postings export [--open] [--source NAME] [--week W]
//   ingest FILE... --dry-run [--source NAME]
import { parseCommandLine, UsageError } from '../cli-args.ts';
import pino from 'pino';
import { loadConfig } from '../config.ts';
import { withDb } from '../db/with-db.ts';
import { dryRunLines, exportLines } from '../postings/classified.ts';
import { progressPrinter } from '../progress.ts';
import { isWeekKey, weekRange } from '../stats/week.ts';
import { crawlSources, formatCrawlResult } from './crawl.ts';
import { sharedHostTurn } from './host-limit.ts';
import { PoliteFetcher } from './http.ts';
import { addSource, listSources, removeSource, type Source } from './store.ts';

/** The job-board commands' entries for `digest --help` and `digest COMMAND --help` (src/cli.ts adds the handler). */
export const SOURCE_COMMANDS: { name: string; synopsis: string; help: string }[] = [
  {
    name: 'sources',
    synopsis: 'sources add KIND BOARD [--company NAME] [--base-url URL] | list [--json] | remove NAME',
    help: 'add a public job board (KIND greenhouse, lever or ashby; named KIND:BOARD); list the boards with their last crawl: outcome, open / new / closed, last error; remove one (its postings stay, the open ones are closed)',
  },
  { name: 'crawl', synopsis: 'crawl [--source NAME]', help: 'crawl every board (or one) now, one line per board' },
  { name: 'postings', synopsis: 'postings export [--open] [--source NAME] [--week W]', help: 'stored postings as JSON lines' },
];

async function writeLines(lines: AsyncIterable<string>): Promise<void> {
  for await (const line of lines) {
    if (!process.stdout.write(`${line}\n`)) await new Promise((r) => process.stdout.once('drain', r));
  }
}

const when = (d: Date | null) => (d ? d.toISOString().replace(/\.\d{3}Z$/, 'Z') : 'never');

function formatSources(sources: Source[]): string {
  if (sources.length === 0) return 'no sources yet: add one with `digest sources add greenhouse BOARD`';
  return sources
    .map((s) => {
      const counts = s.okAt ? `${s.open ?? 0} open, ${s.new ?? 0} new, ${s.closed ?? 0} closed` : 'no successful crawl yet';
      const head = `${s.name}${s.company ? ` (${s.company})` : ''}: last crawl ${when(s.crawledAt)} ${s.outcome ?? ''}`.trimEnd();
      const err = s.lastError ? `\n  last error (${when(s.errorAt)}): ${s.lastError}` : '';
      return `${head}; ${counts}${s.baseUrl ? `; base URL ${s.baseUrl}` : ''}${err}`;
    })
    .join('\n');
}

function sourceJson(s: Source) {
  return {
    name: s.name, kind: s.kind, board: s.board, company: s.company, base_url: s.baseUrl, last_crawl_at: s.crawledAt,
    outcome: s.outcome, last_ok_at: s.okAt, open: s.open, new: s.new, closed: s.closed, reopened: s.reopened,
    last_error: s.lastError, last_error_at: s.errorAt,
  };
}

/** Runs a job-board command (`ingest` only with --dry-run) from the command line as typed. */
export async function runSourcesCommand(argv: string[]): Promise<number> {
  const { values: flags, positionals } = parseCommandLine(argv, {
    company: { type: 'string' },
    'base-url': { type: 'string' },
    json: { type: 'boolean' },
    source: { type: 'string' },
    open: { type: 'boolean' },
    week: { type: 'string' },
    'dry-run': { type: 'boolean' },
  });
  const [command, sub, ...rest] = positionals;
  const config = loadConfig();
  if (command === 'ingest') {
    const files = positionals.slice(1);
    if (files.length === 0) throw new UsageError('ingest needs at least one CSV or JSONL file');
    await writeLines(dryRunLines(files, flags.source));
    return 0;
  }
  if (command === 'sources') {
    return withDb(config, command, async (db) => {
      if (sub === 'add') {
        const [kind, board] = rest;
        if (!kind || !board) throw new UsageError('sources add needs KIND BOARD, e.g. `digest sources add greenhouse acme --company "Acme"`');
        const { source, created } = await addSource(db.pool, { kind, board, company: flags.company, baseUrl: flags['base-url'] });
        console.log(`${source.name}: ${created ? 'added' : 'updated'}${source.company ? ` (company ${source.company})` : ''}; run \`digest crawl --source ${source.name}\` to fetch it now`);
        return 0;
      }
      if (sub === 'list') {
        const sources = await listSources(db.pool);
        console.log(flags.json ? JSON.stringify(sources.map(sourceJson), null, 2) : formatSources(sources));
        return 0;
      }
      if (sub === 'remove') {
        const name = rest[0];
        if (!name) throw new UsageError('sources remove needs the source NAME (KIND:BOARD)');
        const r = await removeSource(db.pool, name);
        console.log(`${name}: removed; its postings are kept${r.closed ? `, ${r.closed} open one(s) closed` : ''}`);
        return 0;
      }
      throw new UsageError('sources needs add, list or remove');
    });
  }
  if (command === 'crawl') {
    return withDb(config, command, async (db) => {
      const log = pino({ level: config.logLevel === 'info' ? 'warn' : config.logLevel, base: undefined }, pino.destination(2));
      const progress = progressPrinter(process.stderr);
      const fetcher = new PoliteFetcher({ publicUrl: config.publicUrl, timeoutMs: config.crawlTimeoutMs, log, hostTurn: sharedHostTurn(db.pool) });
      if (flags.source !== undefined && !(await listSources(db.pool)).some((s) => s.name === flags.source)) {
        throw new UsageError(`no source named ${JSON.stringify(flags.source)}; \`digest sources list\` shows them`);
      }
      const results = await crawlSources(db.pool, {
        fetcher,
        log,
        only: flags.source,
        onStart: (s) => progress.update(`${s.name}: crawling…`),
        onResult: (r) => {
          progress.done();
          console.log(formatCrawlResult(r));
        },
      });
      if (results.length === 0) console.log('no sources to crawl: add one with `digest sources add greenhouse BOARD`');
      return results.some((r) => r.outcome === 'failed') ? 2 : 0;
    });
  }
  if (command === 'postings') {
    if (sub !== 'export') throw new UsageError('postings needs export');
    let week: { start: Date; end: Date } | undefined;
    if (flags.week !== undefined) {
      if (!isWeekKey(flags.week)) throw new UsageError(`--week must be an ISO week like 2026-W47 (got ${JSON.stringify(flags.week)})`);
      week = weekRange(flags.week, config.digestTz);
    }
    return withDb(config, command, async (db) => {
      await writeLines(exportLines(db.pool, { open: flags.open, source: flags.source, week }));
      return 0;
    });
  }
  return 1;
}
