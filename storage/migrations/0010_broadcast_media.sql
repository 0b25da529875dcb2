-- A photo or document sent with a broadcast: the bytes stored once, and per channel the id the
-- platform gave the uploaded file (Telegram file_id, WhatsApp media id), so a restart reuses it.
CREATE TABLE broadcast_media (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,          -- photo | document
    filename    TEXT NOT NULL,
    mime_type   TEXT NOT NULL,
    size        INTEGER NOT NULL,       -- bytes
    sha256      TEXT NOT NULL,
    data        BLOB NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE broadcast_media_refs (
    media_id    INTEGER NOT NULL REFERENCES broadcast_media(id) ON DELETE CASCADE,
    channel     TEXT NOT NULL,
    ref         TEXT NOT NULL,          -- the platform's id of the uploaded file
    created_at  TEXT NOT NULL,
    PRIMARY KEY (media_id, channel)
);

-- Drafts refer to their media by id in conversations.draft (JSON key media_id).
ALTER TABLE broadcasts ADD COLUMN media_id INTEGER REFERENCES broadcast_media(id) ON DELETE SET NULL;
