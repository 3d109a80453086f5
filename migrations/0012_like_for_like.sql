-- Figures the snapshot stores per (week, role) since issue 14
-- (docs/methodology.md): the like-for-like pay change against the week
-- before with its bootstrap interval and cell counts, the median of remote
-- and of on-site postings, the median by metro, and for roles with few
-- disclosed salaries the pay over a rolling 4-week window. NULL in rows
-- snapshotted before; a new snapshot of the week fills them.
ALTER TABLE role_weeks
  ADD COLUMN like_for_like jsonb,
  ADD COLUMN work_mode jsonb,
  ADD COLUMN metro_pay jsonb,
  ADD COLUMN pay_window jsonb;

-- Each snapshotted week's disclosed pays per like-for-like cell (role x
-- seniority x work mode x metro id), as the snapshot read them (float8send
-- bytes, concatenated), so that next week's like-for-like change compares
-- with exactly the postings last week's figures were published from, without
-- scanning the postings again. cells_stored marks weeks that have them.
CREATE TABLE role_week_cells (
  week      text NOT NULL REFERENCES weeks (week) ON DELETE CASCADE,
  role      text NOT NULL,
  seniority text NOT NULL CHECK (seniority IN ('entry', 'mid', 'senior')),
  remote    boolean NOT NULL,
  metro_id  integer NOT NULL,
  pays      bytea NOT NULL,
  PRIMARY KEY (week, role, seniority, remote, metro_id)
);

ALTER TABLE weeks ADD COLUMN cells_stored boolean NOT NULL DEFAULT false;

-- Pays are random doubles: compressing them costs time and saves nothing.
ALTER TABLE role_week_cells ALTER COLUMN pays SET STORAGE EXTERNAL;
