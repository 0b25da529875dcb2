-- WhatsApp Cloud API: webhook de-duplication, the 24-hour window, last options, sent messages.

-- Message ids already handled (Meta re-delivers webhooks it thinks were not acknowledged).
CREATE TABLE whatsapp_seen (
    message_id TEXT PRIMARY KEY,
    seen_at    TEXT NOT NULL
);
CREATE INDEX whatsapp_seen_at ON whatsapp_seen (seen_at);

-- One row per WhatsApp user (wa_id): last inbound message time and the options last shown.
CREATE TABLE whatsapp_contacts (
    wa_id            TEXT PRIMARY KEY,
    last_inbound_at  TEXT,
    options          TEXT NOT NULL DEFAULT '[]',  -- JSON [[label, payload], ...]
    options_numbered INTEGER NOT NULL DEFAULT 0   -- 1 when shown as numbered text
);

-- Every message we sent (wamid), so status webhooks can be matched and followed up.
CREATE TABLE whatsapp_messages (
    wamid         TEXT PRIMARY KEY,
    wa_id         TEXT NOT NULL,
    origin_wamid  TEXT,      -- the free-text message this template replaced (131047)
    fallback_text TEXT,      -- announcement text, kept to re-send as a template
    status        TEXT NOT NULL DEFAULT 'accepted',
    error_code    INTEGER,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX whatsapp_messages_created ON whatsapp_messages (created_at);
