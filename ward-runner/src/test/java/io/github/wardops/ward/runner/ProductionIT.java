package io.github.wardops.ward.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.postgres.EmbeddedDatabase;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A production-style run from a YAML file: an external PostgreSQL (a second embedded server,
 * reached only through its JDBC URL) and a real redis-server with a password, both started here.
 */
class ProductionIT {
    private static final Duration BOUND = Duration.ofSeconds(20);
    private static final String REDIS_PASSWORD = "redis-pass-1234567890";

    @TempDir
    Path dir;

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    private static String redisCli(int port, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", String.valueOf(port), "-a",
                REDIS_PASSWORD, "--no-auth-warning"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }

    private static JsonNode check(JsonNode ready, String name) {
        for (JsonNode c : ready.get("checks")) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        return fail("no readiness check " + name + " in " + ready);
    }

    @Test
    void aYamlConfiguredRunUsesTheExternalPostgresAndRedisWithItsPassword() throws Exception {
        if (!Files.isExecutable(Path.of("/usr/bin/redis-server"))) {
            if (TestFaults.ci()) {
                fail("redis-server is not installed");
            }
            Assumptions.abort("redis-server is not installed");
        }
        int redisPort = freePort();
        Process redis = new ProcessBuilder("redis-server", "--port", String.valueOf(redisPort), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--requirepass", REDIS_PASSWORD,
                "--maxmemory", "64mb", "--maxmemory-policy", "volatile-lru")
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        try (EmbeddedDatabase external = EmbeddedDatabase.start(dir.resolve("external-pg"), 0)) {
            InProcessRunner.await("redis-server answering", BOUND, () -> redisCli(redisPort, "PING").equals("PONG"));
            Path csv = Files.writeString(dir.resolve("fleet.csv"), "id,name,address\n"
                    + DeviceId.fromKey("prod-a") + ",a,127.45.0.1\n" + DeviceId.fromKey("prod-b") + ",b,127.45.0.2\n");
            Path dbPassword = Files.writeString(dir.resolve("db-password"), external.password().reveal() + "\n");
            Files.setPosixFilePermissions(dbPassword, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            Path redisPassword = Files.writeString(dir.resolve("redis-password"), REDIS_PASSWORD + "\n");
            Path data = dir.resolve("data");
            Path yaml = Files.writeString(dir.resolve("ward.yaml"), String.join("\n",
                    "inventory: " + csv,
                    "interval: 1s",
                    "http: 127.0.0.1:0",
                    "data-dir: " + data,
                    "db:",
                    "  url: " + external.jdbcUrl(),
                    "  user: postgres",
                    "  password-file: " + dbPassword,
                    "redis:",
                    "  url: redis://127.0.0.1:" + redisPort,
                    "  password-file: " + redisPassword,
                    "cache-ttl: 1m",
                    ""));
            try (InProcessRunner r = InProcessRunner.start(Map.of("WARD_STORAGE", "postgres"), "run", "--config", yaml.toString())) {
                r.awaitDevices(BOUND, d -> InProcessRunner.count(d, "UP") == 2);
                DataSource ds = external.dataSource();
                InProcessRunner.await("results in the external database", BOUND, () -> InProcessRunner.queryLong(ds, "select count(distinct device_id) from ping_results") == 2);
                assertEquals(2, InProcessRunner.queryLong(ds, "select count(*) from devices"));
                assertFalse(Files.exists(data.resolve("pg")), "no embedded server with a db-url");

                JsonNode ready = InProcessRunner.JSON.readTree(r.get("/ready").body());
                assertTrue(check(ready, "database").get("ok").asBoolean(), ready.toString());
                InProcessRunner.await("the cache connected to Redis", BOUND, () -> check(InProcessRunner.JSON.readTree(r.get("/ready").body()), "cache")
                        .get("ok").asBoolean());
                JsonNode cache = check(InProcessRunner.JSON.readTree(r.get("/ready").body()), "cache");
                assertTrue(cache.toString().contains("volatile-lru"), cache.toString());
                assertFalse(r.get("/ready").body().contains(REDIS_PASSWORD));
                InProcessRunner.await("device states written to Redis", BOUND, () -> Long.parseLong(redisCli(redisPort, "DBSIZE")) >= 2);
                assertFalse(r.poller.wiring().cache().get(DeviceId.fromKey("prod-a")).isEmpty());

                // Redis goes away: polling goes on, /ready says what is wrong.
                redis.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                InProcessRunner.await("the cache reported not ready", BOUND, () -> !check(InProcessRunner.JSON.readTree(r.get("/ready").body()), "cache")
                        .get("ok").asBoolean());
                assertEquals(503, r.get("/ready").statusCode());
                assertEquals(2, InProcessRunner.count(r.devices(), "UP"));
            }
        } finally {
            redis.destroyForcibly();
        }
    }
}
