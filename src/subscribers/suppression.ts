// The suppression list: addresses we no longer write to, with why and since
// when. `digest subscribers export --status suppressed|unsubscribed|all` and
// /admin read it. Bounces (hard, or BOUNCE_SOFT_LIMIT soft ones in a row) and
// complaints are told apart by status and reason.
import { stringify } from 'csv-stringify/sync';
import type { SuppressedReader } from './store.ts';
import { guard } from './csv.ts';

// The list is read by the table's owner; re-exported for the CLI and /admin.
export { readSuppressionList, type SuppressedReader } from './store.ts';

/** CSV with header `email,status,reason,date` (date in ISO 8601, UTC); the address and the reason (a provider's words) guarded against formulas as the subscriber export is. */
export function formatSuppressionCsv(rows: readonly SuppressedReader[]): string {
  return stringify(
    rows.map((r) => [guard(r.email), r.status, guard(r.reason), r.since.toISOString()]),
    { header: true, columns: ['email', 'status', 'reason', 'date'] },
  );
}
