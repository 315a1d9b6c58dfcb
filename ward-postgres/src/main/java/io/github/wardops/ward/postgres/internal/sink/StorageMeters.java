package io.github.wardops.ward.postgres.internal.sink;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.function.Supplier;

/** The storage meters. Thread-safe. */
public final class StorageMeters {
    final Counter pingRows;
    final Counter valueRows;
    final Counter sampleRows;
    final Counter interfaceRows;
    final Counter invalidValues;
    final Counter batchesWritten;
    final Counter batchesSpooled;
    final Timer write;
    final Counter droppedBytes;
    final Counter droppedAge;
    final Counter droppedOversize;
    final Counter droppedIo;
    final Counter corrupt;
    final Counter replayed;
    final Counter rejectedInvalid;
    final Counter rejectedOutOfRange;

    /**
     * Registers the meters.
     *
     * @param r the registry
     * @param spoolBytes the spool's size
     * @param spoolOldestAgeSeconds the age of the oldest spooled record
     * @param spoolPendingRows the rows waiting in the spool
     */
    public StorageMeters(MeterRegistry r, Supplier<Number> spoolBytes, Supplier<Number> spoolOldestAgeSeconds,
                         Supplier<Number> spoolPendingRows) {
        pingRows = Counter.builder("ward.storage.rows.written").tag("table", "ping_results")
                .description("Rows sent to PostgreSQL (replays included; duplicates are ignored by the database)")
                .register(r);
        valueRows = Counter.builder("ward.storage.rows.written").tag("table", "snmp_values")
                .description("Rows sent to PostgreSQL (replays included; duplicates are ignored by the database)")
                .register(r);
        sampleRows = Counter.builder("ward.storage.rows.written").tag("table", "interface_samples")
                .description("Rows sent to PostgreSQL (replays included; duplicates are ignored by the database)")
                .register(r);
        interfaceRows = Counter.builder("ward.storage.rows.written").tag("table", "interfaces")
                .description("Rows sent to PostgreSQL (replays included; duplicates are ignored by the database)")
                .register(r);
        invalidValues = Counter.builder("ward.storage.values.invalid")
                .description("Malformed values of a result stored as NULL or left out (a 32-bit counter out of "
                        + "range, a negative or infinite rate, an unknown status, NUL in a text)").register(r);
        batchesWritten = Counter.builder("ward.storage.batches").tag("outcome", "written")
                .description("Batches by outcome").register(r);
        batchesSpooled = Counter.builder("ward.storage.batches").tag("outcome", "spooled")
                .description("Batches by outcome").register(r);
        write = Timer.builder("ward.storage.write").description("Time one batch took to write to PostgreSQL")
                .register(r);
        droppedBytes = dropped(r, "bytes");
        droppedAge = dropped(r, "age");
        droppedOversize = dropped(r, "oversize");
        droppedIo = dropped(r, "io_error");
        corrupt = Counter.builder("ward.storage.spool.corrupt")
                .description("Damaged spool records skipped on replay").register(r);
        replayed = Counter.builder("ward.storage.spool.replayed")
                .description("Rows replayed from the spool into PostgreSQL").register(r);
        rejectedInvalid = Counter.builder("ward.storage.rows.rejected").tag("reason", "invalid")
                .description("Rows refused as invalid by PostgreSQL (logged) or by the sink before it (an interface "
                        + "with ifIndex below 1 or repeated in one poll)").register(r);
        rejectedOutOfRange = Counter.builder("ward.storage.rows.rejected").tag("reason", "out_of_range")
                .description("Rows older than their table's retention, or too far in the future").register(r);
        Gauge.builder("ward.storage.spool.bytes", spoolBytes).baseUnit("bytes")
                .description("Bytes in the spool").register(r);
        Gauge.builder("ward.storage.spool.oldest.age", spoolOldestAgeSeconds).baseUnit("seconds")
                .description("Age of the oldest record waiting in the spool (0 when empty)").register(r);
        Gauge.builder("ward.storage.spool.pending.rows", spoolPendingRows)
                .description("Rows waiting in the spool").register(r);
    }

    private static Counter dropped(MeterRegistry r, String reason) {
        return Counter.builder("ward.storage.spool.dropped").tag("reason", reason)
                .description("Rows lost because a spool cap was hit or the disk failed").register(r);
    }

    /**
     * The drop counter for a reason.
     *
     * @param reason {@code bytes}, {@code age}, {@code oversize} or anything else for I/O errors
     * @return the counter
     */
    public Counter dropped(String reason) {
        return switch (reason) {
            case "bytes" -> droppedBytes;
            case "age" -> droppedAge;
            case "oversize" -> droppedOversize;
            default -> droppedIo;
        };
    }

    /**

     * Returns the counter of damaged spool records.

     *

     * @return the counter of damaged spool records

     */
    public Counter corrupt() {
        return corrupt;
    }
}
