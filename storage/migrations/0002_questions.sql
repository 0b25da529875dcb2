-- FAQ questions as asked (the unanswered log for curators) and phrasings curated by staff.
CREATE TABLE questions (
    id           INTEGER PRIMARY KEY,
    user_pk      INTEGER REFERENCES users(id) ON DELETE SET NULL,
    channel      TEXT NOT NULL,
    language     TEXT NOT NULL,          -- the user's language when asking
    text         TEXT NOT NULL,
    topic        TEXT,                   -- best topic id (even when not answered)
    score        REAL NOT NULL,
    answered     INTEGER NOT NULL,       -- 1 answered, 0 fell back
    status       TEXT NOT NULL DEFAULT 'new',  -- new | linked | ignored (curation)
    linked_topic TEXT,
    created_at   TEXT NOT NULL
);
CREATE INDEX questions_created ON questions (created_at);
CREATE INDEX questions_unanswered ON questions (answered, status);

-- Sample questions added by staff from the unanswered log; live at once, survive reloads.
CREATE TABLE faq_phrasings (
    id         INTEGER PRIMARY KEY,
    topic      TEXT NOT NULL,
    language   TEXT NOT NULL,
    text       TEXT NOT NULL,
    created_by TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (topic, language, text)
);
