-- Readers and operators: per-issue counters kept as events arrive, the soft
-- bounce policy, review before send, proof mails and delayed transactional
-- steps. See docs/issue-analytics.md.

-- Bounce policy: consecutive soft bounces across issues; a delivered mail
-- resets the count, BOUNCE_SOFT_LIMIT of them suppress the address.
ALTER TABLE subscribers ADD COLUMN soft_bounces integer NOT NULL DEFAULT 0;

-- Which kind of bounce `bounced_at` records: 'hard' (permanent) or 'soft'
-- (transient). A hard bounce after a soft one wins.
ALTER TABLE deliveries ADD COLUMN bounce_kind text CHECK (bounce_kind IN ('hard', 'soft'));

-- Review before send (DIGEST_APPROVAL=manual): an issue waiting for review
-- stays a draft (not in the archive, nothing enqueued) with approval
-- 'pending'; approving enqueues it once, discarding leaves it unsent.
ALTER TABLE issues
  ADD COLUMN approval      text NOT NULL DEFAULT 'auto' CHECK (approval IN ('auto', 'pending', 'approved', 'discarded')),
  ADD COLUMN proof_sent_at timestamptz,
  ADD COLUMN reminded_at   timestamptz,
  ADD COLUMN decided_at    timestamptz,
  ADD COLUMN decided_by    text;

-- Proof and reminder mails to reviewers travel the transactional path,
-- never the readers' ledger; a step of a sequence may wait (send_after).
ALTER TABLE transactional_mails DROP CONSTRAINT transactional_mails_kind_check;
ALTER TABLE transactional_mails ADD CONSTRAINT transactional_mails_kind_check
  CHECK (kind IN ('confirm', 'welcome', 'goodbye', 'reminder', 'proof', 'review-reminder', 'sequence'));
ALTER TABLE transactional_mails ADD COLUMN send_after timestamptz;

-- Per-issue counters, moved by the statement triggers below in the same
-- transaction as the rows they count, so /metrics and /admin read a handful
-- of rows instead of scanning the ledger. Names:
--   status:<queued|sending|sent|failed|suppressed>  ledger rows by status
--   delivered, bounced_hard, bounced_soft, complained, opened   provider events
--   clicks, clickers, link:<id>   first clicks, readers who clicked, per link
--   unsubscribed                  unsubscribes through this issue's link
--   followers:<role>              recipients following the role when enqueued
CREATE TABLE issue_counters (
  issue_id bigint NOT NULL REFERENCES issues (id) ON DELETE CASCADE,
  name     text NOT NULL,
  n        bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (issue_id, name)
);

-- Counters not tied to an issue: webhook events by type, readers by status.
CREATE TABLE service_counters (
  name text PRIMARY KEY,
  n    bigint NOT NULL DEFAULT 0
);

-- Readers who clicked anything in an issue, once each: the unique clickers.
CREATE TABLE issue_clickers (
  issue_id      bigint NOT NULL REFERENCES issues (id) ON DELETE CASCADE,
  subscriber_id bigint NOT NULL,
  PRIMARY KEY (issue_id, subscriber_id)
);

-- Ledger rows that became sent, per second: the send rate without reading
-- the ledger. Rows older than ten minutes are dropped as new ones come.
CREATE TABLE sent_per_second (
  at timestamptz PRIMARY KEY,
  n  bigint NOT NULL
);

CREATE FUNCTION delivery_marks(status text, delivered boolean, bounce text, complained boolean, opened boolean)
RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
  SELECT array_remove(ARRAY[
    'status:' || status,
    CASE WHEN delivered THEN 'delivered' END,
    CASE WHEN bounce IS NOT NULL THEN 'bounced_' || bounce END,
    CASE WHEN complained THEN 'complained' END,
    CASE WHEN opened THEN 'opened' END], NULL)
$$;

CREATE FUNCTION deliveries_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO issue_counters (issue_id, name, n)
    SELECT issue_id, name, sum(n) FROM (
      SELECT issue_id, unnest(delivery_marks(status, delivered_at IS NOT NULL, CASE WHEN bounced_at IS NOT NULL THEN coalesce(bounce_kind, 'hard') END,
                                             complained_at IS NOT NULL, opened_at IS NOT NULL)) AS name, 1 AS n FROM new_rows
      UNION ALL
      SELECT r.issue_id, 'followers:' || role, count(*)
        FROM new_rows r JOIN subscribers s ON s.id = r.subscriber_id CROSS JOIN LATERAL unnest(s.roles) AS role
       GROUP BY 1, 2) x
     GROUP BY issue_id, name ORDER BY issue_id, name
    ON CONFLICT (issue_id, name) DO UPDATE SET n = issue_counters.n + EXCLUDED.n;
    -- Rows stored as sent already (imports, tests) count at their own time.
    INSERT INTO sent_per_second (at, n)
    SELECT date_trunc('second', sent_at), count(*) FROM new_rows
     WHERE status = 'sent' AND sent_at >= now() - interval '10 minutes'
     GROUP BY 1 ORDER BY 1
    ON CONFLICT (at) DO UPDATE SET n = sent_per_second.n + EXCLUDED.n;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO issue_counters (issue_id, name, n)
    SELECT issue_id, name, sum(d) FROM (
      SELECT issue_id, unnest(delivery_marks(status, delivered_at IS NOT NULL, CASE WHEN bounced_at IS NOT NULL THEN coalesce(bounce_kind, 'hard') END,
                                             complained_at IS NOT NULL, opened_at IS NOT NULL)) AS name, 1 AS d FROM new_rows
      UNION ALL
      SELECT issue_id, unnest(delivery_marks(status, delivered_at IS NOT NULL, CASE WHEN bounced_at IS NOT NULL THEN coalesce(bounce_kind, 'hard') END,
                                             complained_at IS NOT NULL, opened_at IS NOT NULL)), -1 FROM old_rows) x
     GROUP BY issue_id, name HAVING sum(d) <> 0 ORDER BY issue_id, name
    ON CONFLICT (issue_id, name) DO UPDATE SET n = issue_counters.n + EXCLUDED.n;
    INSERT INTO sent_per_second (at, n)
    SELECT date_trunc('second', coalesce(n.sent_at, clock_timestamp())), count(*)
      FROM new_rows n JOIN old_rows o ON o.id = n.id
     WHERE n.status = 'sent' AND o.status <> 'sent' AND coalesce(n.sent_at, clock_timestamp()) >= now() - interval '10 minutes'
     GROUP BY 1 ORDER BY 1
    ON CONFLICT (at) DO UPDATE SET n = sent_per_second.n + EXCLUDED.n;
    IF FOUND THEN
      DELETE FROM sent_per_second WHERE at < now() - interval '10 minutes';
    END IF;
  ELSE
    INSERT INTO issue_counters (issue_id, name, n)
    SELECT issue_id, name, -count(*) FROM (
      SELECT issue_id, unnest(delivery_marks(status, delivered_at IS NOT NULL, CASE WHEN bounced_at IS NOT NULL THEN coalesce(bounce_kind, 'hard') END,
                                             complained_at IS NOT NULL, opened_at IS NOT NULL)) AS name FROM old_rows) x
     GROUP BY issue_id, name ORDER BY issue_id, name
    ON CONFLICT (issue_id, name) DO UPDATE SET n = issue_counters.n + EXCLUDED.n;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER deliveries_count_insert AFTER INSERT ON deliveries
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION deliveries_count();
CREATE TRIGGER deliveries_count_update AFTER UPDATE ON deliveries
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION deliveries_count();
CREATE TRIGGER deliveries_count_delete AFTER DELETE ON deliveries
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION deliveries_count();

CREATE FUNCTION clicks_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  WITH readers AS (
    INSERT INTO issue_clickers (issue_id, subscriber_id)
    SELECT DISTINCT issue_id, subscriber_id FROM new_rows ORDER BY 1, 2
    ON CONFLICT DO NOTHING
    RETURNING issue_id)
  INSERT INTO issue_counters (issue_id, name, n)
  SELECT issue_id, name, sum(n) FROM (
    SELECT issue_id, 'clicks' AS name, count(*) AS n FROM new_rows GROUP BY 1
    UNION ALL SELECT issue_id, 'link:' || link_id, count(*) FROM new_rows GROUP BY 1, 2
    UNION ALL SELECT issue_id, 'clickers', count(*) FROM readers GROUP BY 1) x
   GROUP BY issue_id, name ORDER BY issue_id, name
  ON CONFLICT (issue_id, name) DO UPDATE SET n = issue_counters.n + EXCLUDED.n;
  RETURN NULL;
END $$;

CREATE TRIGGER clicks_count_insert AFTER INSERT ON clicks
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION clicks_count();

CREATE FUNCTION webhook_events_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO service_counters (name, n)
  SELECT 'webhook:' || type, count(*) FROM new_rows GROUP BY 1 ORDER BY 1
  ON CONFLICT (name) DO UPDATE SET n = service_counters.n + EXCLUDED.n;
  RETURN NULL;
END $$;

CREATE TRIGGER webhook_events_count_insert AFTER INSERT ON webhook_events
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION webhook_events_count();

-- Readers by status, for /metrics without a scan of subscribers.
CREATE FUNCTION subscribers_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO service_counters (name, n)
    SELECT 'subscribers:' || status, count(*) FROM new_rows GROUP BY 1 ORDER BY 1
    ON CONFLICT (name) DO UPDATE SET n = service_counters.n + EXCLUDED.n;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO service_counters (name, n)
    SELECT 'subscribers:' || status, sum(d) FROM (SELECT status, 1 AS d FROM new_rows UNION ALL SELECT status, -1 FROM old_rows) x
     GROUP BY 1 HAVING sum(d) <> 0 ORDER BY 1
    ON CONFLICT (name) DO UPDATE SET n = service_counters.n + EXCLUDED.n;
  ELSE
    INSERT INTO service_counters (name, n)
    SELECT 'subscribers:' || status, -count(*) FROM old_rows GROUP BY 1 ORDER BY 1
    ON CONFLICT (name) DO UPDATE SET n = service_counters.n + EXCLUDED.n;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER subscribers_count_insert AFTER INSERT ON subscribers
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION subscribers_count();
CREATE TRIGGER subscribers_count_update AFTER UPDATE ON subscribers
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION subscribers_count();
CREATE TRIGGER subscribers_count_delete AFTER DELETE ON subscribers
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION subscribers_count();

CREATE FUNCTION subscribers_count_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM service_counters WHERE name LIKE 'subscribers:%';
  RETURN NULL;
END $$;

CREATE TRIGGER subscribers_count_truncate AFTER TRUNCATE ON subscribers
  FOR EACH STATEMENT EXECUTE FUNCTION subscribers_count_truncate();

-- Backfill from what is stored already (clickers first: the counters read them).
INSERT INTO issue_clickers (issue_id, subscriber_id) SELECT DISTINCT issue_id, subscriber_id FROM clicks ON CONFLICT DO NOTHING;
INSERT INTO issue_counters (issue_id, name, n)
SELECT issue_id, name, count(*) FROM (
  SELECT issue_id, unnest(delivery_marks(status, delivered_at IS NOT NULL, CASE WHEN bounced_at IS NOT NULL THEN 'hard' END,
                                         complained_at IS NOT NULL, opened_at IS NOT NULL)) AS name FROM deliveries
  UNION ALL SELECT issue_id, 'clicks' FROM clicks
  UNION ALL SELECT issue_id, 'link:' || link_id FROM clicks
  UNION ALL SELECT issue_id, 'clickers' FROM issue_clickers) x
GROUP BY issue_id, name;
INSERT INTO service_counters (name, n) SELECT 'webhook:' || type, count(*) FROM webhook_events GROUP BY 1;
INSERT INTO service_counters (name, n) SELECT 'subscribers:' || status, count(*) FROM subscribers GROUP BY 1;
