// The snapshot's like-for-like storage and small-role windows
// (docs/methodology.md): each week's disclosed pays per cell, stored so that
// next week's like-for-like change compares with them; last week's read back
// as scan rows; and the rolling-window pay of roles with few disclosed
// salaries. Also the decoding of float8send bytes the scan returns.
import type { DbClient } from '../db/database.ts';
import { METHOD } from './method.ts';
import { percentileCont, sortedSample } from './percentile.ts';
import { summaryOf } from './snapshot-extras.ts';
import { STORED_CELLS_SQL, WINDOW_PAYS_SQL } from './snapshot-sql.ts';
import type { PayWindow, Seniority } from './types.ts';
import { addWeeks, weekRange, type WeekKey } from './week.ts';

/** The fields of a scan row these read and make. */
export interface CellRow {
  role: string;
  seniority: Seniority;
  remote: boolean;
  metro_id: number;
  /** Open in the week (counts, sums and names are of these postings only). */
  in_cur: boolean;
  /** Open in the week before (its pays feed the like-for-like change). */
  in_prev: boolean;
  positions: number;
  disclosed: number;
  sum_min: string | null;
  sum_max: string | null;
  /** float8send of each disclosed USD maximum, concatenated. */
  pays: Uint8Array | null;
  /** Per posting its company id (0: none) then skill ids, joined by ','; postings joined by ';'. */
  names: string;
  /** `pays` decoded, once. */
  values?: Float64Array | null;
  /** `values` sorted, once (sortedOnce, percentile.ts). */
  sorted?: Float64Array;
}

/** Pay over the rolling window ending with `week`, for roles with few disclosed salaries this week (one scan, only when there are any). */
export async function payWindows(client: DbClient, week: WeekKey, tz: string, roles: string[]): Promise<Map<string, PayWindow>> {
  const out = new Map<string, PayWindow>();
  if (roles.length === 0) return out;
  const from = addWeeks(week, -(METHOD.windowWeeks - 1));
  const { rows } = await client.query<{ role: string; pays: Uint8Array | null }>(WINDOW_PAYS_SQL, [weekRange(from, tz).start, weekRange(week, tz).end, roles]);
  const byRole = new Map(rows.map((r) => [r.role, r.pays]));
  for (const role of roles) {
    const pays = byRole.get(role);
    const sorted = sortedSample(pays ? readFloat8s(pays) : null);
    const s = summaryOf([sorted]);
    const pay = s.median !== null;
    out.set(role, {
      ...s,
      weeks: METHOD.windowWeeks,
      from,
      p25: pay ? percentileCont(sorted, 0.25) : null,
      p75: pay ? percentileCont(sorted, 0.75) : null,
    });
  }
  return out;
}

/** A week's stored cells as scan rows of last week (in_prev), or undefined when the week has none stored. */
export async function storedCells(client: DbClient, week: WeekKey): Promise<CellRow[] | undefined> {
  const marked = await client.query<{ cells_stored: boolean }>(`SELECT cells_stored FROM weeks WHERE week = $1`, [week]);
  if (!marked.rows[0]?.cells_stored) return undefined;
  const { rows } = await client.query<{ role: string; seniority: Seniority; remote: boolean; metro_id: number; pays: Uint8Array }>(STORED_CELLS_SQL, [week]);
  return rows.map((r) => ({
    ...r,
    in_cur: false,
    in_prev: true,
    positions: 0,
    disclosed: 0,
    sum_min: null,
    sum_max: null,
    names: '',
    values: readFloat8s(r.pays),
  }));
}

/** This week's pays of the tracked roles per cell, one array per column of INSERT_CELLS_SQL. */
export interface CellColumns {
  roles: string[];
  seniorities: string[];
  remotes: boolean[];
  metroIds: number[];
  /** Every cell's pays (float8send), concatenated. */
  pays: Buffer;
  /** Byte offset of each cell's pays in `pays`. */
  offsets: number[];
  /** Byte length of each cell's pays. */
  lengths: number[];
}

/** The parameters $2.. of INSERT_CELLS_SQL, in its order. */
export function cellParams(c: CellColumns): unknown[] {
  return [c.roles, c.seniorities, c.remotes, c.metroIds, c.pays, c.offsets, c.lengths];
}

export function cellColumns(levels: readonly CellRow[], tracked: ReadonlySet<string>): CellColumns {
  const cells = new Map<string, { row: CellRow; parts: Uint8Array[] }>();
  for (const l of levels) {
    if (!l.pays || l.pays.byteLength === 0 || !tracked.has(l.role)) continue;
    const key = `${l.role}|${l.seniority}|${l.remote}|${l.metro_id}`;
    let c = cells.get(key);
    if (!c) cells.set(key, (c = { row: l, parts: [] }));
    c.parts.push(l.pays);
  }
  const out: Omit<CellColumns, 'pays'> = { roles: [], seniorities: [], remotes: [], metroIds: [], offsets: [], lengths: [] };
  const pays: Uint8Array[] = [];
  let offset = 0;
  for (const { row, parts } of cells.values()) {
    out.roles.push(row.role);
    out.seniorities.push(row.seniority);
    out.remotes.push(row.remote);
    out.metroIds.push(row.metro_id);
    const len = parts.reduce((n, p) => n + p.byteLength, 0);
    pays.push(...parts);
    out.offsets.push(offset);
    out.lengths.push(len);
    offset += len;
  }
  return { ...out, pays: Buffer.concat(pays) };
}

/** Big-endian IEEE-754 doubles (float8send), one after the other. */
export function readFloat8s(bytes: Uint8Array): Float64Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float64Array(bytes.byteLength >> 3);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat64(i << 3, false);
  return out;
}

