-- A broadcast may carry a version of its text per language: JSON {"en": "...", "ms": "..."}.
-- Recipients get their language's version; `text` stays the main text, used for every other.
ALTER TABLE broadcasts ADD COLUMN texts TEXT NOT NULL DEFAULT '{}';
