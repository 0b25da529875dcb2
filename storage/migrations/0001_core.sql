-- Users of every channel and their conversation state.
CREATE TABLE users (
    id           INTEGER PRIMARY KEY,
    channel      TEXT NOT NULL,
    user_id      TEXT NOT NULL,
    display_name TEXT,
    language     TEXT,
    subscribed   INTEGER NOT NULL DEFAULT 1,
    blocked      INTEGER NOT NULL DEFAULT 0,
    first_seen   TEXT NOT NULL,
    last_seen    TEXT NOT NULL,
    UNIQUE (channel, user_id)
);

CREATE TABLE conversations (
    user_pk    INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    flow       TEXT NOT NULL,
    step       TEXT NOT NULL,
    draft      TEXT NOT NULL DEFAULT '{}',
    updated_at TEXT NOT NULL
);
