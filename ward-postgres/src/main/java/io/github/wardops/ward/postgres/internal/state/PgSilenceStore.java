package io.github.wardops.ward.postgres.internal.state;

import static io.github.wardops.ward.postgres.internal.jooq.Tables.SILENCES;

import io.github.wardops.ward.Ticker;
import io.github.wardops.ward.alert.LabelSelector;
import io.github.wardops.ward.internal.support.LogLimiter;
import io.github.wardops.ward.notify.Silence;
import io.github.wardops.ward.notify.SilenceStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.time.InstantSource;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.Result;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SilenceStore} over the {@code silences} table (V11), fleet-wide: every call reads or
 * writes the table at once, nothing is cached, so a silence added or expired through one instance
 * is seen by every other instance on the database at its next call. The bound on silences that
 * have not ended is checked under a transaction-scoped advisory lock, so two instances adding at
 * once cannot pass it together. A row whose matchers no longer parse (or that the {@link Silence}
 * record refuses) is left out, counted in {@code ward.storage.rows.unreadable{table=silences}} and
 * logged at most once a minute. Thread-safe.
 */
public final class PgSilenceStore implements SilenceStore {
    private static final Logger LOG = LoggerFactory.getLogger(PgSilenceStore.class);
    /** The advisory lock class of ward's fleet-wide locks ("ward" in ASCII). */
    static final int LOCK_CLASS = 0x77617264;
    /** The transaction lock that serialises {@link #add}s (1-3 are the session locks of the runner and jobs). */
    static final int LOCK_ADD = 4;

    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    private final DSLContext ctx;
    private final int max;
    private final InstantSource clock;
    private final Unreadable unreadable;
    private final LogLimiter overLimit;
    private final Counter refused;
    private final NotifyDb db;

    /**
     * Creates the store.
     *
     * @param ctx the database
     * @param ensureSchema migrates the schema if it was not yet (the database was away at open)
     * @param max the most silences that have not ended
     * @param clock the wall clock (the end of {@link #endedSince}'s range)
     * @param ticker paces the warnings
     * @param registry the meter registry
     */
    public PgSilenceStore(DSLContext ctx, Runnable ensureSchema, int max, InstantSource clock, Ticker ticker,
                          MeterRegistry registry) {
        this.ctx = ctx;
        this.max = max;
        this.clock = clock;
        this.unreadable = new Unreadable(registry, "silences", new LogLimiter(TimeUnit.MINUTES.toNanos(1), ticker));
        this.overLimit = new LogLimiter(TimeUnit.MINUTES.toNanos(1), ticker);
        this.refused = Counter.builder("ward.storage.silences.refused")
                .description("Silences refused because the store held its maximum of silences that have not ended")
                .register(registry);
        this.db = new NotifyDb(ensureSchema, registry, "silences");
    }

    @Override
    public void add(Silence silence) {
        Objects.requireNonNull(silence, "silence");
        Instant starts = micros(silence.startsAt());
        Instant ends = micros(silence.endsAt());
        if (!ends.isAfter(starts)) {
            throw new IllegalArgumentException("silence: end " + silence.endsAt() + " must be at least 1 µs after start "
                    + silence.startsAt() + " (PostgreSQL keeps microseconds)");
        }
        if (starts.isBefore(EARLIEST) || ends.isAfter(LATEST)) {
            throw new IllegalArgumentException("silence: start and end must be within years 1-9999");
        }
        Instant created = micros(silence.createdAt());
        Instant now = micros(clock.instant());
        String text = silence.matchers().text();
        boolean stored = db.call("store the silence", () -> ctx.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            tx.fetch("SELECT pg_advisory_xact_lock(?, ?)", LOCK_CLASS, LOCK_ADD);
            // the not-ended ones at the silence's creation, as the in-memory store counts them
            int n = tx.fetchCount(DSL.selectOne().from(SILENCES).where(SILENCES.ENDS_AT.gt(created))
                    .and(SILENCES.ID.ne(silence.id())).limit(max));
            if (n >= max) {
                return false;
            }
            tx.insertInto(SILENCES)
                    .set(SILENCES.ID, silence.id()).set(SILENCES.MATCHERS, text)
                    .set(SILENCES.STARTS_AT, starts).set(SILENCES.ENDS_AT, ends)
                    .set(SILENCES.AUTHOR, silence.author()).set(SILENCES.COMMENT, silence.comment())
                    .set(SILENCES.CREATED_AT, created).set(SILENCES.UPDATED_AT, now)
                    .onConflict(SILENCES.ID).doUpdate()
                    .set(SILENCES.MATCHERS, text)
                    .set(SILENCES.STARTS_AT, starts).set(SILENCES.ENDS_AT, ends)
                    .set(SILENCES.AUTHOR, silence.author()).set(SILENCES.COMMENT, silence.comment())
                    .set(SILENCES.CREATED_AT, created).set(SILENCES.UPDATED_AT, now)
                    .execute();
            return true;
        }));
        if (!stored) {
            refused.increment();
            throw new IllegalStateException("the silence store holds its maximum of " + max
                    + " silences that have not ended (PostgresOptions maxSilences)");
        }
    }

    /**
     * Ends the silence at {@code at} in one statement (one that ends earlier is left as it is, so
     * expiring twice changes nothing; one not yet started ends 1 µs after its start and never takes
     * effect). A row that cannot be read is still ended, and reported empty (counted).
     */
    @Override
    public Optional<Silence> expire(UUID id, Instant at) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(at, "at");
        OffsetDateTime end = ts(micros(at));
        OffsetDateTime now = ts(micros(clock.instant()));
        Result<Record> rows = db.call("expire the silence", () -> {
            ctx.execute("UPDATE silences SET ends_at = CASE WHEN starts_at < ?::timestamptz THEN ?::timestamptz"
                    + " ELSE starts_at + interval '1 microsecond' END, updated_at = ?::timestamptz"
                    + " WHERE id = ? AND ends_at > ?::timestamptz", end, end, now, id, end);
            return ctx.select().from(SILENCES).where(SILENCES.ID.eq(id)).fetch();
        });
        List<Silence> read = read(rows);
        return read.stream().findFirst();
    }

    @Override
    public List<Silence> current(Instant at) {
        Objects.requireNonNull(at, "at");
        Instant t = micros(at);
        Result<Record> rows = db.call("read the silences", () -> ctx.select().from(SILENCES)
                .where(SILENCES.ENDS_AT.gt(t)).orderBy(SILENCES.STARTS_AT, SILENCES.ID).limit(max + 1).fetch());
        if (rows.size() > max) {
            // only rows written by SQL, or a lower maxSilences than they were added under, get here
            if (overLimit.allow("over")) {
                LOG.warn("silences: more than {} have not ended (maxSilences); those starting last are ignored",
                        max);
            }
            return read(rows.subList(0, max));
        }
        return read(rows);
    }

    @Override
    public List<Silence> endedSince(Instant since, int limit) {
        Objects.requireNonNull(since, "since");
        if (limit < 1) {
            throw new IllegalArgumentException("limit = " + limit + ": must be at least 1");
        }
        Instant s = micros(since);
        Instant now = micros(clock.instant());
        Result<Record> rows = db.call("read the silences", () -> ctx.select().from(SILENCES)
                .where(SILENCES.ENDS_AT.gt(s)).and(SILENCES.ENDS_AT.le(now))
                .orderBy(SILENCES.ENDS_AT.desc(), SILENCES.ID).limit(limit).fetch());
        return read(rows);
    }

    /**
     * Deletes silences that ended before a time (retention), a batch per statement.
     *
     * @param ctx the database (the maintenance job's connection)
     * @param before the cut-off
     * @return rows deleted
     */
    public static long removeEndedBefore(DSLContext ctx, Instant before) {
        return NotifyDb.deleteInBatches(ctx,
                "DELETE FROM silences WHERE id IN (SELECT id FROM silences WHERE ends_at < ?::timestamptz LIMIT %d)", before);
    }

    private List<Silence> read(List<? extends Record> rows) {
        Unreadable.Read read = unreadable.read();
        List<Silence> out = new ArrayList<>(rows.size());
        for (Record r : rows) {
            UUID id = r.get(SILENCES.ID);
            String text = r.get(SILENCES.MATCHERS);
            LabelSelector matchers;
            try {
                matchers = LabelSelector.parse(text);
            } catch (RuntimeException e) {
                read.skip("silence " + id, "its matchers " + Unreadable.printable(text) + " do not parse");
                continue;
            }
            try {
                out.add(new Silence(id, matchers, r.get(SILENCES.STARTS_AT), r.get(SILENCES.ENDS_AT),
                        r.get(SILENCES.AUTHOR), r.get(SILENCES.COMMENT), r.get(SILENCES.CREATED_AT)));
            } catch (RuntimeException e) {
                read.skip("silence " + id, Unreadable.printable(e.getMessage()));
            }
        }
        read.done();
        return out;
    }

    private static Instant micros(Instant at) {
        return NotifyDb.micros(at);
    }

    private static OffsetDateTime ts(Instant at) {
        return NotifyDb.ts(at);
    }
}
