-- The skill premium per (week, role) since issue 14 (docs/methodology.md):
-- for each of the role's top skills, the median pay of its postings listing
-- the skill against those that do not, with n on both sides and a bootstrap
-- interval of the difference. NULL in rows snapshotted before.
ALTER TABLE role_weeks ADD COLUMN skill_premium jsonb;
