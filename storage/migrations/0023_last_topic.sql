-- The FAQ topic last answered to the user (typed, or chosen with a button) and when: a question
-- that leans on it ("biayanya?", "how long does it take?") is read with that topic's title
-- (handlers/understanding.py). Only the topic's id, never the question's text.
ALTER TABLE users ADD COLUMN topic TEXT;
ALTER TABLE users ADD COLUMN topic_at TEXT;
