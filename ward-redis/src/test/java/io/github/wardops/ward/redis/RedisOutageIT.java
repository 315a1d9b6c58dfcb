package io.github.wardops.ward.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.Secret;
import io.github.wardops.ward.cache.L2State;
import io.github.wardops.ward.cache.TieredCache;
import io.github.wardops.ward.cache.ValueCodec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Redis failing under a workload. The bound asserted on call latency is the command timeout plus
 * a generous allowance for scheduling on a busy 2-core CI machine: it catches a stall (Lettuce's
 * default 60 s timeout, an unbounded queue), not a slow call.
 */
class RedisOutageIT {
    private static final Duration TIMEOUT = Duration.ofMillis(200);
    private static final long STALL_BOUND_NANOS = TIMEOUT.toNanos() + TimeUnit.MILLISECONDS.toNanos(1_800);

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void stoppingRedisMidWorkloadIsInvisibleToCallersAndL2ComesBackAfterARestart() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (RedisServer server = RedisServer.start();
             RedisTier tier = RedisTier.builder().uri(Secret.of(server.uri())).commandTimeout(TIMEOUT)
                     .meterRegistry(registry).build();
             TieredCache<String, String> cache = TieredCache.builder("outage", Duration.ofMinutes(1), 1000)
                     .values(ValueCodec.utf8()).shared(tier).breaker(3, Duration.ofMillis(300))
                     .meterRegistry(registry).build()) {
            awaitTrue(tier::connected, "connect");
            ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
            AtomicLong maxNanos = new AtomicLong();
            AtomicLong calls = new AtomicLong();
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> workers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int id = w;
                workers.add(Thread.ofPlatform().name("workload-" + w).start(() -> {
                    int i = 0;
                    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    while (!stop.get() && System.nanoTime() < end) {
                        String k = "k" + (i++ % 200);
                        long t0 = System.nanoTime();
                        try {
                            switch (i % 4) {
                                case 0 -> cache.put(k, "v" + i);
                                case 1 -> cache.get(k);
                                case 2 -> cache.get(k + "-load" + id, key -> "loaded");
                                default -> cache.getAll(List.of(k, "x" + i));
                            }
                        } catch (Throwable t) {
                            errors.add(t);
                        }
                        maxNanos.accumulateAndGet(System.nanoTime() - t0, Math::max);
                        calls.incrementAndGet();
                    }
                }));
            }
            awaitTrue(() -> calls.get() > 2_000, "a workload against a healthy Redis (and JIT warm-up)");
            long warmUpMax = maxNanos.getAndSet(0);
            long beforeOutage = calls.get();
            server.stop();
            awaitTrue(() -> calls.get() > beforeOutage + 2_000, "a workload during the outage");
            awaitTrue(() -> cache.l2State() == L2State.OPEN, "the breaker to open");
            long outageMax = maxNanos.getAndSet(0);
            double errorsDuringOutage = registry.find("ward.cache.l2.errors").counters().stream().mapToDouble(c -> c.count()).sum();
            assertTrue(errorsDuringOutage > 0, "L2 failures are counted");
            assertTrue(registry.get("ward.cache.l2.skipped").counter().count() > 0, "the breaker skips L2");
            assertTrue(registry.find("lettuce.command.completion").timers().stream().anyMatch(t -> t.count() > 0),
                    "Lettuce's command latency meters are in the same registry");
            assertEquals(Optional.of("during"), putAndGet(cache, "during"), "L1 keeps serving");

            server.startAgain();
            awaitTrue(tier::connected, "reconnect");
            awaitTrue(() -> {
                cache.put("after", "restart");
                return cache.l2State() == L2State.CLOSED && "1".equals(exists(server, "ward:outage:after"));
            }, "L2 in use again");
            long afterRestart = calls.get();
            awaitTrue(() -> calls.get() > afterRestart + 1_000, "a workload after the restart");
            stop.set(true);
            for (Thread t : workers) {
                t.join(TimeUnit.SECONDS.toMillis(10));
            }
            assertTrue(errors.isEmpty(), "caller-visible errors: " + errors);
            long restartMax = maxNanos.get();
            System.out.printf("outage workload: %d calls, 0 errors; slowest call: warm-up %.1f ms, outage %.1f ms, "
                    + "restart %.1f ms (command timeout %d ms)%n", calls.get(), warmUpMax / 1e6, outageMax / 1e6,
                    restartMax / 1e6, TIMEOUT.toMillis());
            assertTrue(outageMax < STALL_BOUND_NANOS, "slowest call in the outage took " + outageMax / 1_000_000 + " ms");
            assertTrue(restartMax < STALL_BOUND_NANOS, "slowest call around the restart took " + restartMax / 1_000_000 + " ms");
            assertEquals(Map.of(), cache.getAll(List.of("never-written")));
        }
    }

    private static Optional<String> putAndGet(TieredCache<String, String> cache, String v) {
        cache.put("l1-" + v, v);
        return cache.get("l1-" + v);
    }

    private static String exists(RedisServer server, String key) {
        try {
            return server.command("EXISTS " + key).substring(1);
        } catch (Exception e) {
            return "";
        }
    }

    @Test
    void afterAPubSubReconnectOtherInstancesDropTheirL1() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (RedisServer server = RedisServer.start();
             RedisTier tier = RedisTier.builder().uri(Secret.of(server.uri())).commandTimeout(TIMEOUT).build();
             TieredCache<String, String> cache = TieredCache.builder("gap", Duration.ofMinutes(10), 100)
                     .values(ValueCodec.utf8()).shared(tier).breaker(1, Duration.ofMillis(50)).meterRegistry(registry).build()) {
            awaitTrue(tier::connected, "connect");
            awaitTrue(() -> server.commandQuietly("PUBSUB NUMSUB ward:invalidate:gap").contains("1"), "subscribed");
            cache.put("k", "v");
            double gapsBefore = registry.get("ward.cache.invalidations.gaps").counter().count();
            server.stop();
            server.startAgain();
            // The restarted Redis is empty, and invalidations published meanwhile would have been lost:
            // the L1 copy must go rather than live for its 10 minutes.
            awaitTrue(() -> registry.get("ward.cache.invalidations.gaps").counter().count() > gapsBefore, "a gap");
            assertEquals(Optional.empty(), cache.get("k"));
        }
    }

    @Test
    void aCacheCreatedWhileRedisIsDownIsSubscribedOnceItIsBack() throws Exception {
        try (RedisServer server = RedisServer.start();
             RedisTier tierA = RedisTier.builder().uri(Secret.of(server.uri())).commandTimeout(TIMEOUT).build();
             RedisTier tierB = RedisTier.builder().uri(Secret.of(server.uri())).commandTimeout(TIMEOUT).build()) {
            awaitTrue(() -> tierA.connected() && tierB.connected(), "connect");
            server.stop();
            awaitTrue(() -> !tierB.connected(), "the outage to be seen");
            try (TieredCache<String, String> b = TieredCache.builder("late-sub", Duration.ofMinutes(10), 100)
                    .values(ValueCodec.utf8()).shared(tierB).build()) {
                server.startAgain();
                awaitTrue(() -> server.commandQuietly("PUBSUB NUMSUB ward:invalidate:late-sub").contains(":1"),
                        "b subscribed after the restart");
                try (TieredCache<String, String> a = TieredCache.builder("late-sub", Duration.ofMinutes(10), 100)
                        .values(ValueCodec.utf8()).shared(tierA).build()) {
                    awaitTrue(() -> server.commandQuietly("PUBSUB NUMSUB ward:invalidate:late-sub").contains(":2"),
                            "a subscribed");
                    awaitTrue(() -> {
                        a.put("k", "v1");
                        return b.get("k").equals(Optional.of("v1"));
                    }, "b reads v1");
                    a.put("k", "v2");
                    awaitTrue(() -> b.get("k").equals(Optional.of("v2")), "b sees a's invalidation");
                }
            }
        }
    }

    @Test
    void aRedisThatIsDownAtStartIsNotAnErrorAndIsUsedOnceItComesUp() throws Exception {
        try (RedisServer server = RedisServer.start()) {
            server.stop();
            try (RedisTier tier = RedisTier.builder().uri(Secret.of(server.uri())).commandTimeout(TIMEOUT).build();
                 TieredCache<String, String> cache = TieredCache.builder("late", Duration.ofMinutes(1), 100)
                         .values(ValueCodec.utf8()).shared(tier).breaker(1, Duration.ofMillis(50)).build()) {
                cache.put("k", "v");
                assertEquals(Optional.of("v"), cache.get("k"));
                assertEquals("x", cache.get("other", k -> "x"));
                server.startAgain();
                awaitTrue(tier::connected, "the first connect");
                awaitTrue(() -> {
                    cache.put("k2", "v2");
                    return "1".equals(exists(server, "ward:late:k2"));
                }, "L2 in use");
                String pttl = server.command("PTTL ward:late:k2").substring(1);
                assertTrue(Long.parseLong(pttl) > 0, "PTTL " + pttl);
            }
        }
    }
}
