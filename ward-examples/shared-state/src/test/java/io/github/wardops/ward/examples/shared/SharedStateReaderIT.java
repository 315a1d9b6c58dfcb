package io.github.wardops.ward.examples.shared;

import static org.junit.jupiter.api.Assertions.*;

import io.github.wardops.ward.Secret;
import io.github.wardops.ward.Ward;
import io.github.wardops.ward.cache.DeviceStateCache;
import io.github.wardops.ward.inventory.Addresses;
import io.github.wardops.ward.inventory.Check;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.redis.RedisTier;
import java.io.File;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One process polls and writes device state to a real Redis; a second process (a separate JVM
 * running {@link SharedStateReader}) reads it back through ward's cache API.
 */
class SharedStateReaderIT {
    private static Process redis;
    private static int port;
    private static Path dir;

    @BeforeAll
    static void startRedis() throws Exception {
        boolean found = new File("/usr/bin/redis-server").canExecute();
        if (System.getenv("CI") != null) {
            assertTrue(found, "redis-server is required in CI: .ci/run installs it");
        }
        Assumptions.assumeTrue(found, "redis-server is not installed");
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        dir = Files.createTempDirectory("ward-shared-state");
        redis = new ProcessBuilder("/usr/bin/redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--maxmemory", "64mb",
                "--maxmemory-policy", "volatile-ttl").redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                break;
            } catch (java.io.IOException e) {
                assertTrue(System.nanoTime() < end, "redis-server did not start");
                Thread.sleep(50);
            }
        }
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (redis != null) {
            redis.destroy();
            redis.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The writer is the ward runner, a process of its own, polling with --redis-url. */
    @Test
    void aSecondProcessReadsWhatTheRunnerWrote() throws Exception {
        Path jar = Path.of("..", "..", "ward-runner", "target", "ward-runner.jar").toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(jar), "the runner jar is built before the examples: " + jar);
        List<String> ids = new ArrayList<>();
        StringBuilder csv = new StringBuilder("id,name,address\n");
        for (int i = 1; i <= 3; i++) {
            String a = "127.0.48." + i;
            ids.add(DeviceId.fromKey(a).toString());
            csv.append(DeviceId.fromKey(a)).append(",runner-").append(i).append(',').append(a).append('\n');
        }
        Path inventory = dir.resolve("runner.csv");
        Files.writeString(inventory, csv);
        String java = ProcessHandle.current().info().command().orElse("java");
        Process runner = new ProcessBuilder(java, "-Xmx256m", "-jar", jar.toString(), "run", "--inventory", inventory.toString(),
                "--interval", "1s", "--http", "127.0.0.1:0", "--storage", "off",
                "--redis-url", "redis://127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(dir.resolve("runner.log").toFile()).start();
        try {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
            String out = "";
            while (System.nanoTime() < end) {
                List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                        SharedStateReader.class.getName()));
                cmd.addAll(ids);
                ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
                pb.environment().put("WARD_REDIS_URL", "redis://127.0.0.1:" + port);
                Process reader = pb.start();
                    out = new String(reader.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(reader.waitFor(30, TimeUnit.SECONDS));
                String got = out;
                if (reader.exitValue() == 0 && ids.stream().allMatch(id -> got.contains(id + " UP"))) {
                    return;
                }
                assertTrue(runner.isAlive(), "the runner stopped: " + Files.readString(dir.resolve("runner.log")));
                Thread.sleep(500);
            }
            fail("the reader never saw every device UP; last output:\n" + out + "\nrunner log:\n" + Files.readString(dir.resolve("runner.log")));
        } finally {
            runner.destroy();
            runner.waitFor(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void aSecondProcessReadsWhatThePollerWrote() throws Exception {
        Secret url = Secret.of("redis://127.0.0.1:" + port);
        List<Device> devices = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            String a = "127.0.47." + i;
            devices.add(Device.builder(DeviceId.fromKey(a), "shared-" + i, Addresses.parse(a))
                    .check(Check.icmp(Duration.ofSeconds(1))).build());
        }
        // The poller: an engine whose results feed the state cache, which writes to Redis.
        try (RedisTier tier = RedisTier.builder().uri(url).build();
             DeviceStateCache states = DeviceStateCache.builder(Duration.ofMinutes(2)).shared(tier)
                     .flushInterval(Duration.ofMillis(200)).build();
             Ward ward = Ward.builder().listener(states).build()) {
            ward.inventory().replaceAll(devices);
            ward.start();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (states.getAll(devices.stream().map(Device::id).toList()).size() < devices.size()) {
                assertTrue(System.nanoTime() < end, "the poller did not publish every device");
                Thread.sleep(100);
            }
            states.flush();

            // The reader: another JVM, which only knows the Redis URL and the device ids.
            List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                    "-cp", System.getProperty("java.class.path"), SharedStateReader.class.getName()));
            devices.forEach(d -> cmd.add(d.id().toString()));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().put("WARD_REDIS_URL", url.reveal());
            Process reader = pb.start();
            String out = new String(reader.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(reader.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, reader.exitValue(), out);
            for (Device d : devices) {
                assertTrue(out.contains(d.id() + " UP"), "the reader saw " + d.name() + " UP:\n" + out);
            }
        }
    }
}
