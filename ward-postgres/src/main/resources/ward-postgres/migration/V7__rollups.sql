-- Roll-ups (issue 16, docs/storage.md "Roll-ups"): hourly and daily aggregates per device and per
-- interface, as Zabbix trends. Buckets are UTC hours and UTC days ([bucket, bucket + 1 h or 1 d)),
-- whatever the server's or the session's time zone, so a DST change neither doubles nor loses an
-- hour. The hourly maintenance (PostgresStorage.runMaintenance) fills them incrementally from the
-- raw rows and upserts by (device, bucket): re-running gives the same rows. This migration only
-- creates tables; the first maintenance run after the upgrade backfills them from the raw rows
-- still kept (rollup_progress.rolled_to is NULL until then).

-- Per device and hour, from ping_results (every check of the device) and state_changes
-- (if_index 0). rtt_avg_ms is the mean of the results' averages weighted by their answered probes
-- (rtt_weight); the *_seconds columns count how long the device was in each state within the
-- bucket (up to the run's "now" for the current hour). Hours without any result have no row.
CREATE TABLE device_hourly (
    device_id           uuid             NOT NULL,
    bucket              timestamptz      NOT NULL,
    results             integer          NOT NULL CHECK (results >= 0),
    probes_sent         bigint           NOT NULL CHECK (probes_sent >= 0),
    probes_answered     bigint           NOT NULL CHECK (probes_answered >= 0 AND probes_answered <= probes_sent),
    loss_pct            double precision GENERATED ALWAYS AS
                            (CASE WHEN probes_sent > 0 THEN 100.0 * (probes_sent - probes_answered) / probes_sent END) STORED,
    rtt_min_ms          double precision,
    rtt_avg_ms          double precision,
    rtt_max_ms          double precision,
    rtt_weight          bigint           NOT NULL DEFAULT 0 CHECK (rtt_weight >= 0),
    up_seconds          double precision NOT NULL DEFAULT 0,
    down_seconds        double precision NOT NULL DEFAULT 0,
    unreachable_seconds double precision NOT NULL DEFAULT 0,
    unknown_seconds     double precision NOT NULL DEFAULT 0,
    PRIMARY KEY (device_id, bucket)
);
CREATE INDEX device_hourly_bucket_idx ON device_hourly (bucket);

-- Per device and UTC day, from device_hourly (same columns, same meaning).
CREATE TABLE device_daily (LIKE device_hourly INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED);
ALTER TABLE device_daily ADD PRIMARY KEY (device_id, bucket);
CREATE INDEX device_daily_bucket_idx ON device_daily (bucket);

-- Per interface and hour, from interface_samples. Rates are bits (octets x 8) per second as the
-- sink computed them; utilisation in percent (0-100); errors and discards per second. *_n count
-- the samples that had a rate, a utilisation and an error rate: the weights of the averages.
CREATE TABLE interface_hourly (
    device_id             uuid             NOT NULL,
    if_index              integer          NOT NULL,
    bucket                timestamptz      NOT NULL,
    samples               integer          NOT NULL CHECK (samples >= 0),
    rate_n                integer          NOT NULL DEFAULT 0,
    in_bps_avg            double precision,
    in_bps_max            double precision,
    out_bps_avg           double precision,
    out_bps_max           double precision,
    util_n                integer          NOT NULL DEFAULT 0,
    in_util_pct_avg       double precision,
    in_util_pct_max       double precision,
    out_util_pct_avg      double precision,
    out_util_pct_max      double precision,
    err_n                 integer          NOT NULL DEFAULT 0,
    in_errors_ps_avg      double precision,
    out_errors_ps_avg     double precision,
    in_discards_ps_avg    double precision,
    out_discards_ps_avg   double precision,
    PRIMARY KEY (device_id, if_index, bucket)
);
CREATE INDEX interface_hourly_bucket_idx ON interface_hourly (bucket);

CREATE TABLE interface_daily (LIKE interface_hourly INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
ALTER TABLE interface_daily ADD PRIMARY KEY (device_id, if_index, bucket);
CREATE INDEX interface_daily_bucket_idx ON interface_daily (bucket);

-- How far the roll-ups are built: every hour before rolled_to is rolled up (the maintenance
-- re-rolls a few hours before it each run, for results that arrived late from the spool).
-- NULL: never run; the next maintenance backfills from the oldest raw day kept.
CREATE TABLE rollup_progress (
    singleton boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    rolled_to timestamptz
);
INSERT INTO rollup_progress (singleton, rolled_to) VALUES (true, NULL);

-- The roll-ups read a window of time across every device: the primary keys lead with the device,
-- so without these each hourly run would scan its whole day's partition. Rows arrive in time
-- order, which is what a BRIN index needs; it costs a few pages per partition and little on ingest.
CREATE INDEX ping_results_at_brin ON ping_results USING brin (at);
CREATE INDEX interface_samples_at_brin ON interface_samples USING brin (at);

-- Expiring state changes, alerts and silences by time (PostgresOptions.eventRetention).
CREATE INDEX alerts_resolved_idx ON alerts (resolved_at) WHERE resolved_at IS NOT NULL;
