package io.github.wardops.ward.internal.icmp;

import io.github.wardops.ward.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A ticker the ICMP tests move by hand; thread-safe. */
final class FakeTicker implements Ticker {
    private final AtomicLong now;

    FakeTicker(long start) {
        this.now = new AtomicLong(start);
    }

    FakeTicker() {
        this(1_000_000_000L);
    }

    @Override
    public long read() {
        return now.get();
    }

    void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }
}
