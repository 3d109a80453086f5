-- The weekly schedule's run coordinator (node-cron `distributed: true`).
-- Every process may run the schedule; each fire of the cron has one key
-- (task name and the scheduled instant, e.g. `weekly-digest:2026-11-30T13:00:00.000Z`)
-- and the process whose INSERT creates the row is the one that acts on it.
-- Beneath this, the week's job is a pg-boss singleton and an issue is unique
-- per week, so a clock-skewed process that fires under another key still
-- cannot compose or send a week twice.
CREATE TABLE cron_fires (
  key          text PRIMARY KEY,
  holder       text NOT NULL,
  claimed_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
  completed_at timestamptz
);

-- The per-week claim rows of the first scheduler: the coordinator above and
-- the week's singleton job replace them.
DROP TABLE schedule_runs;
