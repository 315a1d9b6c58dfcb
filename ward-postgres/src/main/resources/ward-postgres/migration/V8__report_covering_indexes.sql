-- The availability report (issue 16, docs/availability.md, docs/benchmarks.md "Availability report")
-- reads, for every device, the seconds of each status from the roll-ups of a range of buckets, and
-- the outage boundaries from state_changes. These indexes hold exactly the columns it reads, so
-- both are index-only scans of a fraction of the tables' bytes (the heap is read only for pages the
-- visibility map does not mark all-visible: the buckets rolled up since the last vacuum).

-- Replaces the V7 (bucket) indexes: same leading column, so every read by bucket range (the
-- dashboards, expiry) can still use it.
CREATE INDEX device_daily_bucket_cover_idx ON device_daily (bucket)
    INCLUDE (device_id, up_seconds, down_seconds, unreachable_seconds, unknown_seconds);
DROP INDEX device_daily_bucket_idx;
CREATE INDEX device_hourly_bucket_cover_idx ON device_hourly (bucket)
    INCLUDE (device_id, up_seconds, down_seconds, unreachable_seconds, unknown_seconds);
DROP INDEX device_hourly_bucket_idx;

-- The device's own changes (if_index 0) in the order the report walks them (device, at, id), with
-- the two statuses it compares: no sort and no heap fetch for the outage pass.
CREATE INDEX state_changes_device_own_idx ON state_changes (device_id, at, id)
    INCLUDE (from_status, to_status) WHERE if_index = 0;
