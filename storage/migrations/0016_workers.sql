-- Several workers on one database: which worker holds a delivery it is sending, and until
-- when. A worker killed mid-send leaves its rows 'sending'; once the lease has expired any
-- worker puts them back to pending (sent again: at most one extra copy per send in flight).
ALTER TABLE deliveries ADD COLUMN claimed_by TEXT;
ALTER TABLE deliveries ADD COLUMN lease_until TEXT;
CREATE INDEX deliveries_lease ON deliveries (status, lease_until);
