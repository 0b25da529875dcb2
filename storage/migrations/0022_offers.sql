-- A yes/no question the bot asked outside the registration form (/hapus's "erase your data?",
-- "stop announcements?"): the payloads of its yes and no buttons (JSON: {"yes": ..., "no": ...},
-- "no" may be null) and when it was asked. The next message, whatever it is, clears it; a typed
-- "ya" or "ga" within a few minutes answers the question as its button would (handlers/offers.py).
ALTER TABLE users ADD COLUMN offer TEXT;
ALTER TABLE users ADD COLUMN offer_at TEXT;
