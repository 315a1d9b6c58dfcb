-- The availability report over whole days without a pass over state_changes and with 2 rows per
-- device instead of one per day (issue 16; docs/availability.md, docs/benchmarks.md "Availability
-- report", docs/storage.md "Roll-ups"). Both are filled by the roll-up job (Rollups): this
-- migration only adds them, and the first maintenance run after the upgrade backfills them (and
-- then sets rollup_progress.report_ready); until then the report reads state_changes as before.
-- No index is built on an existing table here (the ALTERs below add nullable columns without a
-- default: a catalog change, no rewrite), so this migration does not block writes for long.

-- Per device and UTC day, running totals of the seconds in each status: the device's sum of the
-- *_seconds columns over its rows up to and including this one, in numeric (exact: the difference
-- of two rows is exactly the sum of the rows between them). A range of days is then the last
-- row's total minus the first row's plus the first row's own seconds: 2 rows a device, whatever
-- the number of days, and still right after the expiry deleted older rows.
ALTER TABLE device_daily
    ADD COLUMN cum_up_seconds          numeric,
    ADD COLUMN cum_down_seconds        numeric,
    ADD COLUMN cum_unreachable_seconds numeric,
    ADD COLUMN cum_unknown_seconds     numeric;

-- Per device, UTC day and outage definition (unreachable_down: DOWN or UNREACHABLE is an outage;
-- else DOWN only), the outage boundaries of the day in state_changes (if_index 0): the changes
-- whose from_status and to_status differ in being an outage status. A row only for a day with at
-- least one boundary (a day with state changes but no results has one too: it is not in
-- device_daily). In the order (at, id):
--   entries          the boundaries that enter an outage;
--   first_at/_in     the first boundary, and whether it enters an outage (false: it leaves one, so
--                    an outage was running when the day began);
--   last_at/_in      the last boundary, and whether it enters an outage (true: one still runs at
--                    the end of the day; it ends at the next boundary of a later day);
--   longest_seconds  the longest outage entered and left (the next boundary) within the day, or NULL.
CREATE TABLE device_outage_daily (
    device_id        uuid             NOT NULL,
    bucket           timestamptz      NOT NULL,
    unreachable_down boolean          NOT NULL,
    entries          integer          NOT NULL CHECK (entries >= 0),
    first_at         timestamptz      NOT NULL,
    first_in         boolean          NOT NULL,
    last_at          timestamptz      NOT NULL,
    last_in          boolean          NOT NULL,
    longest_seconds  double precision CHECK (longest_seconds >= 0),
    PRIMARY KEY (device_id, bucket, unreachable_down),
    -- '24 hours', not '1 day': a day of timestamptz arithmetic follows the session's time zone (23 or
    -- 25 hours on a DST change); the buckets are UTC days
    CHECK (first_at >= bucket AND last_at >= first_at AND last_at < bucket + INTERVAL '24 hours'),
    CHECK (entries >= first_in::int + (last_in AND last_at > first_at)::int)
);
-- The report reads one definition over a range of days: an index-only scan (a new, empty table:
-- a plain CREATE INDEX costs nothing here).
CREATE INDEX device_outage_daily_report_idx ON device_outage_daily (unreachable_down, bucket)
    INCLUDE (device_id, entries, first_at, first_in, last_at, last_in, longest_seconds);

-- Whether device_outage_daily and the running totals are built for every day the roll-ups and the
-- state changes have (set by the roll-up job's first run after this upgrade).
ALTER TABLE rollup_progress ADD COLUMN report_ready boolean NOT NULL DEFAULT false;
