-- Several workers on one database (storage/claims.py, channels/common/inbox.py): the one-to-one
-- outbox and the inbox get the leases broadcast deliveries have (0016). A worker's claims name
-- it and last until `lease_until`; it renews them while it works. A worker killed mid-send or
-- mid-answer stops renewing, and once the lease has expired another worker takes the rows:
-- an outbox message is sent again, an inbox message is finished (answered, its stored replies
-- sent, or the user told it was cut off).
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
ALTER TABLE outbox ADD COLUMN lease_until TEXT;
CREATE INDEX outbox_lease ON outbox (status, lease_until);
ALTER TABLE inbox ADD COLUMN claimed_by TEXT;
ALTER TABLE inbox ADD COLUMN lease_until TEXT;
CREATE INDEX inbox_lease ON inbox (status, lease_until);
