// `digest subscribers add|import|export`: readers an operator vouches for
// join as confirmed (active) with their source recorded. Re-running an import
// changes nothing; an address that ever unsubscribed, bounced or complained
// is never re-activated, whatever its status now (only the reader's own
// link brings it back); a pending one is activated (the operator vouches).
// Bad rows are reported by line and the rest are kept.
import { withTransaction, type Db, type DbClient } from '../db/database.ts';
import { normalizeEmail } from './email.ts';
import { parseRoles } from './roles.ts';
import { countEvent } from './counts.ts';
import { activateVouched, activeReaders, insertVouched, lockSubscriberByEmail } from './store.ts';
import { formatSubscriberCsv, parseSubscriberCsv, type CsvProblem } from './csv.ts';

export class SubscriberInputError extends Error {
  override name = 'SubscriberInputError';
}

export type AddResult =
  | { outcome: 'added'; email: string }
  | { outcome: 'activated'; email: string }
  | { outcome: 'unchanged'; email: string }
  /** Ever unsubscribed, bounced or complained: left as it is (`status` is its status now). */
  | { outcome: 'kept-out'; email: string; status: string };

export interface ImportReport {
  added: number;
  activated: number;
  unchanged: number;
  keptOut: { line: number; email: string; status: string }[];
  problems: CsvProblem[];
}

async function addOne(client: DbClient, email: string, roles: string[], source: string): Promise<AddResult> {
  if (await insertVouched(client, email, roles, source)) {
    await countEvent(client, 'imported');
    return { outcome: 'added', email };
  }
  const row = await lockSubscriberByEmail(client, email);
  const status = row?.status ?? 'deleted';
  if (row?.optedOutAt) return { outcome: 'kept-out', email, status };
  if (status === 'pending') {
    await activateVouched(client, row!.id, roles, source);
    await countEvent(client, 'imported');
    return { outcome: 'activated', email };
  }
  // Active readers keep the roles they chose themselves.
  if (status === 'active') return { outcome: 'unchanged', email };
  return { outcome: 'kept-out', email, status };
}

/** `digest subscribers add ADDRESS [--roles a,b]`. Throws SubscriberInputError with a plain message on bad input. */
export async function addSubscriber(pool: Db, input: { email: string; roles?: string | string[]; source?: string }): Promise<AddResult> {
  const email = normalizeEmail(input.email);
  if (!email.ok) throw new SubscriberInputError(`${JSON.stringify(input.email)}: ${email.message}`);
  const roles = parseRoles(input.roles);
  if (!roles.ok) throw new SubscriberInputError(roles.message);
  return withTransaction(pool, (client) => addOne(client, email.email, roles.roles, input.source ?? 'cli'));
}

/**
 * `digest subscribers import FILE.csv`: `source` is recorded on new rows
 * (e.g. `import:readers.csv`). Valid rows are kept even when others are bad.
 */
export async function importSubscribers(pool: Db, csvText: string, opts: { source: string }): Promise<ImportReport> {
  const parsed = parseSubscriberCsv(csvText);
  const report: ImportReport = { added: 0, activated: 0, unchanged: 0, keptOut: [], problems: [...parsed.problems] };
  const valid: { line: number; email: string; roles: string[] }[] = [];
  const seen = new Map<string, number>(); // lower-cased address -> first line
  for (const row of parsed.rows) {
    const email = normalizeEmail(row.email);
    if (!email.ok) {
      report.problems.push({ line: row.line, message: `${JSON.stringify(row.email.slice(0, 80))}: ${email.message}` });
      continue;
    }
    const roles = parseRoles(row.roles.split(';'));
    if (!roles.ok) {
      report.problems.push({ line: row.line, message: roles.message });
      continue;
    }
    const first = seen.get(email.email.toLowerCase());
    if (first !== undefined) {
      report.problems.push({ line: row.line, message: `${email.email} appears again (first on line ${first}); this line is skipped` });
      continue;
    }
    seen.set(email.email.toLowerCase(), row.line);
    valid.push({ line: row.line, email: email.email, roles: roles.roles });
  }
  // Chunks of 500 rows per transaction: a huge file neither holds one long
  // transaction nor pays one round trip of BEGIN/COMMIT per row.
  for (let i = 0; i < valid.length; i += 500) {
    const chunk = valid.slice(i, i + 500);
    await withTransaction(pool, async (client) => {
      for (const row of chunk) {
        const r = await addOne(client, row.email, row.roles, opts.source);
        if (r.outcome === 'added') report.added += 1;
        else if (r.outcome === 'activated') report.activated += 1;
        else if (r.outcome === 'unchanged') report.unchanged += 1;
        else report.keptOut.push({ line: row.line, email: row.email, status: r.status });
      }
    });
  }
  report.problems.sort((a, b) => a.line - b.line);
  return report;
}

/** `digest subscribers export`: the active readers as `email,roles`, in the import format. */
export async function exportSubscribers(pool: Db): Promise<string> {
  return formatSubscriberCsv(await activeReaders(pool));
}
