// Whether the figures a reader sees come from generated demo postings.
// "Demo is loaded" means: postings of the `demo` source exist. It is one
// index probe (the unique (source, external_id) index leads with source), so
// pages and mails may ask it freely; `digest demo-data --remove` deletes those
// postings and the notice goes away by itself. See docs/demo-data.md.
import type pg from 'pg';
import { DEMO_SOURCE } from './generate.ts';

type Queryable = Pick<pg.Pool, 'query'>;

/** The notice every page shows and every mail carries while demo data is loaded. */
export const DEMO_NOTICE = 'Demo data: generated postings, not real openings.';

export async function demoLoaded(db: Queryable): Promise<boolean> {
  const { rows } = await db.query<{ demo: boolean }>('SELECT EXISTS (SELECT 1 FROM postings WHERE source = $1) AS demo', [DEMO_SOURCE]);
  return rows[0]?.demo === true;
}

/** Whether demo postings are open in the week [start, end): the week's figures include generated postings. */
export async function demoInWeek(db: Queryable, week: string): Promise<boolean> {
  const { rows } = await db.query<{ demo: boolean }>(
    `SELECT EXISTS (
       SELECT 1 FROM weeks w JOIN postings p ON p.source = $2 AND p.first_seen_at < w.ends_at AND p.last_seen_at >= w.starts_at
        WHERE w.week = $1) AS demo`,
    [week, DEMO_SOURCE],
  );
  return rows[0]?.demo === true;
}
