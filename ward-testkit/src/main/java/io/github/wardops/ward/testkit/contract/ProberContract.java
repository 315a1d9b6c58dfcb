package io.github.wardops.ward.testkit.contract;

import static org.junit.jupiter.api.Assertions.*;

import io.github.wardops.ward.probe.ProbeRequest;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.probe.Prober;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Prober} keeps, as a JUnit 5 suite: extend it, supply a prober and
 * requests for a target that answers and one that does not, and run it with your tests.
 *
 * <p>It checks that results name the probed device and check and carry the prober's type, that
 * a target that does not answer is a {@code Down} (not an exception), that probes run
 * concurrently on virtual threads without mixing up their results, that a probe returns within
 * its check's timeout plus a grace, and that {@code close()} is idempotent.
 *
 * <p>The subclass methods must not return {@code null}; the suite fails if they do.
 */
public abstract class ProberContract {
    /** For subclasses. */
    protected ProberContract() {
    }

    private Prober prober;

    /**
     * Creates the prober under test; called before each test.
     *
     * @return a new prober
     * @throws Exception if it cannot be created
     */
    protected abstract Prober createProber() throws Exception;

    /**
     * A request for the i-th target that answers (i from 0 to 19).
     *
     * @param i the index
     * @return the request
     */
    protected abstract ProbeRequest reachable(int i);

    /**
     * A request for a target that does not answer.
     *
     * @return the request
     */
    protected abstract ProbeRequest unreachable();

    /**
     * The slack allowed past a check's timeout (default 2 s).
     *
     * @return the grace
     */
    protected Duration grace() {
        return Duration.ofSeconds(2);
    }

    /**
     * Creates the subject under test before each test.
     *
     * @throws Exception on failure
     */
    @BeforeEach
    public final void open() throws Exception {
        prober = createProber();
        assertNotNull(prober, "createProber returned null");
    }

    /**
     * Closes the prober after each test.
     *
     * @throws Exception on failure
     */
    @AfterEach
    public final void closeProber() throws Exception {
        prober.close();
    }

    /**
     * The prober under test.
     *
     * @return the prober
     */
    protected final Prober prober() {
        return prober;
    }

    private static void assertBelongsTo(ProbeRequest req, ProbeResult r, String type) {
        assertNotNull(r, "probe returned null");
        assertEquals(req.device().id(), r.device(), "result names the probed device");
        assertEquals(req.check().name(), r.check(), "result names the probed check");
        assertEquals(type, r.type(), "result carries the prober's type");
        assertNotNull(r.at());
        assertNotNull(r.measurement());
        r.measurement().values().forEach((k, v) -> assertTrue(Double.isFinite(v), k + " is not finite: " + v));
    }

    /**
     * The prober's type is the type of the checks it is given.
     */
    @Test
    public void typeMatchesTheChecksItServes() {
        assertEquals(prober.type(), reachable(0).check().type());
        assertEquals(prober.type(), unreachable().check().type());
    }

    /**
     * A target that answers is {@code Up}, with a non-negative latency.
     *
     * @throws Exception on failure
     */
    @Test
    public void reachableTargetIsUp() throws Exception {
        ProbeRequest req = reachable(0);
        ProbeResult r = prober.probe(req);
        assertBelongsTo(req, r, prober.type());
        assertInstanceOf(ProbeResult.Up.class, r, () -> "expected Up, got " + r);
        assertFalse(((ProbeResult.Up) r).latency().isNegative());
    }

    /**
     * A target that does not answer is {@code Down}, within the timeout plus the grace.
     *
     * @throws Exception on failure
     */
    @Test
    public void unreachableTargetIsDownNotAnException() throws Exception {
        ProbeRequest req = unreachable();
        long t0 = System.nanoTime();
        ProbeResult r = prober.probe(req);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertBelongsTo(req, r, prober.type());
        assertInstanceOf(ProbeResult.Down.class, r, () -> "expected Down, got " + r);
        assertTrue(took.compareTo(req.check().timeout().plus(grace())) <= 0,
                "took " + took + ", more than the timeout " + req.check().timeout() + " plus " + grace());
    }

    /**
     * Concurrent probes on virtual threads each get their own result.
     *
     * @throws Exception on failure
     */
    @Test
    public void concurrentProbesOnVirtualThreadsKeepTheirResultsApart() throws Exception {
        List<ProbeRequest> reqs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            reqs.add(reachable(i));
        }
        reqs.add(unreachable());
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<ProbeResult>> fs = new ArrayList<>();
            for (ProbeRequest r : reqs) {
                fs.add(ex.submit(() -> prober.probe(r)));
            }
            for (int i = 0; i < reqs.size(); i++) {
                ProbeResult r = fs.get(i).get();
                assertBelongsTo(reqs.get(i), r, prober.type());
                if (i < 20) {
                    assertInstanceOf(ProbeResult.Up.class, r, "target " + i);
                } else {
                    assertInstanceOf(ProbeResult.Down.class, r);
                }
            }
        }
    }

    /**
     * Closing twice is harmless.
     *
     * @throws Exception on failure
     */
    @Test
    public void closeIsIdempotent() throws Exception {
        prober.close();
        prober.close();
    }
}
