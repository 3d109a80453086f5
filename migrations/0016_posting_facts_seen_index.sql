-- The open-in-week rule of the snapshot (src/stats/snapshot-sql.ts) over an
-- index: postings last seen at or after the week's start, first seen before
-- its end. Years of closed postings lie below the week's start in it, so a
-- snapshot that reads the index touches only the week's postings (and any
-- seen later), whatever history the table keeps. The snapshot reads it when
-- the statistics say few rows are that recent (src/stats/snapshot-scan.ts);
-- otherwise one scan of the whole table, split by pages, is cheaper.
CREATE INDEX posting_facts_seen_idx ON posting_facts (last_seen_at, first_seen_at);
