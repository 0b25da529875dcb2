-- A question that leans on the answer before it ("biayanya?", "how long does it take?") is read
-- with that topic's title (handlers/follow_up.py). A typed question's topic is in `questions`
-- already: this index finds a user's last one. A topic chosen with a button is logged nowhere
-- else, so the user's row keeps the last one chosen and when (its id only).
CREATE INDEX questions_user ON questions (user_pk, id);
ALTER TABLE users ADD COLUMN topic TEXT;
ALTER TABLE users ADD COLUMN topic_at TEXT;
