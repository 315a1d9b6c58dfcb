-- What ward-core's StateStore and AlertStore SPIs need (docs/storage.md, "State and alerts").
-- V1 stays as it was: this file only adds columns and widens constraints, so rows written by V1
-- code (the DeviceStateStore API) stay valid and readable.

-- device_state: one row per (device, ifIndex); ifIndex 0 is the device's own reachability state.
ALTER TABLE device_state
    ADD COLUMN if_index              integer          NOT NULL DEFAULT 0 CHECK (if_index >= 0),
    ADD COLUMN since                 timestamptz,
    ADD COLUMN flap_percent          double precision NOT NULL DEFAULT 0 CHECK (flap_percent >= 0 AND flap_percent <= 100),
    ADD COLUMN consecutive_failures  integer          NOT NULL DEFAULT 0 CHECK (consecutive_failures >= 0),
    ADD COLUMN consecutive_successes integer          NOT NULL DEFAULT 0 CHECK (consecutive_successes >= 0);
ALTER TABLE device_state DROP CONSTRAINT device_state_pkey;
ALTER TABLE device_state ADD PRIMARY KEY (device_id, if_index);
ALTER TABLE device_state DROP CONSTRAINT device_state_status_check;
ALTER TABLE device_state ADD CONSTRAINT device_state_status_check
    CHECK (status IN ('UP', 'DOWN', 'UNKNOWN', 'UNREACHABLE'));

-- state_changes: per interface too, UNREACHABLE allowed, and the start of the new status.
ALTER TABLE state_changes
    ADD COLUMN if_index integer NOT NULL DEFAULT 0 CHECK (if_index >= 0),
    ADD COLUMN since    timestamptz;
ALTER TABLE state_changes DROP CONSTRAINT state_changes_from_status_check;
ALTER TABLE state_changes DROP CONSTRAINT state_changes_to_status_check;
ALTER TABLE state_changes ADD CONSTRAINT state_changes_from_status_check
    CHECK (from_status IN ('UP', 'DOWN', 'UNKNOWN', 'UNREACHABLE'));
ALTER TABLE state_changes ADD CONSTRAINT state_changes_to_status_check
    CHECK (to_status IN ('UP', 'DOWN', 'UNKNOWN', 'UNREACHABLE'));
-- A flapping change has from = to, and may share its instant with a status change.
ALTER TABLE state_changes DROP CONSTRAINT state_changes_device_id_at_to_status_key;
ALTER TABLE state_changes ADD CONSTRAINT state_changes_once
    UNIQUE (device_id, if_index, at, from_status, to_status, flapping);
CREATE INDEX state_changes_device_at_idx ON state_changes (device_id, at);

-- alerts: ward's alert id, the interface, when the condition began (since; duration = resolved_at
-- - since), why it was resolved, who acknowledged it and when, and how many devices it took down.
ALTER TABLE alerts
    ADD COLUMN alert_id         uuid        NOT NULL DEFAULT gen_random_uuid(),
    ADD COLUMN device_name      text        NOT NULL DEFAULT '',
    ADD COLUMN if_index         integer     NOT NULL DEFAULT 0 CHECK (if_index >= 0),
    ADD COLUMN since            timestamptz,
    ADD COLUMN resolution       text,
    ADD COLUMN acknowledged_at  timestamptz,
    ADD COLUMN acknowledged_by  text,
    ADD COLUMN impacted_devices integer     NOT NULL DEFAULT 0 CHECK (impacted_devices >= 0),
    ADD CONSTRAINT alerts_alert_id_key UNIQUE (alert_id),
    ADD CONSTRAINT alerts_acknowledged_check CHECK ((acknowledged_at IS NULL) = (acknowledged_by IS NULL));
UPDATE alerts SET since = opened_at WHERE since IS NULL;
ALTER TABLE alerts ALTER COLUMN since SET NOT NULL;
DROP INDEX alerts_one_open_idx;
CREATE UNIQUE INDEX alerts_one_open_idx ON alerts (device_id, rule, if_index) WHERE resolved_at IS NULL;
CREATE INDEX alerts_device_since_idx ON alerts (device_id, since);

-- Alerts a maintenance window silenced (AlertStore.silenced).
CREATE TABLE alert_silences (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    device_id   uuid        NOT NULL,
    if_index    integer     NOT NULL DEFAULT 0 CHECK (if_index >= 0),
    rule        text        NOT NULL,
    window_name text        NOT NULL,
    at          timestamptz NOT NULL
);
CREATE INDEX alert_silences_at_idx ON alert_silences (at);
