-- Postings as fed in, one row per (source, external_id); ingest moves
-- last_seen_at forward. Pay is kept as posted and annualised (annual_min,
-- annual_max in the posting's currency; hourly x 2080, monthly x 12).
CREATE TABLE postings (
  id            bigserial PRIMARY KEY,
  source        text NOT NULL,
  external_id   text NOT NULL,
  title         text NOT NULL,
  company       text NOT NULL,
  location      text,
  metro         text,
  remote        boolean NOT NULL DEFAULT false,
  role          text NOT NULL,
  seniority     text NOT NULL CHECK (seniority IN ('entry', 'mid', 'senior')),
  salary_min    numeric,
  salary_max    numeric,
  currency      text,
  period        text CHECK (period IN ('year', 'month', 'hour')),
  annual_min    numeric,
  annual_max    numeric,
  skills        text[] NOT NULL DEFAULT '{}',
  description   text,
  posted_at     timestamptz,
  first_seen_at timestamptz NOT NULL,
  last_seen_at  timestamptz NOT NULL,
  closed_at     timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (source, external_id),
  CHECK (last_seen_at >= first_seen_at)
);

-- The open-in-week filter reads both ends of the seen interval.
CREATE INDEX postings_seen_idx ON postings (last_seen_at, first_seen_at);

-- One row per snapshotted week; total counts every open posting, role
-- `other` included.
CREATE TABLE weeks (
  week           text PRIMARY KEY CHECK (week ~ '^\d{4}-W\d{2}$'),
  tz             text NOT NULL,
  starts_at      timestamptz NOT NULL,
  ends_at        timestamptz NOT NULL,
  total          integer NOT NULL,
  snapshot_at    timestamptz NOT NULL DEFAULT now()
);

-- Per (week, role) figures, defined in docs/methodology.md. Money in USD per
-- year; pay columns are NULL when fewer than 5 postings disclose pay.
CREATE TABLE role_weeks (
  week           text NOT NULL REFERENCES weeks (week) ON DELETE CASCADE,
  role           text NOT NULL,
  positions      integer NOT NULL,
  share          double precision NOT NULL,
  disclosed      integer NOT NULL,
  avg_min        double precision,
  avg_max        double precision,
  p25            double precision,
  median         double precision,
  mean           double precision,
  p75            double precision,
  median_ci_low  double precision,
  median_ci_high double precision,
  remote         integer NOT NULL,
  remote_pct     double precision NOT NULL,
  entry          integer NOT NULL,
  mid            integer NOT NULL,
  senior         integer NOT NULL,
  by_seniority   jsonb NOT NULL,
  top_skills     jsonb NOT NULL,
  top_companies  jsonb NOT NULL,
  top_metros     jsonb NOT NULL,
  PRIMARY KEY (week, role)
);
