-- Every message a one-to-one outbox row became. A card or thread message may go out as several
-- chat messages (a long text split at the channel's limit; a file, then the text with buttons);
-- an agent's reply to any of them must name its ticket, not only a reply to the first.
CREATE TABLE outbox_parts (
    outbox_id   INTEGER NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,
    channel     TEXT NOT NULL,             -- the recipient's channel and id, as on the outbox row
    user_id     TEXT NOT NULL,
    message_id  TEXT NOT NULL,             -- the platform's id of one message sent
    PRIMARY KEY (outbox_id, message_id)
);
CREATE INDEX outbox_parts_message ON outbox_parts (channel, user_id, message_id);
-- Messages sent before this migration: their first part is known.
INSERT INTO outbox_parts (outbox_id, channel, user_id, message_id)
    SELECT id, channel, user_id, message_id FROM outbox
    WHERE message_id IS NOT NULL AND ticket_id IS NOT NULL AND status = 'sent';
