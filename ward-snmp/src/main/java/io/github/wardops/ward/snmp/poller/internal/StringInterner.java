package io.github.wardops.ward.snmp.poller.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Shares equal interface names, descriptions and aliases between devices (a fleet repeats
 * "GigabitEthernet0/1" thousands of times). Bounded: once full, new strings are kept as they are
 * and counted. Thread-safe.
 */
final class StringInterner {
    private final ConcurrentHashMap<String, String> map = new ConcurrentHashMap<>();
    private final int max;
    private final Counter skipped;

    StringInterner(int max, MeterRegistry registry) {
        this.max = max;
        this.skipped = Counter.builder("ward.snmp.intern.skipped")
                .description("Interface strings not shared because the interner was full").register(registry);
    }

    String intern(String s) {
        if (s.isEmpty()) {
            return "";
        }
        String e = map.get(s);
        if (e != null) {
            return e;
        }
        if (map.size() >= max) {
            skipped.increment();
            return s;
        }
        e = map.putIfAbsent(s, s);
        return e == null ? s : e;
    }
}
