package io.github.wardops.ward.postgres.internal.state;

import static io.github.wardops.ward.postgres.internal.jooq.Tables.ALERTS;
import static io.github.wardops.ward.postgres.internal.jooq.Tables.ALERT_PENDING;

import io.github.wardops.ward.WardException;
import io.github.wardops.ward.alert.Alert;
import io.github.wardops.ward.alert.Alerting;
import io.github.wardops.ward.alert.PendingCondition;
import io.github.wardops.ward.alert.Severity;
import io.github.wardops.ward.alert.Silence;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.postgres.DeviceDowntime;
import io.github.wardops.ward.postgres.PostgresAlertStore;
import io.github.wardops.ward.postgres.internal.db.Labels;
import io.github.wardops.ward.postgres.internal.db.PgErrors;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.jooq.Record;
import org.jooq.Result;
import org.jooq.impl.DSL;

/**
 * {@link PostgresAlertStore} over {@code alerts} and {@code alert_silences}: changes are queued in
 * the {@link StateWriter}; reads write what is queued first, then leave out (and count) rows they
 * cannot understand. Thread-safe.
 */
public final class PgAlertStore implements PostgresAlertStore {
    /**
     * Downtime per device: the device alerts of the chosen rules overlapping [from, to) are merged
     * into outages per device (gaps and islands: an alert starting after every earlier one of the
     * device ended begins a new outage), clipped to the range and summed. An alert is chosen by its
     * current rule, its group or any rule of its history, so an escalated problem counts for each
     * rule it went through. Parameters: now, the rule filter, ward's own rules (flapping,
     * self-health: left out when the filter is empty), the filter three times more, from, to, then
     * from and to for the clipping and now/from/to for MTTR. Documented in docs/storage.md.
     */
    static final String DOWNTIME_SQL = """
            WITH a AS (
                SELECT device_id, since AS s, coalesce(resolved_at, ?::timestamptz) AS e, resolved_at IS NULL AS open
                FROM alerts
                WHERE if_index = 0
                  AND (cardinality(?::text[]) = 0 AND rule <> ALL (?::text[])
                       OR rule = ANY (?::text[]) OR coalesce(alert_group, rule) = ANY (?::text[])
                       OR CASE WHEN jsonb_typeof(details -> 'history') = 'array'
                               THEN EXISTS (SELECT 1 FROM jsonb_array_elements(details -> 'history') step
                                            WHERE step ->> 'rule' = ANY (?::text[]))
                               ELSE false END)
                  AND since < ?::timestamptz AND (resolved_at IS NULL OR resolved_at > ?::timestamptz)
            ), marked AS (
                SELECT *, CASE WHEN s <= max(e) OVER (PARTITION BY device_id ORDER BY s, e
                                   ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) THEN 0 ELSE 1 END AS starts
                FROM a
            ), numbered AS (
                SELECT *, sum(starts) OVER (PARTITION BY device_id ORDER BY s, e ROWS UNBOUNDED PRECEDING) AS outage
                FROM marked
            ), outages AS (
                SELECT device_id, min(s) AS s, max(e) AS e, bool_or(open) AS open
                FROM numbered GROUP BY device_id, outage
            )
            SELECT device_id,
                   sum(extract(epoch FROM greatest(least(e, ?::timestamptz) - greatest(s, ?::timestamptz),
                       interval '0')) * 1000000)::bigint AS downtime_us,
                   count(*) AS outages,
                   (avg(extract(epoch FROM e - s) * 1000000) FILTER (WHERE NOT open AND e < ?::timestamptz))::bigint
                       AS mttr_us,
                   bool_or(open) AS down_now
            FROM outages
            GROUP BY device_id
            ORDER BY downtime_us DESC, device_id
            """;

    private final DSLContext ctx;
    private final StateWriter writer;
    private final InstantSource clock;
    private final Unreadable unreadable;
    private final Unreadable unreadablePending;

    /**
     * Creates the store.
     *
     * @param ctx the database
     * @param writer the write-behind queue
     * @param clock the time source (for open outages in reports)
     * @param registry the meter registry
     */
    public PgAlertStore(DSLContext ctx, StateWriter writer, InstantSource clock, MeterRegistry registry) {
        this.ctx = ctx;
        this.writer = writer;
        this.clock = clock;
        this.unreadable = new Unreadable(registry, "alerts");
        this.unreadablePending = new Unreadable(registry, "alert_pending");
    }

    @Override
    public Collection<Alert> loadOpen() {
        writer.flush();
        return read(ctx.selectFrom(ALERTS).where(ALERTS.RESOLVED_AT.isNull())
                .orderBy(ALERTS.OPENED_AT, ALERTS.ID).fetch());
    }

    /** Only these devices' open alerts (a shard handed over to this runner). */
    @Override
    public Collection<Alert> loadOpen(Collection<DeviceId> devices) {
        writer.flush();
        UUID[] ids = devices.stream().map(DeviceId::value).toArray(UUID[]::new);
        return read(ctx.selectFrom(ALERTS).where(ALERTS.RESOLVED_AT.isNull()).and(ALERTS.DEVICE_ID.eq(DSL.any(ids)))
                .orderBy(ALERTS.OPENED_AT, ALERTS.ID).fetch());
    }

    @Override
    public List<Alert> history(DeviceId device, Instant from, Instant to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        writer.flush();
        Condition c = ALERTS.SINCE.lt(to).and(ALERTS.RESOLVED_AT.isNull().or(ALERTS.RESOLVED_AT.ge(from)));
        if (device != null) {
            c = c.and(ALERTS.DEVICE_ID.eq(device.value()));
        }
        return read(ctx.selectFrom(ALERTS).where(c).orderBy(ALERTS.SINCE, ALERTS.OPENED_AT, ALERTS.ID).fetch());
    }

    /** One probe of the unique index on {@code alert_id}, open or resolved; what is queued is written first. */
    @Override
    public java.util.Optional<Alert> find(UUID alertId) {
        Objects.requireNonNull(alertId, "alertId");
        writer.flush();
        return read(ctx.selectFrom(ALERTS).where(ALERTS.ALERT_ID.eq(alertId)).fetch()).stream().findFirst();
    }

    private List<Alert> read(Result<? extends Record> rows) {
        Unreadable.Read read = unreadable.read();
        List<Alert> out = new ArrayList<>(rows.size());
        for (Record r : rows) {
            String row = "alert " + r.get(ALERTS.ALERT_ID) + " (device " + r.get(ALERTS.DEVICE_ID) + ")";
            try {
                out.add(map(r, read, row));
            } catch (RuntimeException e) {
                read.skip(row, e.getMessage());
            }
        }
        read.done();
        return out;
    }

    private static Alert map(Record r, Unreadable.Read read, String row) {
        String sev = r.get(ALERTS.SEVERITY);
        Severity severity;
        try {
            severity = Severity.parse(sev);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown severity " + Unreadable.printable(sev));
        }
        UUID id = r.get(ALERTS.ALERT_ID);
        // The alert itself is worth more than its history or labels: a malformed one is dropped
        // from the alert (and counted), never the alert with it.
        List<Alert.Step> history;
        JSONB details = r.get(ALERTS.DETAILS);
        try {
            history = AlertDetails.history(details == null ? null : details.data());
        } catch (IllegalArgumentException e) {
            read.partly(row, "its history was dropped: " + e.getMessage());
            history = List.of();
        }
        Map<String, String> labels;
        JSONB l = r.get(ALERTS.LABELS);
        try {
            labels = l == null ? Map.of() : Labels.read(l.data());
        } catch (IllegalArgumentException e) {
            read.partly(row, "its labels were dropped: " + e.getMessage());
            labels = Map.of();
        }
        String group = r.get(ALERTS.ALERT_GROUP);
        String address = r.get(ALERTS.ADDRESS);
        return new Alert(id, new DeviceId(r.get(ALERTS.DEVICE_ID)), r.get(ALERTS.DEVICE_NAME),
                address == null ? "" : address, labels, r.get(ALERTS.IF_INDEX),
                group == null ? r.get(ALERTS.RULE) : group, r.get(ALERTS.RULE), severity, r.get(ALERTS.MESSAGE),
                r.get(ALERTS.SINCE), r.get(ALERTS.OPENED_AT), r.get(ALERTS.RESOLVED_AT), r.get(ALERTS.RESOLUTION),
                r.get(ALERTS.ACKNOWLEDGED_AT), r.get(ALERTS.ACKNOWLEDGED_BY), r.get(ALERTS.IMPACTED_DEVICES), history);
    }

    @Override
    public void opened(Alert alert) {
        writer.alert(alert);
    }

    @Override
    public void resolved(Alert alert) {
        writer.alert(alert);
    }

    @Override
    public void acknowledged(Alert alert) {
        writer.alert(alert);
    }

    @Override
    public void updated(Alert alert) {
        writer.alert(alert);
    }

    /**
     * Acknowledges an open alert in the table at once (not behind the writer: a user waits for the
     * answer); an alert already acknowledged keeps its first acknowledgement.
     */
    @Override
    public java.util.Optional<Alert> acknowledgeOpen(UUID alertId, Instant at, String user) {
        Objects.requireNonNull(alertId, "alertId");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(user, "user");
        writer.flush(); // the opening of an alert this instance wrote itself comes first
        ctx.update(ALERTS).set(ALERTS.ACKNOWLEDGED_AT, at.truncatedTo(ChronoUnit.MICROS)).set(ALERTS.ACKNOWLEDGED_BY, user)
                .where(ALERTS.ALERT_ID.eq(alertId)).and(ALERTS.RESOLVED_AT.isNull()).and(ALERTS.ACKNOWLEDGED_AT.isNull())
                .execute();
        return read(ctx.selectFrom(ALERTS).where(ALERTS.ALERT_ID.eq(alertId)).and(ALERTS.RESOLVED_AT.isNull()).fetch())
                .stream().findFirst();
    }

    /** Open alerts acknowledged since then: a scan of the open alerts' partial index, no more. */
    @Override
    public Collection<Alert> acknowledgedSince(Instant since) {
        Objects.requireNonNull(since, "since");
        return read(ctx.selectFrom(ALERTS).where(ALERTS.RESOLVED_AT.isNull()).and(ALERTS.ACKNOWLEDGED_AT.ge(since))
                .orderBy(ALERTS.ACKNOWLEDGED_AT, ALERTS.ID).fetch());
    }

    @Override
    public void pendingStarted(PendingCondition pending) {
        writer.pending(pending.device(), pending.rule(), pending.ifIndex(), pending.since());
    }

    @Override
    public void pendingCleared(DeviceId device, String rule, int ifIndex) {
        writer.pending(device, rule, ifIndex, null);
    }

    @Override
    public Collection<PendingCondition> loadPending() {
        return readPending(DSL.noCondition());
    }

    /** Only these devices' timers (a shard handed over to this runner). */
    @Override
    public Collection<PendingCondition> loadPending(Collection<DeviceId> devices) {
        UUID[] ids = devices.stream().map(DeviceId::value).toArray(UUID[]::new);
        return readPending(ALERT_PENDING.DEVICE_ID.eq(DSL.any(ids)));
    }

    private Collection<PendingCondition> readPending(Condition where) {
        writer.flush();
        Unreadable.Read read = unreadablePending.read();
        List<PendingCondition> out = new ArrayList<>();
        for (Record r : ctx.selectFrom(ALERT_PENDING).where(where).orderBy(ALERT_PENDING.SINCE).fetch()) {
            try {
                out.add(new PendingCondition(new DeviceId(r.get(ALERT_PENDING.DEVICE_ID)), r.get(ALERT_PENDING.RULE),
                        r.get(ALERT_PENDING.IF_INDEX), r.get(ALERT_PENDING.SINCE)));
            } catch (RuntimeException e) {
                read.skip("timer of rule " + Unreadable.printable(r.get(ALERT_PENDING.RULE)) + " (device "
                        + r.get(ALERT_PENDING.DEVICE_ID) + ")", e.getMessage());
            }
        }
        read.done();
        return out;
    }

    @Override
    public void silenced(Silence silence) {
        writer.silence(silence);
    }

    @Override
    public List<DeviceDowntime> downtime(Instant from, Instant to, Collection<String> rules) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(rules, "rules");
        if (!to.isAfter(from)) {
            throw new IllegalArgumentException("the range [" + from + ", " + to + ") is empty");
        }
        writer.flush();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Instant end = now.isBefore(to) ? now : to;
        String[] names = rules.toArray(String[]::new);
        try {
            String[] own = {Alerting.FLAPPING_RULE, Alerting.SELF_RULE};
            return ctx.fetch(DOWNTIME_SQL, end, names, own, names, names, names, to, from, to, from, to)
                    .map(r -> {
                        Long mttr = r.get("mttr_us", Long.class);
                        return new DeviceDowntime(new DeviceId(r.get("device_id", UUID.class)),
                                Duration.of(r.get("downtime_us", Long.class), ChronoUnit.MICROS),
                                r.get("outages", Integer.class),
                                mttr == null ? null : Duration.of(mttr, ChronoUnit.MICROS),
                                r.get("down_now", Boolean.class));
                    });
        } catch (RuntimeException e) {
            throw new WardException("cannot compute downtime: " + PgErrors.describe(e), e);
        }
    }

    @Override
    public long unreadableRows() {
        return unreadable.total();
    }
}
