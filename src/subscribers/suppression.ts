// The suppression list: addresses we no longer write to, with why and since
// when. `digest subscribers export --status suppressed|unsubscribed|all` and
// /admin read it. Bounces (hard, or BOUNCE_SOFT_LIMIT soft ones in a row) and
// complaints are told apart by status and reason.
import { stringify } from 'csv-stringify/sync';
import type { Db } from '../db/database.ts';

export type ExportStatus = 'suppressed' | 'unsubscribed' | 'all';

export interface SuppressedReader {
  email: string;
  /** bounced, complained or unsubscribed. */
  status: string;
  reason: string;
  since: Date;
}

const WHERE: Record<ExportStatus, string> = {
  suppressed: `suppressed_at IS NOT NULL`,
  unsubscribed: `status = 'unsubscribed' AND suppressed_at IS NULL`,
  all: `(suppressed_at IS NOT NULL OR status = 'unsubscribed')`,
};

/** Readers who get nothing, newest first. Erased readers have no address and are left out. */
export async function readSuppressionList(pool: Pick<Db, 'query'>, status: ExportStatus, limit = 100_000): Promise<SuppressedReader[]> {
  const { rows } = await pool.query<{ email: string; status: string; reason: string; since: Date }>(
    `SELECT email,
            CASE WHEN suppressed_at IS NOT NULL AND status = 'unsubscribed' THEN 'bounced' ELSE status END AS status,
            COALESCE(suppressed_reason, CASE WHEN status = 'unsubscribed' THEN 'unsubscribed' END, status) AS reason,
            COALESCE(suppressed_at, unsubscribed_at, created_at) AS since
       FROM subscribers
      WHERE email IS NOT NULL AND status <> 'deleted' AND ${WHERE[status]}
      ORDER BY since DESC, id DESC
      LIMIT $1`,
    [limit],
  );
  return rows;
}

/** CSV with header `email,status,reason,date` (date in ISO 8601, UTC). */
export function formatSuppressionCsv(rows: readonly SuppressedReader[]): string {
  return stringify(
    rows.map((r) => [r.email, r.status, r.reason, r.since.toISOString()]),
    { header: true, columns: ['email', 'status', 'reason', 'date'] },
  );
}
