-- Figures the snapshot stores per (week, role) since issue 14
-- (docs/methodology.md): the like-for-like pay change against the week
-- before with its bootstrap interval and cell counts, the median of remote
-- and of on-site postings, and the median by metro. NULL in rows
-- snapshotted before; a new snapshot of the week fills them.
ALTER TABLE role_weeks
  ADD COLUMN like_for_like jsonb,
  ADD COLUMN work_mode jsonb,
  ADD COLUMN metro_pay jsonb;
