-- A tracked role with no open postings in a week has no remote share (0 of
-- 0 is not 0%): remote_pct is NULL there, and pages, the CLI table and the
-- comparisons print "no postings" (docs/methodology.md, "Rules at the edges").
-- Weeks stored before this migration get the same reading.
ALTER TABLE role_weeks ALTER COLUMN remote_pct DROP NOT NULL;
UPDATE role_weeks SET remote_pct = NULL WHERE positions = 0;
ALTER TABLE role_weeks ADD CONSTRAINT role_weeks_remote_pct_when_open
  CHECK ((positions = 0) = (remote_pct IS NULL));
