-- One claim per week for the scheduler, which may run in every process: the
-- first to insert (or to take over a claim stale for an hour, or a failed one)
-- runs the week; the others skip it.
CREATE TABLE schedule_runs (
  week        text PRIMARY KEY,
  started_at  timestamptz NOT NULL,
  finished_at timestamptz,
  failed      boolean NOT NULL DEFAULT false
);
