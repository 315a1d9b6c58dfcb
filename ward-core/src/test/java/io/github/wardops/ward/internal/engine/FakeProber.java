package io.github.wardops.ward.internal.engine;

import io.github.wardops.ward.inventory.CheckSettings;
import io.github.wardops.ward.probe.Measurement;
import io.github.wardops.ward.probe.ProbeRequest;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.probe.Prober;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A prober for engine tests: takes a set time, records concurrency, can be told to throw. */
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

    @Override
    public String type() {
        return "fake";
    }

    @Override
    public ProbeResult probe(ProbeRequest request) throws InterruptedException {
        Settings s = request.settings(Settings.class);
        String key = request.device().id() + "/" + request.check().name();
        AtomicInteger per = concurrentPerCheck.computeIfAbsent(key, k -> new AtomicInteger());
        maxPerCheck.accumulateAndGet(per.incrementAndGet(), Math::max);
        maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
        calls.incrementAndGet();
        try {
            Thread.sleep(s.takes());
            if (s.fail()) {
                throw new IllegalStateException("boom");
            }
            return new ProbeResult.Up(request.device().id(), request.check().name(), type(), Instant.now(), s.takes(), Measurement.NONE);
        } finally {
            running.decrementAndGet();
            per.decrementAndGet();
        }
    }
}
