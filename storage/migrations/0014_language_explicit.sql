-- users.language is the language the assistant answers in. It follows the language the user
-- writes in until the user chooses one explicitly (/bahasa, a language button, or a request in
-- words such as "reply in English"); then language_explicit = 1 and detection leaves it alone.
-- Every language stored before this migration was chosen explicitly (there was no detection).
ALTER TABLE users ADD COLUMN language_explicit INTEGER NOT NULL DEFAULT 0;
UPDATE users SET language_explicit = 1 WHERE language IS NOT NULL;
