-- Notification routing (issue 18; docs/storage.md "Silences and the notification log"): silences
-- created through the API, and what each receiver was told about each group, kept fleet-wide so
-- several runners (and a restarted one) neither repeat nor forget a message. New, empty tables:
-- nothing here blocks writes to existing ones.

-- Silences (ward-core's notify.Silence). Not to be confused with alert_silences, the record of
-- alerts a maintenance window silenced. matchers is a LabelSelector's text, parsed back on reading
-- (a row whose text no longer parses is left out and counted, never fatal to the others).
CREATE TABLE silences (
    id         uuid        PRIMARY KEY,
    matchers   text        NOT NULL,
    starts_at  timestamptz NOT NULL,
    ends_at    timestamptz NOT NULL,
    author     text        NOT NULL,
    comment    text        NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    CONSTRAINT silences_ends_after_start CHECK (ends_at > starts_at)
);
-- "not ended at T" (ends_at > T): the current silences, the bound on them, the ended ones for the
-- status page (ends_at in (since, now]) and their retention (ends_at < cut-off) all range over it.
CREATE INDEX silences_ends_at_idx ON silences (ends_at);

-- The notification log (ward-core's notify.NotificationLog): one row per delivered message, in
-- the order appended (id). firing and resolved are the alert ids the message named.
CREATE TABLE notification_log (
    id        bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    receiver  text        NOT NULL,
    group_key text        NOT NULL,
    firing    uuid[]      NOT NULL DEFAULT '{}',
    resolved  uuid[]      NOT NULL DEFAULT '{}',
    reason    text        NOT NULL,
    sent_at   timestamptz NOT NULL
);
-- last(receiver, group): one index probe, newest first; also "is there a newer one" in retention.
CREATE INDEX notification_log_last_idx ON notification_log (receiver, group_key, id DESC);
-- forAlert(id): the messages naming an alert, firing or resolved (firing || resolved @> ARRAY[id]).
CREATE INDEX notification_log_alerts_idx ON notification_log USING gin ((firing || resolved));
-- Retention: entries sent before the cut-off.
CREATE INDEX notification_log_sent_at_idx ON notification_log (sent_at);
