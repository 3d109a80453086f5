-- postings.duplicate_of (0011) references postings(id) ON DELETE SET NULL.
-- Without an index on the referencing column, PostgreSQL finds the rows to
-- set NULL by scanning postings once per deleted posting, so removing the
-- demo data (tens of thousands of rows) took minutes: quadratic. Only a few
-- rows are duplicates, so the index holds only those.
CREATE INDEX postings_duplicate_of_idx ON postings (duplicate_of) WHERE duplicate_of IS NOT NULL;
