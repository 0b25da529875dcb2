-- Staff roles granted from the chat (admins also come from ADMIN_IDS) and the staff audit log.
CREATE TABLE staff_roles (
    channel    TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    role       TEXT NOT NULL,          -- admin | broadcaster | reviewer | viewer
    granted_by TEXT NOT NULL,          -- channel:user_id of the admin
    granted_at TEXT NOT NULL,
    PRIMARY KEY (channel, user_id, role)
);

-- Every staff action: who (channel:user_id), what, on what, details, when.
CREATE TABLE audit (
    id         INTEGER PRIMARY KEY,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,          -- e.g. role.grant, review.verify, export.xlsx
    target     TEXT,
    detail     TEXT NOT NULL DEFAULT '{}',  -- JSON object
    created_at TEXT NOT NULL
);
CREATE INDEX audit_created ON audit (created_at);
CREATE INDEX audit_actor ON audit (actor);
