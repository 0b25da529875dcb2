-- 0019_pace.sql on PostgreSQL: the same table, UNLOGGED (no write-ahead log for a few
-- seconds of rate state; emptied if the database server crashes).
CREATE UNLOGGED TABLE pace (
    key     TEXT COLLATE "C" PRIMARY KEY,
    next_at DOUBLE PRECISION NOT NULL,
    tokens  DOUBLE PRECISION NOT NULL DEFAULT 0,
    warned  BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX pace_next_at ON pace (next_at);
