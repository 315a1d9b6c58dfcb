-- Problems (issue 14, docs/storage.md "Schema changes (V6__alert_problems.sql)"): an alert stands for
-- a group of rules and escalates as they match; it says which device it is about; the rules' `for`
-- timers survive a restart. Only adds columns and a table: rows of older code stay readable.

-- alerts: the device's address and labels when the alert opened, the problem (group) the alert
-- stands for, and its history in details -> 'history' (an array of {rule, severity, at}).
-- A row without a group (written by older code, or by another program) is a problem of its own
-- rule, as it was: readers take coalesce(alert_group, rule).
ALTER TABLE alerts
    ADD COLUMN address     text  NOT NULL DEFAULT '',
    ADD COLUMN labels      jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(labels) = 'object'),
    ADD COLUMN alert_group text;
-- One open alert per problem: the current rule of an open alert changes as it escalates.
DROP INDEX alerts_one_open_idx;
CREATE UNIQUE INDEX alerts_one_open_idx ON alerts (device_id, coalesce(alert_group, rule), if_index)
    WHERE resolved_at IS NULL;

-- The `for` timers of rules with a `for` clause: since when a rule's condition holds for a
-- device (if_index 0) or interface. Bounded by devices x rules x interfaces; a row goes when the
-- condition stops holding, the rule matches or the device is removed.
CREATE TABLE alert_pending (
    device_id uuid        NOT NULL,
    rule      text        NOT NULL,
    if_index  integer     NOT NULL DEFAULT 0 CHECK (if_index >= 0),
    since     timestamptz NOT NULL,
    PRIMARY KEY (device_id, rule, if_index)
);
