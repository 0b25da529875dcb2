-- The staff web workspace: one-time sign-in links sent in the chat, and signed-in sessions.
-- Only SHA-256 hashes of the link tokens and session ids are stored, never the values.
CREATE TABLE staff_login_links (
    token_hash  TEXT PRIMARY KEY,
    channel     TEXT NOT NULL,          -- the staff member who asked with /masuk
    user_id     TEXT NOT NULL,
    created_at  TEXT NOT NULL,          -- UTC
    expires_at  TEXT NOT NULL,          -- UTC; 10 minutes after created_at
    used_at     TEXT                    -- set once: a link opens one session only
);

CREATE TABLE staff_sessions (
    id_hash       TEXT PRIMARY KEY,
    channel       TEXT NOT NULL,
    user_id       TEXT NOT NULL,
    csrf_token    TEXT NOT NULL,        -- sent back with every state-changing request
    created_at    TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL,        -- idle timeout counts from here
    ended_at      TEXT                  -- sign-out, idle expiry
);
CREATE INDEX staff_sessions_member ON staff_sessions (channel, user_id);
