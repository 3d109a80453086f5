-- Job-board sources (digest sources add|list|remove) and what their crawls
-- left: each source's last crawl, its outcome and counts, and its last error.
CREATE TABLE sources (
  name          text PRIMARY KEY,            -- KIND:BOARD, the postings.source of its postings
  kind          text NOT NULL CHECK (kind IN ('greenhouse', 'lever', 'ashby', 'recruitee', 'smartrecruiters', 'workable')),
  board         text NOT NULL,
  company       text,                        -- --company; else postings name the board
  base_url      text,                        -- --base-url: replaces the API's origin
  created_at    timestamptz NOT NULL DEFAULT now(),
  crawled_at    timestamptz,                 -- the last crawl's start, whatever its outcome
  outcome       text CHECK (outcome IN ('ok', 'failed')),
  ok_at         timestamptz,                 -- the last successful, complete crawl
  open_count    integer,                     -- after the last successful crawl
  new_count     integer,
  closed_count  integer,
  reopened_count integer,
  last_error    text,
  error_at      timestamptz
);

-- Where a posting's pay came from: 'fields' (salary columns, structured
-- API fields) or 'text' (read from the description); NULL without pay, and
-- for rows stored before this migration.
ALTER TABLE postings ADD COLUMN pay_from text CHECK (pay_from IN ('fields', 'text'));

-- The same job on two sources (same company, normalised title and place,
-- open at the same time): every sighting is kept, the later ones point at the
-- first with duplicate_of, and only postings without it enter posting_facts,
-- so the statistics count the job once (docs/sources.md).
ALTER TABLE postings ADD COLUMN duplicate_of bigint REFERENCES postings (id) ON DELETE SET NULL;

CREATE FUNCTION posting_dedup_key(company text, title text, metro text, remote boolean) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT lower(regexp_replace(btrim(company), '\s+', ' ', 'g')) || '|' ||
         btrim(regexp_replace(lower(title), '[^[:alnum:]]+', ' ', 'g')) || '|' ||
         CASE WHEN remote THEN 'remote' ELSE lower(btrim(coalesce(metro, ''))) END
$$;

-- Demo postings never take part, and the index costs their bulk loads nothing.
CREATE INDEX postings_dedup_idx ON postings (posting_dedup_key(company, title, metro, remote)) WHERE source <> 'demo';

-- As in 0007, with duplicates left out of the facts.
CREATE OR REPLACE FUNCTION posting_facts_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    DELETE FROM posting_facts f USING old_rows o WHERE f.posting_id = o.id;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO fact_names (name)
    SELECT DISTINCT n
      FROM (SELECT role AS n FROM new_rows
            UNION ALL SELECT nullif(btrim(company), '') FROM new_rows
            UNION ALL SELECT CASE WHEN remote THEN 'Remote' ELSE nullif(btrim(metro), '') END FROM new_rows
            UNION ALL SELECT nullif(unnest(skills), '') FROM new_rows) x
     WHERE n IS NOT NULL AND NOT EXISTS (SELECT 1 FROM fact_names d WHERE d.name = x.n)
     ORDER BY n
    ON CONFLICT (name) DO NOTHING;

    INSERT INTO posting_facts (posting_id, first_seen_at, last_seen_at, open_until, role_id, metro_id, seniority,
                               remote, pay_max, pay_min, pay_bin, name_ids)
    SELECT id, first_seen_at, last_seen_at, open_until, role_id, metro_id, seniority,
           remote, pay_max, pay_min, float8send(pay_max::float8), concat_ws(',', company_id, skill_ids)
      FROM (SELECT p.id, p.first_seen_at, p.last_seen_at, coalesce(p.closed_at, 'infinity') AS open_until, r.id AS role_id,
                   coalesce(m.id, 0) AS metro_id, CASE p.seniority WHEN 'entry' THEN 0 WHEN 'mid' THEN 1 ELSE 2 END AS seniority,
                   p.remote, CASE WHEN p.currency = 'USD' THEN p.annual_max END AS pay_max,
                   CASE WHEN p.currency = 'USD' AND p.annual_max IS NOT NULL THEN coalesce(p.annual_min, p.annual_max) END AS pay_min,
                   coalesce(c.id, 0) AS company_id, s.ids AS skill_ids
              FROM new_rows p
              JOIN fact_names r ON r.name = p.role
              LEFT JOIN fact_names c ON c.name = nullif(btrim(p.company), '')
              LEFT JOIN fact_names m ON m.name = CASE WHEN p.remote THEN 'Remote' ELSE nullif(btrim(p.metro), '') END
              LEFT JOIN (SELECT q.id, string_agg(d.id::text, ',') AS ids
                           FROM new_rows q
                          CROSS JOIN LATERAL unnest(q.skills) AS k(name)
                           JOIN fact_names d ON d.name = k.name AND k.name <> ''
                          GROUP BY q.id) s ON s.id = p.id
             WHERE p.duplicate_of IS NULL) f;
  END IF;
  RETURN NULL;
END $$;
