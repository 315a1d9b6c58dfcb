package io.github.wardops.ward.internal.engine;

import io.github.wardops.ward.Ticker;
import io.github.wardops.ward.inventory.CheckSettings;
import io.github.wardops.ward.probe.Measurement;
import io.github.wardops.ward.probe.ProbeRequest;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.probe.Prober;
import io.github.wardops.ward.testing.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * A prober for engine tests: takes a set time on the fake clock (it returns only when the test
 * has moved the clock that far on), records concurrency, can be told to throw. Every change of
 * its counters notifies this object's monitor, so a test waits for them with {@link #await}.
 */
final class FakeProber implements Prober {
    record Settings(Duration takes, boolean fail) implements CheckSettings {
        @Override
        public String type() {
            return "fake";
        }
    }

    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger maxRunning = new AtomicInteger();
    final AtomicInteger calls = new AtomicInteger();
    final ConcurrentHashMap<String, AtomicInteger> concurrentPerCheck = new ConcurrentHashMap<>();
    final AtomicInteger maxPerCheck = new AtomicInteger();
    /** The threads that called {@link #probe}, to see how the engine reuses them. */
    final java.util.Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final FakeClock clock;
    private volatile boolean finishAll;

    FakeProber(FakeClock clock) {
        this.clock = clock;
    }

    @Override
    public String type() {
        return "fake";
    }

    @Override
    public ProbeResult probe(ProbeRequest request) throws InterruptedException {
        Settings s = request.settings(Settings.class);
        long until = clock.read() + s.takes().toNanos();
        String key = request.device().id() + "/" + request.check().name();
        AtomicInteger per = concurrentPerCheck.computeIfAbsent(key, k -> new AtomicInteger());
        maxPerCheck.accumulateAndGet(per.incrementAndGet(), Math::max);
        maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
        calls.incrementAndGet();
        threads.add(Thread.currentThread());
        changed();
        try {
            try (Ticker.Registration r = clock.onAdvance(this::changed)) {
                synchronized (this) {
                    while (clock.read() - until < 0 && !finishAll) {
                        wait();
                    }
                }
            }
            if (s.fail()) {
                throw new IllegalStateException("boom");
            }
            return new ProbeResult.Up(request.device().id(), request.check().name(), type(), clock.instant(), s.takes(),
                    Measurement.NONE);
        } finally {
            running.decrementAndGet();
            per.decrementAndGet();
            changed();
        }
    }

    /** Lets every probe waiting for the fake time return now, so the engine can close quickly. */
    void finishAll() {
        finishAll = true;
        changed();
    }

    private synchronized void changed() {
        notifyAll();
    }

    /** Waits, on this prober's monitor, until the condition on its counters holds. */
    synchronized void await(BooleanSupplier cond, String what) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!cond.getAsBoolean()) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }
}
