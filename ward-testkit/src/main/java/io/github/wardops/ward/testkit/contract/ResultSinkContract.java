package io.github.wardops.ward.testkit.contract;

import static org.junit.jupiter.api.Assertions.*;

import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.probe.DownReason;
import io.github.wardops.ward.probe.PingStats;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.sink.ResultSink;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link ResultSink} keeps, as a JUnit 5 suite: extend it, supply the sink
 * and a way to read back what it stored.
 *
 * <p>It checks that every result of every kind (up, down, unknown) written in batches can be read
 * back, that the sink does not keep the batch list it was given, that a batch of one and a large
 * batch both work, and that {@code close()} is idempotent.
 *
 * <p>Not thread-safe: JUnit creates one instance per test; the subject under test is called from the test thread.
 *
 * <p>The subclass methods must not return {@code null}; the suite fails if they do.
 */
public abstract class ResultSinkContract {
    /** For subclasses. */
    protected ResultSinkContract() {
    }

    private ResultSink sink;

    /**
     * Creates the sink under test; called before each test.
     *
     * @return the sink
     * @throws Exception if it cannot be created
     */
    protected abstract ResultSink createSink() throws Exception;

    /**
     * Reads back what the sink stored so far, in any order; called after {@code close()} when
     * the sink buffers until then.
     *
     * @return the results stored
     * @throws Exception if they cannot be read
     */
    protected abstract List<ProbeResult> stored() throws Exception;

    /**
     * Whether {@link #stored()} can only be called after the sink was closed (a file sink that
     * buffers, say). Default {@code false}.
     *
     * @return whether to close before reading back
     */
    protected boolean readAfterClose() {
        return false;
    }

    /**
     * Which results the sink stores by design. Default: every one. A sink that keeps only some
     * kinds says which here (a metrics sink has no sample for an {@code Unknown} result, say), and
     * the suite then requires exactly those to be stored, once each, and nothing else.
     *
     * @param result a result written to the sink, not {@code null}
     * @return whether the sink stores it
     */
    protected boolean stores(ProbeResult result) {
        return true;
    }

    /**
     * Creates the subject under test before each test.
     *
     * @throws Exception on failure
     */
    @BeforeEach
    public final void open() throws Exception {
        sink = createSink();
    }

    /**
     * Closes the sink after each test.
     *
     * @throws Exception on failure
     */
    @AfterEach
    public final void closeSink() throws Exception {
        sink.close();
    }

    /**
     * Sample results of every kind.
     *
     * @param n how many
     * @return the results
     */
    protected static List<ProbeResult> sample(int n) {
        List<ProbeResult> out = new ArrayList<>(n);
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < n; i++) {
            DeviceId id = DeviceId.fromKey("contract-" + (i % 97));
            Instant at = t0.plus(i, ChronoUnit.SECONDS);
            Duration rtt = Duration.ofNanos(100_000L + i * 1_000L);
            out.add(switch (i % 3) {
                case 0 -> new ProbeResult.Up(id, "icmp", "icmp", at, rtt, new PingStats(3, 3, rtt, rtt, rtt, Duration.ZERO));
                case 1 -> new ProbeResult.Down(id, "icmp", "icmp", at, DownReason.TIMEOUT, "no reply",
                        new PingStats(3, 0, null, null, null, null));
                default -> new ProbeResult.Unknown(id, "icmp", "icmp", at, "prober error");
            });
        }
        return out;
    }

    private void assertStored(List<ProbeResult> written) throws Exception {
        List<ProbeResult> expected = written.stream().filter(this::stores).toList();
        if (readAfterClose()) {
            sink.close();
        }
        List<ProbeResult> got = stored();
        assertTrue(!expected.isEmpty(), "stores(result) keeps none of the sample results");
        assertEquals(expected.size(), got.size(), "every result is stored exactly once");
        for (ProbeResult r : expected) {
            assertTrue(got.stream().anyMatch(g -> g.device().equals(r.device()) && g.at().equals(r.at())
                    && g.check().equals(r.check()) && g.getClass() == r.getClass()), "stored: " + r);
        }
    }

    /**
     * Up, down and unknown results written in batches are all stored.
     *
     * @throws Exception on failure
     */
    @Test
    public void storesEveryKindOfResultWrittenInBatches() throws Exception {
        List<ProbeResult> all = sample(30);
        sink.write(new ArrayList<>(all.subList(0, 1)));
        sink.write(new ArrayList<>(all.subList(1, 30)));
        assertStored(all);
    }

    /**
     * Changing the batch list after write returns does not change what was stored.
     *
     * @throws Exception on failure
     */
    @Test
    public void doesNotKeepTheBatchList() throws Exception {
        List<ProbeResult> all = sample(10);
        List<ProbeResult> batch = new ArrayList<>(all);
        sink.write(batch);
        batch.clear();
        batch.addAll(sample(3));
        assertStored(all);
    }

    /**
     * A batch of 5,000 results is stored whole.
     *
     * @throws Exception on failure
     */
    @Test
    public void takesALargeBatch() throws Exception {
        List<ProbeResult> all = sample(5_000);
        sink.write(all);
        assertStored(all);
    }

    /**
     * Closing twice is harmless.
     *
     * @throws Exception on failure
     */
    @Test
    public void closeIsIdempotent() throws Exception {
        sink.close();
        sink.close();
    }
}
