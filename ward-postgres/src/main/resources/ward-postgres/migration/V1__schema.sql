-- ward's schema. Flyway migrations in ward-postgres are the single source of truth; the jOOQ
-- classes under io.github.wardops.ward.postgres.internal.jooq are generated from a database
-- migrated by these files (see docs/storage.md). Every timestamp is timestamptz (UTC instants).

-- SNMP credentials. Communities and v3 passphrases are AES-256-GCM ciphertexts (12-byte nonce
-- followed by ciphertext and tag); the key comes from configuration, never from this database.
-- key_id names the key that encrypted the row's secrets, so keys can be rotated row by row.
CREATE TABLE snmp_credentials (
    id               uuid        PRIMARY KEY,
    name             text        NOT NULL UNIQUE,
    version          text        NOT NULL CHECK (version IN ('v1', 'v2c', 'v3')),
    key_id           text,
    community_enc    bytea,
    v3_user          text,
    v3_auth_protocol text,
    v3_auth_pass_enc bytea,
    v3_priv_protocol text,
    v3_priv_pass_enc bytea,
    v3_context       text,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CHECK (key_id IS NOT NULL OR (community_enc IS NULL AND v3_auth_pass_enc IS NULL AND v3_priv_pass_enc IS NULL))
);

CREATE TABLE devices (
    id                 uuid        PRIMARY KEY,
    name               text        NOT NULL CHECK (name <> ''),
    address            inet        NOT NULL,
    labels             jsonb       NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(labels) = 'object'),
    parent_id          uuid        REFERENCES devices (id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
    enabled            boolean     NOT NULL DEFAULT true,
    snmp_credential_id uuid        REFERENCES snmp_credentials (id) ON DELETE SET NULL,
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CHECK (parent_id IS NULL OR parent_id <> id)
);
CREATE INDEX devices_parent_idx ON devices (parent_id);

-- A counter that moves on every change to devices, so an inventory source polls one row
-- instead of the whole table.
CREATE TABLE inventory_version (
    singleton  boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    version    bigint      NOT NULL,
    changed_at timestamptz NOT NULL
);
INSERT INTO inventory_version (singleton, version, changed_at) VALUES (true, 0, now());

CREATE FUNCTION ward_bump_inventory_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE inventory_version SET version = version + 1, changed_at = now() WHERE singleton;
    RETURN NULL;
END
$$;
CREATE TRIGGER devices_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON devices
    FOR EACH STATEMENT EXECUTE FUNCTION ward_bump_inventory_version();

-- Current state per device, written by the state machine so a restart resumes it. No foreign
-- key: devices may come from a CSV file rather than this database.
CREATE TABLE device_state (
    device_id      uuid        PRIMARY KEY,
    status         text        NOT NULL CHECK (status IN ('UP', 'DOWN', 'UNKNOWN')),
    down_since     timestamptz,
    last_change    timestamptz,
    flapping       boolean     NOT NULL DEFAULT false,
    flapping_since timestamptz,
    recent_changes integer     NOT NULL DEFAULT 0 CHECK (recent_changes >= 0),
    updated_at     timestamptz NOT NULL
);

CREATE TABLE state_changes (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    device_id   uuid        NOT NULL,
    at          timestamptz NOT NULL,
    from_status text        NOT NULL CHECK (from_status IN ('UP', 'DOWN', 'UNKNOWN')),
    to_status   text        NOT NULL CHECK (to_status IN ('UP', 'DOWN', 'UNKNOWN')),
    flapping    boolean     NOT NULL DEFAULT false,
    reason      text        NOT NULL DEFAULT '',
    UNIQUE (device_id, at, to_status)
);
CREATE INDEX state_changes_at_idx ON state_changes (at);

-- One open alert per (device, rule); resolved ones stay as history.
CREATE TABLE alerts (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    device_id   uuid        NOT NULL,
    rule        text        NOT NULL,
    severity    text        NOT NULL,
    message     text        NOT NULL DEFAULT '',
    opened_at   timestamptz NOT NULL,
    resolved_at timestamptz,
    details     jsonb       NOT NULL DEFAULT '{}'::jsonb,
    CHECK (resolved_at IS NULL OR resolved_at >= opened_at)
);
CREATE UNIQUE INDEX alerts_one_open_idx ON alerts (device_id, rule) WHERE resolved_at IS NULL;
CREATE INDEX alerts_opened_idx ON alerts (opened_at);

-- Interfaces discovered by SNMP: one row per (device, ifIndex), refreshed by each discovery.
CREATE TABLE interfaces (
    device_id     uuid        NOT NULL,
    if_index      integer     NOT NULL CHECK (if_index > 0),
    name          text,
    descr         text,
    alias         text,
    if_type       integer,
    speed_bps     bigint,
    mac           text,
    admin_status  text,
    oper_status   text,
    role          text,
    provider      text,
    discovered_at timestamptz NOT NULL,
    last_seen     timestamptz NOT NULL,
    PRIMARY KEY (device_id, if_index)
);

-- Raw results, partitioned by day on their time. Partitions are created ahead and dropped after
-- the retention period by ward (PartitionMaintenance), never emptied with DELETE. The primary keys
-- make writes idempotent: a replayed batch is inserted with ON CONFLICT DO NOTHING.
CREATE TABLE ping_results (
    device_id   uuid             NOT NULL,
    check_name  text             NOT NULL,
    at          timestamptz      NOT NULL,
    status      text             NOT NULL CHECK (status IN ('UP', 'DOWN', 'UNKNOWN')),
    sent        smallint         NOT NULL CHECK (sent >= 0),
    received    smallint         NOT NULL CHECK (received >= 0 AND received <= sent),
    rtt_min_ms  double precision,
    rtt_avg_ms  double precision,
    rtt_max_ms  double precision,
    rtt_mdev_ms double precision,
    PRIMARY KEY (device_id, check_name, at)
) PARTITION BY RANGE (at);

-- Counters are SNMP Counter64 values stored as their two's-complement bigint bits (a value above
-- 2^63-1 reads back negative; the rate columns are what queries use).
CREATE TABLE interface_samples (
    device_id       uuid             NOT NULL,
    if_index        integer          NOT NULL,
    at              timestamptz      NOT NULL,
    oper_status     text,
    in_octets       bigint,
    out_octets      bigint,
    in_ucast_pkts   bigint,
    out_ucast_pkts  bigint,
    in_errors       bigint,
    out_errors      bigint,
    in_discards     bigint,
    out_discards    bigint,
    in_bps          double precision,
    out_bps         double precision,
    in_pps          double precision,
    out_pps         double precision,
    in_errors_ps    double precision,
    out_errors_ps   double precision,
    in_discards_ps  double precision,
    out_discards_ps double precision,
    PRIMARY KEY (device_id, if_index, at)
) PARTITION BY RANGE (at);

-- Every other numeric value: SNMP template and custom items, and the values of measurements the
-- sink has no dedicated table for (item = the Measurement.values() key).
CREATE TABLE snmp_values (
    device_id  uuid             NOT NULL,
    check_name text             NOT NULL,
    item       text             NOT NULL,
    at         timestamptz      NOT NULL,
    value      double precision NOT NULL,
    PRIMARY KEY (device_id, check_name, item, at)
) PARTITION BY RANGE (at);
