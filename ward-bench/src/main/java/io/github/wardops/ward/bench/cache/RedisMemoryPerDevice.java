package io.github.wardops.ward.bench.cache;

import io.github.wardops.ward.DeviceStatus;
import io.github.wardops.ward.Secret;
import io.github.wardops.ward.cache.DeviceStateCache;
import io.github.wardops.ward.cache.InterfaceSnapshot;
import io.github.wardops.ward.cache.InterfaceSnapshots;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.probe.DownReason;
import io.github.wardops.ward.probe.PingStats;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.redis.RedisTier;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Measures the Redis memory ward's device state takes: publishes the state of N devices (and
 * interface states with K interfaces for every device), then reports {@code used_memory} growth
 * and {@code MEMORY USAGE} of sample keys, and times a dashboard-style {@code getAll} of every
 * device from a second instance.
 *
 * <p>usage: {@code RedisMemoryPerDevice [devices=10000] [interfaces=8]}
 */
public final class RedisMemoryPerDevice {
    private RedisMemoryPerDevice() {
    }

    /**
     * Runs the measurement.
     *
     * @param args devices and interfaces per device
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        int devices = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int ifaces = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        try (LocalRedis redis = new LocalRedis();
             RedisTier tier = RedisTier.builder().uri(Secret.of(redis.uri())).commandTimeout(Duration.ofSeconds(2)).build();
             RedisTier readerTier = RedisTier.builder().uri(Secret.of(redis.uri())).commandTimeout(Duration.ofSeconds(2)).build()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while ((!tier.connected() || !readerTier.connected()) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            long before = usedMemory(redis);
            List<DeviceId> ids = new ArrayList<>(devices);
            try (DeviceStateCache states = DeviceStateCache.builder(Duration.ofMinutes(5)).shared(tier).maxDevices(devices).build()) {
                Instant now = Instant.now();
                for (int i = 0; i < devices; i++) {
                    DeviceId id = DeviceId.fromKey("bench-device-" + i);
                    ids.add(id);
                    Duration rtt = Duration.ofNanos(300_000L + i);
                    states.onResult(i % 20 == 0
                            ? new ProbeResult.Down(id, "icmp", "icmp", now, DownReason.TIMEOUT, "",
                                    new PingStats(3, 0, null, null, null, null))
                            : new ProbeResult.Up(id, "icmp", "icmp", now, rtt, new PingStats(3, 3, rtt, rtt, rtt, Duration.ZERO)));
                }
                long t0 = System.nanoTime();
                states.flush();
                long writeNanos = System.nanoTime() - t0;
                long afterStates = usedMemory(redis);
                long sample = 0;
                int samples = Math.min(1000, devices);
                for (int i = 0; i < samples; i++) {
                    sample += Long.parseLong(redis.command("MEMORY USAGE ward:devices:" + ids.get(i)).substring(1));
                }
                for (int i = 0; i < devices; i++) {
                    List<InterfaceSnapshot> list = new ArrayList<>(ifaces);
                    for (int k = 1; k <= ifaces; k++) {
                        list.add(new InterfaceSnapshot(k, "GigabitEthernet0/" + k, k == 1 ? "ISP1 uplink" : "access",
                                InterfaceSnapshot.Status.UP, InterfaceSnapshot.Status.UP, 1_000_000_000L, 1.2e6, 3.4e6, 0.0, 0.0));
                    }
                    states.publishInterfaces(new InterfaceSnapshots(ids.get(i), now, list));
                }
                states.flush();
                long afterIfaces = usedMemory(redis);
                String ifUsage = redis.command("MEMORY USAGE ward:devices.ifaces:" + ids.get(0)).substring(1);

                try (DeviceStateCache reader = DeviceStateCache.builder(Duration.ofMinutes(5)).shared(readerTier)
                        .maxDevices(devices).build()) {
                    long r0 = System.nanoTime();
                    Map<DeviceId, ?> all = reader.getAll(ids);
                    long coldNanos = System.nanoTime() - r0;
                    long r1 = System.nanoTime();
                    reader.getAll(ids);
                    long warmNanos = System.nanoTime() - r1;
                    System.out.printf("devices: %d, interfaces per device: %d%n", devices, ifaces);
                    System.out.printf("device state: used_memory grew %.1f bytes per device; MEMORY USAGE mean %.1f bytes "
                            + "(of %d keys)%n", (afterStates - before) / (double) devices, sample / (double) samples, samples);
                    System.out.printf("interface states (%d interfaces): used_memory grew %.1f bytes per device; "
                            + "MEMORY USAGE of one key %s bytes%n", ifaces, (afterIfaces - afterStates) / (double) devices, ifUsage);
                    System.out.printf("writing %d states (pipelined SET PX): %.1f ms%n", devices, writeNanos / 1e6);
                    System.out.printf("getAll of %d devices from another instance: %.1f ms from Redis (MGET, %d found), "
                            + "%.1f ms from L1%n", devices, coldNanos / 1e6, all.size(), warmNanos / 1e6);
                    DeviceStatus s = reader.get(ids.get(0)).orElseThrow().status();
                    System.out.println("device 0 status: " + s);
                }
            }
        }
    }

    private static long usedMemory(LocalRedis redis) throws Exception {
        for (String line : redis.command("INFO memory").split("\r\n")) {
            if (line.startsWith("used_memory:")) {
                return Long.parseLong(line.substring("used_memory:".length()).strip());
            }
        }
        throw new IllegalStateException("no used_memory in INFO");
    }
}
