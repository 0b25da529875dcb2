-- One business registration per user, with its consent record and review outcome.
CREATE TABLE registrations (
    id                INTEGER PRIMARY KEY,
    user_pk           INTEGER NOT NULL UNIQUE REFERENCES users(id) ON DELETE CASCADE,
    reference         TEXT UNIQUE,            -- UMKM-2026-000123, set on submit
    status            TEXT NOT NULL,          -- submitted | verified | rejected
    owner_name        TEXT NOT NULL,
    business_name     TEXT NOT NULL,
    subsector         TEXT NOT NULL,          -- kuliner, fesyen, kriya, ... or lainnya
    subsector_other   TEXT,
    description       TEXT NOT NULL,
    city              TEXT NOT NULL,
    district          TEXT NOT NULL,
    phone             TEXT NOT NULL,          -- E.164
    email             TEXT,
    nib               TEXT,
    scale             TEXT NOT NULL,          -- mikro | kecil | menengah
    export_experience TEXT NOT NULL,          -- none | once | regular
    export_countries  TEXT,
    interests         TEXT NOT NULL DEFAULT '[]',  -- JSON list
    website           TEXT,
    language          TEXT NOT NULL,
    consent_at        TEXT NOT NULL,
    consent_version   TEXT NOT NULL,
    staff_note        TEXT,
    reviewed_by       TEXT,
    reviewed_at       TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE INDEX registrations_phone ON registrations (phone);
CREATE INDEX registrations_status ON registrations (status);
