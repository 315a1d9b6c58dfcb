package io.github.wardops.ward.testkit.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.cache.SharedTier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link SharedTier} (a cache's L2) keeps, as a JUnit suite: extend it and
 * supply a connected tier.
 *
 * <p>It checks reads and batched reads (order kept, {@code null} for absent keys), that every
 * write needs a TTL of at least 1 ms and expires after it, deletes, and that published messages
 * reach subscribers until they unsubscribe. Keys are unique per test, under
 * {@code ward:contract:}; waits poll and end after 10 s.
 *
 * <p>Not thread-safe: JUnit creates one instance per test; tests that need threads start their own.
 */
public abstract class SharedTierContract {
    /** For subclasses. */
    protected SharedTierContract() {
    }

    private SharedTier tier;
    private String prefix;

    /**
     * Creates the tier under test, connected (or about to be); called before each test.
     *
     * @return the tier
     * @throws Exception if it cannot be created
     */
    protected abstract SharedTier createTier() throws Exception;

    /**
     * Releases the tier; called after each test. Default: closes it when it is
     * {@link AutoCloseable}.
     *
     * @param t the tier
     * @throws Exception if closing fails
     */
    protected void releaseTier(SharedTier t) throws Exception {
        if (t instanceof AutoCloseable c) {
            c.close();
        }
    }

    @BeforeEach
    final void createContractTier() throws Exception {
        tier = createTier();
        prefix = "ward:contract:" + UUID.randomUUID() + ":";
    }

    @AfterEach
    final void releaseContractTier() throws Exception {
        releaseTier(tier);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void theCommandTimeoutIsPositive() {
        assertTrue(tier.commandTimeout().compareTo(Duration.ZERO) > 0);
    }

    @Test
    void aValueWrittenIsReadBackAndAnAbsentKeyIsNull() {
        byte[] v = {0, 1, 2, (byte) 0xff};
        tier.set(prefix + "k", v, Duration.ofMinutes(1));
        assertArrayEquals(v, tier.get(prefix + "k"));
        assertNull(tier.get(prefix + "absent"));
    }

    @Test
    void getAllKeepsTheOrderAndGivesNullForAbsentKeys() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < 50; i++) {
            entries.put(prefix + i, new byte[] {(byte) i});
        }
        tier.setAll(entries, Duration.ofMinutes(1));
        List<String> keys = new ArrayList<>(List.of(prefix + "absent"));
        keys.addAll(entries.keySet());
        List<byte[]> values = tier.getAll(keys);
        assertEquals(keys.size(), values.size());
        assertNull(values.get(0));
        for (int i = 0; i < 50; i++) {
            assertArrayEquals(new byte[] {(byte) i}, values.get(i + 1));
        }
        assertEquals(List.of(), tier.getAll(List.of()));
    }

    @Test
    void everyWriteNeedsATtlOfAtLeastOneMillisecond() {
        for (Duration bad : Arrays.asList(null, Duration.ZERO, Duration.ofMillis(-1), Duration.ofNanos(999_999))) {
            assertThrows(RuntimeException.class, () -> tier.set(prefix + "k", new byte[] {1}, bad), "ttl " + bad);
            assertThrows(RuntimeException.class, () -> tier.setAll(Map.of(prefix + "k", new byte[] {1}), bad), "ttl " + bad);
        }
        assertNull(tier.get(prefix + "k"), "a rejected write stores nothing");
    }

    @Test
    void valuesExpireAfterTheirTtl() throws InterruptedException {
        tier.set(prefix + "one", new byte[] {1}, Duration.ofMillis(50));
        tier.setAll(Map.of(prefix + "two", new byte[] {2}), Duration.ofMillis(50));
        tier.set(prefix + "long", new byte[] {3}, Duration.ofMinutes(1));
        await(() -> tier.get(prefix + "one") == null && tier.get(prefix + "two") == null, "both expired");
        assertArrayEquals(new byte[] {3}, tier.get(prefix + "long"));
    }

    @Test
    void deleteRemovesAndIgnoresAbsentKeys() {
        tier.set(prefix + "a", new byte[] {1}, Duration.ofMinutes(1));
        tier.set(prefix + "b", new byte[] {2}, Duration.ofMinutes(1));
        tier.delete(List.of(prefix + "a", prefix + "absent"));
        tier.delete(List.of());
        assertNull(tier.get(prefix + "a"));
        assertArrayEquals(new byte[] {2}, tier.get(prefix + "b"));
    }

    @Test
    void publishedMessagesReachSubscribersUntilTheyUnsubscribe() throws Exception {
        String channel = prefix + "channel";
        List<String> got = new CopyOnWriteArrayList<>();
        AutoCloseable sub = tier.subscribe(channel, got::add);
        // A subscription may take a moment to reach the server: publish until one arrives.
        await(() -> {
            tier.publish(channel, "hello\nworld");
            return !got.isEmpty();
        }, "a message arrives");
        assertEquals("hello\nworld", got.get(0));
        sub.close();
        sub.close();
        Thread.sleep(100);
        int before = got.size();
        tier.publish(channel, "after");
        Thread.sleep(100);
        assertEquals(before, got.size(), "no message after unsubscribing");
    }
}
