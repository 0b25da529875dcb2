-- Broadcasts and their durable outbox: one delivery row per recipient, written before sending.
CREATE TABLE broadcasts (
    id                  INTEGER PRIMARY KEY,
    creator_channel     TEXT NOT NULL,          -- the staff member who composed it
    creator_user_id     TEXT NOT NULL,
    creator_language    TEXT NOT NULL,          -- language of their progress and report
    text                TEXT NOT NULL,          -- the template (checked at compose time)
    audience            TEXT NOT NULL DEFAULT '{}',  -- JSON filters
    status              TEXT NOT NULL,          -- scheduled | sending | done | cancelled
    scheduled_at        TEXT,                   -- UTC; when a scheduled one is due
    total               INTEGER NOT NULL DEFAULT 0,
    progress_message_id TEXT,                   -- the staff message edited in place
    created_at          TEXT NOT NULL,
    started_at          TEXT,
    finished_at         TEXT
);
CREATE INDEX broadcasts_status ON broadcasts (status, scheduled_at);

CREATE TABLE deliveries (
    id              INTEGER PRIMARY KEY,
    broadcast_id    INTEGER NOT NULL REFERENCES broadcasts(id) ON DELETE CASCADE,
    user_pk         INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    channel         TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending',  -- pending | sending | sent | failed | blocked | skipped | cancelled
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,                   -- UTC; NULL = now
    error           TEXT,
    message_id      TEXT,
    updated_at      TEXT NOT NULL,
    UNIQUE (broadcast_id, user_pk)
);
CREATE INDEX deliveries_queue ON deliveries (channel, status, id);
CREATE INDEX deliveries_broadcast ON deliveries (broadcast_id, status);
