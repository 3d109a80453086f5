-- Digest: issues are composed into `issues` (0002) as frozen content; this
-- adds what the archive and click tracking need.

-- When the content was last composed (a draft may be recomposed; once
-- sending starts it is frozen).
ALTER TABLE issues ADD COLUMN composed_at timestamptz NOT NULL DEFAULT now();

-- The archive lists sent issues newest first.
CREATE INDEX issues_archive_idx ON issues (week DESC) WHERE status <> 'draft';

-- One row per (issue, subscriber, link): a reader's first click on a link.
-- Repeat clicks redirect without a new row (DO NOTHING on the key).
CREATE TABLE clicks (
  issue_id      bigint NOT NULL REFERENCES issues (id) ON DELETE CASCADE,
  subscriber_id bigint NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
  link_id       text NOT NULL,
  clicked_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (issue_id, subscriber_id, link_id)
);

-- Per-link counts of an issue (admin page).
CREATE INDEX clicks_link_idx ON clicks (issue_id, link_id);
