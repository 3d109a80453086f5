// The subscriber CSV format of `digest subscribers import|export`: a header
// `email[,roles]`, one reader per line, roles separated by `;`. Quoted fields
// (RFC 4180) are read and written. Pure: parsing reports bad rows by line and
// keeps the rest.
import { CsvError, parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

interface CsvRow {
  /** 1-based line number in the file, for messages. */
  line: number;
  email: string;
  roles: string;
}

export interface CsvProblem {
  line: number;
  message: string;
}

export interface ParsedCsv {
  rows: CsvRow[];
  problems: CsvProblem[];
}

/**
 * One physical line's fields (csv-parse, RFC 4180 quoting), or a message.
 * The file is parsed a line at a time, not whole: csv-parse recovers from a
 * bad quote only at the next quote, so one stray `"` would swallow the rows
 * after it, where here it costs only its own line.
 */
function splitLine(text: string): string[] | string {
  try {
    const records = parse(text, { relax_column_count: true, relax_quotes: true }) as string[][];
    return records[0] ?? [''];
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    if (err.code === 'CSV_QUOTE_NOT_CLOSED') return 'a quoted field is not closed (fields cannot span lines)';
    return `not valid CSV (${err.code}); write a quote inside a quoted field as ""`;
  }
}

export function parseSubscriberCsv(text: string): ParsedCsv {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const rows: CsvRow[] = [];
  const problems: CsvProblem[] = [];
  let header: string[] | undefined;
  let emailAt = 0;
  let rolesAt = -1;
  for (const [i, raw] of lines.entries()) {
    const line = i + 1;
    if (raw.trim() === '') continue;
    const fields = splitLine(raw);
    if (typeof fields === 'string') {
      problems.push({ line, message: fields });
      continue;
    }
    if (!header) {
      header = fields.map((f) => f.trim().toLowerCase());
      emailAt = header.indexOf('email');
      rolesAt = header.indexOf('roles');
      const unknown = header.filter((h) => h !== 'email' && h !== 'roles');
      if (emailAt < 0 || unknown.length > 0) {
        return {
          rows: [],
          problems: [{ line, message: `the first line must be the header "email" or "email,roles" (got ${JSON.stringify(raw.slice(0, 80))})` }],
        };
      }
      continue;
    }
    if (fields.length > header.length) {
      problems.push({ line, message: `${fields.length} fields, expected at most ${header.length} (${header.join(',')}); separate roles with ";"` });
      continue;
    }
    rows.push({ line, email: unguard(fields[emailAt] ?? ''), roles: unguard(rolesAt >= 0 ? (fields[rolesAt] ?? '') : '') });
  }
  if (!header) problems.push({ line: 1, message: 'the file is empty; expected the header "email" or "email,roles"' });
  return { rows, problems };
}

// CSV injection (OWASP): a spreadsheet runs a cell that starts with = + - or @
// as a formula, and `=HYPERLINK(...)@example.com` is a valid address. Such a
// cell is exported behind a `'`, which spreadsheets show as text; a cell that
// already starts with quotes before one of those gets one more, so that import,
// which takes one `'` off, gives back exactly what was exported.
const FORMULA = /^'*[=+\-@\t\r]/;
/** A cell as exported: behind a `'` when a spreadsheet would run it as a formula (also the suppression list's). */
export const guard = (cell: string): string => (FORMULA.test(cell) ? `'${cell}` : cell);
const unguard = (cell: string): string => (/^'+[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell);

export function formatSubscriberCsv(rows: { email: string; roles: readonly string[] }[]): string {
  return stringify(
    rows.map((r) => [guard(r.email), guard(r.roles.join(';'))]),
    { header: true, columns: ['email', 'roles'] },
  );
}
