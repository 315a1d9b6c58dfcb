package io.github.wardops.ward.postgres.internal.state;

import static io.github.wardops.ward.postgres.internal.jooq.Tables.ALERTS;

import io.github.wardops.ward.WardException;
import io.github.wardops.ward.alert.Alert;
import io.github.wardops.ward.alert.Alerting;
import io.github.wardops.ward.alert.Severity;
import io.github.wardops.ward.alert.Silence;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.postgres.DeviceDowntime;
import io.github.wardops.ward.postgres.PostgresAlertStore;
import io.github.wardops.ward.postgres.internal.db.PgErrors;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.DSLContext;
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
     * device ended begins a new outage), clipped to the range and summed. Parameters: now, the
     * rule filter twice (empty array = every rule but the flapping one), from, to, then from and
     * to for the clipping and now/from/to for MTTR. Documented in docs/storage.md.
     */
    static final String DOWNTIME_SQL = """
            WITH a AS (
                SELECT device_id, since AS s, coalesce(resolved_at, ?::timestamptz) AS e, resolved_at IS NULL AS open
                FROM alerts
                WHERE if_index = 0
                  AND (cardinality(?::text[]) = 0 AND rule <> ? OR rule = ANY (?::text[]))
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
    }

    @Override
    public Collection<Alert> loadOpen() {
        writer.flush();
        return read(ctx.selectFrom(ALERTS).where(ALERTS.RESOLVED_AT.isNull())
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

    private List<Alert> read(Result<? extends Record> rows) {
        Unreadable.Read read = unreadable.read();
        List<Alert> out = new ArrayList<>(rows.size());
        for (Record r : rows) {
            try {
                out.add(map(r));
            } catch (RuntimeException e) {
                read.skip("alert " + r.get(ALERTS.ALERT_ID) + " (device " + r.get(ALERTS.DEVICE_ID) + ")", e.getMessage());
            }
        }
        read.done();
        return out;
    }

    private static Alert map(Record r) {
        String sev = r.get(ALERTS.SEVERITY);
        Severity severity;
        try {
            severity = Severity.parse(sev);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown severity " + Unreadable.printable(sev));
        }
        UUID id = r.get(ALERTS.ALERT_ID);
        return new Alert(id, new DeviceId(r.get(ALERTS.DEVICE_ID)), r.get(ALERTS.DEVICE_NAME), r.get(ALERTS.IF_INDEX),
                r.get(ALERTS.RULE), severity, r.get(ALERTS.MESSAGE), r.get(ALERTS.SINCE), r.get(ALERTS.OPENED_AT),
                r.get(ALERTS.RESOLVED_AT), r.get(ALERTS.RESOLUTION), r.get(ALERTS.ACKNOWLEDGED_AT),
                r.get(ALERTS.ACKNOWLEDGED_BY), r.get(ALERTS.IMPACTED_DEVICES));
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
            return ctx.fetch(DOWNTIME_SQL, end, names, Alerting.FLAPPING_RULE, names, to, from, to, from, to)
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
