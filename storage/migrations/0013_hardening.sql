-- Update ids already received, per channel: an update posted again after it was answered (and
-- left the inbox) is recognised for a retention window instead of being answered twice.
CREATE TABLE inbox_seen (
    channel   TEXT NOT NULL,
    update_id TEXT NOT NULL,
    seen_at   TEXT NOT NULL,
    PRIMARY KEY (channel, update_id)
);
CREATE INDEX inbox_seen_at ON inbox_seen (seen_at);
