-- Subscriptions: double opt-in bookkeeping, erasure, rate limits kept in the
-- database (shared by every web process), anonymous counts.

-- An erased reader keeps an anonymous row (status 'deleted', no address) so
-- that per-issue delivery counts stay whole; nothing else may lack an address.
ALTER TABLE subscribers ALTER COLUMN email DROP NOT NULL;
ALTER TABLE subscribers ADD CONSTRAINT subscribers_email_or_deleted CHECK (email IS NOT NULL OR status = 'deleted');

-- One reader per mailbox whatever the case typed: Jane@x and jane@x are the
-- same person to every provider we send through. The address keeps the case
-- it was first given in.
CREATE UNIQUE INDEX subscribers_email_lower_key ON subscribers (lower(email));

ALTER TABLE subscribers
  -- Confirmation mails: the last one sent, and how many since the first of the
  -- current window (the first mail plus at most one reminder per 7 days).
  ADD COLUMN confirm_sent_at       timestamptz,
  ADD COLUMN confirm_window_at     timestamptz,
  ADD COLUMN confirm_sends         integer NOT NULL DEFAULT 0,
  ADD COLUMN preferences_updated_at timestamptz,
  ADD COLUMN deleted_at            timestamptz;

-- Fixed-window counters: one row per (key, window start). Keys look like
-- `subscribe-ip:203.0.113.7` or `subscribe-email:name@example.com`; rows
-- older than a day are swept by the next request.
CREATE TABLE rate_limit_hits (
  key          text NOT NULL,
  window_start timestamptz NOT NULL,
  hits         integer NOT NULL,
  PRIMARY KEY (key, window_start)
);
CREATE INDEX rate_limit_hits_window_idx ON rate_limit_hits (window_start);

-- What stays after a reader asks to be erased: counts per day and event,
-- with no address or id (subscribed, confirmed, unsubscribed, erased, ...).
CREATE TABLE subscription_counts (
  day    date NOT NULL,
  event  text NOT NULL,
  n      integer NOT NULL,
  PRIMARY KEY (day, event)
);
