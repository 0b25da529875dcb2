-- Rates that hold across every worker on one database (storage/pace.py): each row is the
-- recent past of one key, a few seconds' worth, pruned by the leader:
--   rate:CHANNEL          the channel's next free send slot (BROADCAST_RATE, 429 pauses)
--   chat:CHANNEL:USER     when that chat may get its next message (one per second)
--   flood:CHANNEL:USER    the user's flood bucket (FLOOD_RATE, FLOOD_BURST)
-- Times are seconds since the epoch. On PostgreSQL the table is UNLOGGED (0019_pace.postgresql.sql):
-- nothing in it is worth a write-ahead log; a crash of the database server empties it, which
-- merely forgives a flooder early.
CREATE TABLE pace (
    key     TEXT PRIMARY KEY,
    next_at REAL NOT NULL,          -- rate/chat: next free time; flood: last check
    tokens  REAL NOT NULL DEFAULT 0, -- flood: tokens left
    warned  INTEGER NOT NULL DEFAULT 0 -- flood: messages refused since the last one allowed
);
CREATE INDEX pace_next_at ON pace (next_at);
