-- A Telegram update stays in the inbox until its replies are delivered, with how far it got:
--   received  stored, handling not started: replayed after a crash (handled from scratch)
--   handling  the core may have stored part of its effects: never handled again after a crash
--   replied   the core's replies are in `replies` (JSON): sent again after a crash, not re-handled
ALTER TABLE telegram_inbox ADD COLUMN status TEXT NOT NULL DEFAULT 'received'
    CHECK (status IN ('received', 'handling', 'replied'));
ALTER TABLE telegram_inbox ADD COLUMN replies TEXT;  -- set with status 'replied'
