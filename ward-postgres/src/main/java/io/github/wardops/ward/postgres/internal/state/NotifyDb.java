package io.github.wardops.ward.postgres.internal.state;

import io.github.wardops.ward.WardException;
import io.github.wardops.ward.postgres.internal.db.PgErrors;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;

/**
 * What the synchronous stores of notification routing ({@link PgSilenceStore},
 * {@link PgNotificationLog}) share: a call that migrates first and turns a database failure into a
 * counted {@link WardException}, batched deletes, and PostgreSQL's microsecond instants. Thread-safe.
 */
final class NotifyDb {
    /** Rows deleted per statement by {@link #deleteInBatches}. */
    static final int DELETE_BATCH = 10_000;

    private final Runnable ensureSchema;
    private final Counter failures;

    /**
     * @param ensureSchema migrates the schema if it was not yet (the database was away at open)
     * @param registry the meter registry
     * @param table the table the failures are counted for
     */
    NotifyDb(Runnable ensureSchema, MeterRegistry registry, String table) {
        this.ensureSchema = ensureSchema;
        this.failures = Counter.builder("ward.storage.notify.failures").tag("table", table)
                .description("Reads and writes of silences or the notification log that failed").register(registry);
    }

    /** Runs one call; a database failure is counted and thrown as a {@link WardException} saying what failed. */
    <T> T call(String what, Supplier<T> work) {
        try {
            ensureSchema.run();
            return work.get();
        } catch (DataAccessException | org.flywaydb.core.api.FlywayException e) {
            failures.increment();
            throw new WardException("cannot " + what + ": " + PgErrors.describe(e), e);
        }
    }

    /**
     * Runs a {@code DELETE ... LIMIT}-shaped statement (its {@code %d} is the batch size) until it
     * deletes less than a batch, so no statement runs long.
     */
    static long deleteInBatches(DSLContext ctx, String sqlWithBatch, Instant cut) {
        String sql = sqlWithBatch.formatted(DELETE_BATCH);
        OffsetDateTime at = ts(micros(cut));
        long total = 0;
        int n;
        do {
            n = ctx.execute(sql, at);
            total += n;
        } while (n == DELETE_BATCH);
        return total;
    }

    static Instant micros(Instant at) {
        return at.truncatedTo(ChronoUnit.MICROS);
    }

    static OffsetDateTime ts(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}
