-- Registration extras: whether the phone number was proven to be the user's own, when the
-- registration was last (re)submitted, and anonymous counts of data erasures (/hapus).
ALTER TABLE registrations ADD COLUMN phone_verified INTEGER NOT NULL DEFAULT 0;
ALTER TABLE registrations ADD COLUMN submitted_at TEXT;
CREATE INDEX registrations_subsector ON registrations (subsector);

-- No link to any user: only how many erasures happened per month.
CREATE TABLE erasures (
    month TEXT PRIMARY KEY,              -- YYYY-MM
    count INTEGER NOT NULL DEFAULT 0
);
