// Anonymous counts per day and event: what is left of a reader after erasure,
// and the figures the admin page can show without naming anyone.
import type { Db, DbClient } from '../db/database.ts';

export type CountedEvent = 'subscribed' | 'confirmed' | 'unsubscribed' | 'resubscribed' | 'imported' | 'erased';

export async function countEvent(db: Db | DbClient, event: CountedEvent, n = 1): Promise<void> {
  if (n <= 0) return;
  await db.query(
    `INSERT INTO subscription_counts AS c (day, event, n) VALUES (current_date, $1, $2)
     ON CONFLICT (day, event) DO UPDATE SET n = c.n + EXCLUDED.n`,
    [event, n],
  );
}

// The issue's analytics count unsubscribes through its link here, as the
// unsubscribe happens (issue_counters, migration 0013; read by digest/analytics.ts).
/** An unsubscribe through the link of `issueId`'s mail: counted against the issue, in the caller's transaction. */
export async function countIssueUnsubscribe(client: Pick<DbClient, 'query'>, issueId: number): Promise<void> {
  await client.query(
    `INSERT INTO issue_counters (issue_id, name, n) SELECT id, 'unsubscribed', 1 FROM issues WHERE id = $1
     ON CONFLICT (issue_id, name) DO UPDATE SET n = issue_counters.n + 1`,
    [issueId],
  );
}
