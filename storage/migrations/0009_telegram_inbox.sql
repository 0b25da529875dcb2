-- Telegram updates stored before Telegram is told they arrived; deleted once answered.
CREATE TABLE telegram_inbox (
    update_id INTEGER PRIMARY KEY,
    body TEXT NOT NULL,          -- the update as Telegram sent it (JSON)
    received_at TEXT NOT NULL
);
