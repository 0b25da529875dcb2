-- Talk to a person: tickets, their messages, and a durable outbox for one-to-one messages
-- (staff replies to users, notifications and threads to agents). Portable SQL: it also runs on
-- PostgreSQL (no AUTOINCREMENT, no SQLite-only functions; a partial unique index both know).
CREATE TABLE tickets (
    id             INTEGER PRIMARY KEY,
    user_pk        INTEGER REFERENCES users(id) ON DELETE SET NULL,  -- NULL once erased
    channel        TEXT NOT NULL,          -- the user's channel
    language       TEXT NOT NULL,          -- the user's language when it was opened
    status         TEXT NOT NULL DEFAULT 'open',   -- open | closed
    question       TEXT,                   -- NULL once erased
    assignee       TEXT,                   -- channel:user_id of the agent who took it
    assignee_name  TEXT,
    opened_at      TEXT NOT NULL,
    first_reply_at TEXT,                   -- first staff reply
    last_user_at   TEXT,                   -- the user's last message
    waiting_since  TEXT,                   -- the user is waiting for staff since (NULL: not waiting)
    realerted_at   TEXT,                   -- all agents were alerted again (once)
    closed_at      TEXT,
    closed_by      TEXT,                   -- 'user', 'erased' or the agent's channel:user_id
    rating         TEXT                    -- up | down, after closing
);
-- One open ticket per user: a second one cannot be written, whatever the race.
CREATE UNIQUE INDEX tickets_one_open ON tickets (user_pk) WHERE status = 'open';
CREATE INDEX tickets_status ON tickets (status, opened_at);

CREATE TABLE ticket_messages (
    id          INTEGER PRIMARY KEY,
    ticket_id   INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    author      TEXT NOT NULL,             -- user | staff
    staff_key   TEXT,                      -- channel:user_id of the agent (author staff)
    text        TEXT NOT NULL DEFAULT '',
    media_id    INTEGER REFERENCES broadcast_media(id) ON DELETE SET NULL,  -- a photo/document
    created_at  TEXT NOT NULL
);
CREATE INDEX ticket_messages_ticket ON ticket_messages (ticket_id, id);

-- Agents' choices: show their display name to users or not.
CREATE TABLE agent_prefs (
    channel    TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    show_name  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (channel, user_id)
);

-- One-to-one messages waiting to be sent, worked through by each channel's outbox sender
-- beside broadcast deliveries (same rate limit, retries, blocked users).
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    channel         TEXT NOT NULL,
    user_id         TEXT NOT NULL,         -- the recipient on that channel
    purpose         TEXT NOT NULL,         -- notify | thread | reply | notice
    ticket_id       INTEGER REFERENCES tickets(id) ON DELETE CASCADE,
    replies         TEXT NOT NULL,         -- JSON list of replies
    status          TEXT NOT NULL DEFAULT 'pending',  -- pending | sending | sent | held | failed | blocked
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    error           TEXT,
    message_id      TEXT,                  -- the platform's id of the first message sent
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX outbox_queue ON outbox (channel, status, id);
CREATE INDEX outbox_ticket ON outbox (ticket_id, purpose);
CREATE INDEX outbox_message ON outbox (channel, user_id, message_id);
