-- An unsubscribe, a hard bounce or a complaint is final against everything
-- but the reader's own signed link (docs/subscriptions-abuse.md):
-- `opted_out_at` records the first time an address left, and only erasure
-- clears it. A trigger sets it on every path that writes those statuses
-- (one-click unsubscribe, preferences, provider webhooks, an operator's SQL).
ALTER TABLE subscribers ADD COLUMN opted_out_at timestamptz;

UPDATE subscribers
   SET opted_out_at = COALESCE(unsubscribed_at, suppressed_at, now())
 WHERE status IN ('unsubscribed', 'bounced', 'complained')
    OR unsubscribed_at IS NOT NULL
    OR suppressed_at IS NOT NULL;

CREATE FUNCTION subscribers_mark_opted_out() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status IN ('unsubscribed', 'bounced', 'complained') AND NEW.opted_out_at IS NULL THEN
    NEW.opted_out_at := now();
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER subscribers_opted_out
  BEFORE INSERT OR UPDATE OF status ON subscribers
  FOR EACH ROW EXECUTE FUNCTION subscribers_mark_opted_out();

-- Public subscribe requests waiting for the job that decides what to do with
-- them. The web request only validates and inserts here (the same statements
-- for every address), so its answer says nothing about the list; the job
-- deletes the row in the transaction that acts on it.
CREATE TABLE subscribe_requests (
  id         bigserial PRIMARY KEY,
  email      text NOT NULL,
  roles      text[] NOT NULL DEFAULT '{}',
  source     text NOT NULL,
  -- A filled honeypot: queued like any request so that it costs the same, then dropped.
  honeypot   boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);
