-- What the platform reported after a delivery was sent (WhatsApp status webhooks).
ALTER TABLE deliveries ADD COLUMN receipt TEXT;      -- delivered | read | failed
ALTER TABLE deliveries ADD COLUMN receipt_at TEXT;
CREATE INDEX deliveries_message ON deliveries (channel, message_id);
