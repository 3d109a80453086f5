-- Delivery: who gets what, and what the provider said. Minimal subscribers
-- and issues tables here; the subscriptions and digest migrations extend them.

CREATE TABLE subscribers (
  id                bigserial PRIMARY KEY,
  email             text NOT NULL UNIQUE,
  status            text NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'active', 'unsubscribed', 'bounced', 'complained', 'deleted')),
  roles             text[] NOT NULL DEFAULT '{}',
  source            text,
  created_at        timestamptz NOT NULL DEFAULT now(),
  confirmed_at      timestamptz,
  unsubscribed_at   timestamptz,
  -- Set by a hard bounce or a complaint: nothing is sent to the address afterwards.
  suppressed_at     timestamptz,
  suppressed_reason text
);

-- The enqueue reads active subscribers in id order.
CREATE INDEX subscribers_active_idx ON subscribers (id) WHERE status = 'active';
-- Webhooks and the transactional send find an address whatever its case.
CREATE INDEX subscribers_email_lower_idx ON subscribers (lower(email));

CREATE TABLE issues (
  id           bigserial PRIMARY KEY,
  week         text NOT NULL UNIQUE,
  subject      text NOT NULL,
  content      jsonb NOT NULL DEFAULT '{}',
  status       text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'sending', 'sent')),
  created_at   timestamptz NOT NULL DEFAULT now(),
  enqueued_at  timestamptz,
  sent_at      timestamptz
);

-- One row per batch of <= 100 deliveries, fixed when the issue is enqueued.
-- The idempotency key is fixed here too, so every retry of the batch sends
-- the same key; `claimed_until` is a lease in database time: a worker that
-- dies leaves a lease that runs out, and another worker takes the batch over.
CREATE TABLE delivery_batches (
  issue_id          bigint NOT NULL REFERENCES issues (id) ON DELETE CASCADE,
  batch             integer NOT NULL,
  size              integer NOT NULL,
  idempotency_key   text NOT NULL UNIQUE,
  status            text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sending', 'done')),
  attempts          integer NOT NULL DEFAULT 0,
  claimed_until     timestamptz,
  first_attempt_at  timestamptz,
  last_error        text,
  created_at        timestamptz NOT NULL DEFAULT now(),
  done_at           timestamptz,
  PRIMARY KEY (issue_id, batch)
);

-- The sweeper looks for batches whose lease ran out.
CREATE INDEX delivery_batches_open_idx ON delivery_batches (claimed_until) WHERE status <> 'done';

-- The ledger: one row per (issue, subscriber), moved by compare-and-set.
-- queued -> sending (batch claimed) -> sent | failed; queued -> suppressed
-- when the address stopped being active before its batch went out.
CREATE TABLE deliveries (
  id                  bigserial PRIMARY KEY,
  issue_id            bigint NOT NULL REFERENCES issues (id) ON DELETE CASCADE,
  subscriber_id       bigint NOT NULL REFERENCES subscribers (id),
  email               text NOT NULL,
  batch               integer NOT NULL,
  status              text NOT NULL DEFAULT 'queued'
                      CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'suppressed')),
  attempts            integer NOT NULL DEFAULT 0,
  provider_message_id text,
  last_error          text,
  created_at          timestamptz NOT NULL DEFAULT now(),
  sent_at             timestamptz,
  failed_at           timestamptz,
  -- What the provider told us afterwards (webhooks).
  delivered_at        timestamptz,
  delayed_at          timestamptz,
  bounced_at          timestamptz,
  complained_at       timestamptz,
  opened_at           timestamptz,
  clicked_at          timestamptz,
  UNIQUE (issue_id, subscriber_id)
);

CREATE INDEX deliveries_batch_idx ON deliveries (issue_id, batch);
CREATE INDEX deliveries_provider_idx ON deliveries (provider_message_id) WHERE provider_message_id IS NOT NULL;

-- Single transactional mails (confirm, welcome, goodbye), rendered when
-- enqueued; `dedupe_key` makes enqueueing the same mail twice a no-op.
CREATE TABLE transactional_mails (
  id                  bigserial PRIMARY KEY,
  dedupe_key          text NOT NULL UNIQUE,
  kind                text NOT NULL CHECK (kind IN ('confirm', 'welcome', 'goodbye', 'reminder')),
  subscriber_id       bigint REFERENCES subscribers (id),
  to_email            text NOT NULL,
  subject             text NOT NULL,
  html                text NOT NULL,
  text                text NOT NULL,
  headers             jsonb NOT NULL DEFAULT '{}',
  idempotency_key     text NOT NULL UNIQUE,
  status              text NOT NULL DEFAULT 'queued'
                      CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'suppressed')),
  attempts            integer NOT NULL DEFAULT 0,
  claimed_until       timestamptz,
  provider_message_id text,
  last_error          text,
  created_at          timestamptz NOT NULL DEFAULT now(),
  sent_at             timestamptz,
  delivered_at        timestamptz,
  bounced_at          timestamptz,
  complained_at       timestamptz
);

CREATE INDEX transactional_mails_provider_idx ON transactional_mails (provider_message_id)
  WHERE provider_message_id IS NOT NULL;

-- Every verified webhook, once: the provider's event id is the key.
CREATE TABLE webhook_events (
  id                  text PRIMARY KEY,
  signed_at           bigint NOT NULL,
  type                text NOT NULL,
  provider_message_id text,
  recipient           text,
  payload             jsonb NOT NULL,
  received_at         timestamptz NOT NULL DEFAULT now()
);

-- One shared request budget for every worker process. `next_slot` is the
-- database time the next request may start (each request takes the slot and
-- moves it on by 1/limit s); a 429 sets `paused_until` to the provider's
-- retry-after, and every worker waits for it before it sends.
CREATE TABLE send_rate (
  name          text PRIMARY KEY,
  next_slot     timestamptz NOT NULL DEFAULT now(),
  paused_until  timestamptz
);
