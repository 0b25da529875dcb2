-- One inbox for every channel (replaces telegram_inbox and whatsapp_seen). A message is stored
-- before the platform is told it arrived and kept until its replies are delivered:
--   received  stored, handling not started: handled from scratch after a crash
--   handling  the core may have stored part of its effects: never handled again after a crash
--   replied   the core's replies are in `replies` (JSON): sent again after a crash
--   done      delivered (or given up); body and replies cleared, the row kept a while so that
--             a re-delivered message id is recognised
CREATE TABLE inbox (
    id          INTEGER PRIMARY KEY,   -- arrival order: replayed in this order
    channel     TEXT NOT NULL,
    message_key TEXT NOT NULL,         -- the platform's id: Telegram update_id, WhatsApp wamid
    body        TEXT,                  -- the message as the channel stored it (JSON)
    status      TEXT NOT NULL DEFAULT 'received'
                CHECK (status IN ('received', 'handling', 'replied', 'done')),
    replies     TEXT,                  -- with status 'replied'
    received_at TEXT NOT NULL,
    UNIQUE (channel, message_key)
);
CREATE INDEX inbox_status ON inbox (status, id);
CREATE INDEX inbox_received_at ON inbox (received_at);

INSERT INTO inbox (channel, message_key, body, status, replies, received_at)
    SELECT 'telegram', CAST(update_id AS TEXT), body, status, replies, received_at
    FROM telegram_inbox ORDER BY update_id;
INSERT INTO inbox (channel, message_key, status, received_at)
    SELECT 'whatsapp', message_id, 'done', seen_at FROM whatsapp_seen;
DROP TABLE telegram_inbox;
DROP TABLE whatsapp_seen;
