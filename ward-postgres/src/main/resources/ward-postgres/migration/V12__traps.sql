-- SNMP traps and informs the runner's receiver matched to a device (issue 19; docs/snmp.md "Traps in
-- the runner"). One row per trap, with its variable bindings (at most the receiver's maxVarbinds,
-- each value at most maxValueBytes, as net-snmp prints them) in three parallel arrays. Kept as long
-- as state changes (db-event-retention). A new, empty table: nothing here blocks writes to existing ones.
CREATE TABLE traps (
    id               bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    device_id        uuid        NOT NULL,
    at               timestamptz NOT NULL,
    kind             text        NOT NULL,
    trap_oid         text        NOT NULL,
    if_index         integer,
    version          text        NOT NULL,
    inform           boolean     NOT NULL,
    source           text        NOT NULL,
    agent_address    text,
    snmp_user        text,
    sys_up_time      bigint,
    varbind_oids     text[]      NOT NULL DEFAULT '{}',
    varbind_types    text[]      NOT NULL DEFAULT '{}',
    varbind_values   text[]      NOT NULL DEFAULT '{}',
    varbinds_dropped integer     NOT NULL DEFAULT 0,
    values_truncated integer     NOT NULL DEFAULT 0
);
-- a device's latest traps
CREATE INDEX traps_device_at_idx ON traps (device_id, at, id);
-- retention (at < cut-off)
CREATE INDEX traps_at_idx ON traps (at);
