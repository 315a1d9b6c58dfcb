-- Every input of rule evaluation survives a restart (issue 14): the start of the current failure
-- run (ping_unreachable counts minutes from the outage's start, failing devices show it), why an
-- UNKNOWN is unknown ('stale'), and the flap window's results, oldest first ('1' success).
ALTER TABLE device_state
    ADD COLUMN failing_since timestamptz,
    ADD COLUMN detail        text CHECK (detail IS NULL OR length(detail) BETWEEN 1 AND 200),
    ADD COLUMN flap_history  text NOT NULL DEFAULT '' CHECK (flap_history ~ '^[01]{0,100}$');
