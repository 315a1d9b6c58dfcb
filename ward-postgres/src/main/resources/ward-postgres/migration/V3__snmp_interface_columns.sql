-- What an SNMP poll produces that V1 had no column for (docs/storage.md, "SNMP results").
-- Columns only; nothing is rewritten (ADD COLUMN without a volatile default is a catalog change,
-- and on a partitioned table it reaches every partition).

-- Discovered attributes: ifMtu, and the named groups a classification rule captured beyond provider.
ALTER TABLE interfaces ADD COLUMN mtu integer;
ALTER TABLE interfaces ADD COLUMN attributes jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(attributes) = 'object');

-- Per sample: admin status (oper_status is in V1), whether octets and unicast packets are 64-bit
-- (ifHC*) or 32-bit (ifTable) counters, and utilisation in percent (0-100) in and out.
ALTER TABLE interface_samples ADD COLUMN admin_status text;
ALTER TABLE interface_samples ADD COLUMN hc_counters boolean;
ALTER TABLE interface_samples ADD COLUMN in_util_pct double precision;
ALTER TABLE interface_samples ADD COLUMN out_util_pct double precision;
