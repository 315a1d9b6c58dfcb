package io.github.wardops.ward.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.Secret;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresOptionsTest {

    @Test
    void defaultsAreSmallAndSafe() {
        PostgresOptions o = PostgresOptions.builder().jdbc("jdbc:postgresql://127.0.0.1/ward", "ward", Secret.of("pw")).build();
        assertEquals(4, o.maxPoolSize());
        assertEquals(WriteMode.COPY, o.writeMode());
        assertEquals(Duration.ofDays(30), o.retention("ping_results"));
        assertEquals(Duration.ofDays(30), o.retention("interface_samples"));
        assertEquals(Duration.ofDays(30), o.retention("snmp_values"));
        assertEquals(256L << 20, o.spoolMaxBytes());
        assertEquals(262_144, o.stateWriteCapacity());
        assertEquals(Duration.ofDays(400), o.rollupRetention());
        assertEquals(Duration.ofDays(400), o.eventRetention());
        assertEquals(Duration.ofDays(30), o.notificationRetention());
        assertEquals(10_000, o.maxSilences());
    }

    @Test
    void everyBadSettingIsReportedAtOnce() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> PostgresOptions.builder()
                .jdbc("jdbc:mysql://x/y", null, Secret.of("hunter2"))
                .maxPoolSize(0)
                .connectionTimeout(Duration.ZERO)
                .spoolSegmentBytes(10)
                .spoolMaxBytes(100)
                .spoolMaxAge(null)
                .retention("ping_results", Duration.ofHours(36))
                .retention("nope", Duration.ofDays(3))
                .partitionsAhead(0)
                .stateWriteCapacity(999)
                .ticker(null)
                .rollupRetention(Duration.ofHours(25))
                .eventRetention(Duration.ofDays(3651))
                .notificationRetention(Duration.ofHours(12))
                .maxSilences(0)
                .build());
        assertEquals(15, e.problems().size(), e.getMessage());
        assertTrue(e.problems().contains("notificationRetention = PT12H: must be whole days, 1-3650"), e.getMessage());
        assertTrue(e.problems().contains("maxSilences = 0: must be 1-1000000"), e.getMessage());
        assertTrue(e.problems().contains("rollupRetention = PT25H: must be whole days, 1-3650"), e.getMessage());
        assertTrue(e.problems().contains("eventRetention = PT87624H: must be whole days, 1-3650"), e.getMessage());
        assertTrue(e.problems().contains("ticker: must not be null"), e.getMessage());
        assertTrue(e.getMessage().contains("stateWriteCapacity = 999: must be 1000-10000000"));
        assertTrue(e.getMessage().contains("maxPoolSize = 0"));
        assertTrue(e.getMessage().contains("retention[ping_results] = PT36H"));
        assertTrue(e.getMessage().contains("unknown table 'nope'"));
        assertFalse(e.getMessage().contains("hunter2"));
    }

    @Test
    void exactlyOneConnectionSource() {
        String problem = "jdbc/dataSource: give exactly one of a JDBC URL and a DataSource";
        InvalidConfigurationException none = assertThrows(InvalidConfigurationException.class,
                () -> PostgresOptions.builder().build());
        assertEquals(List.of(problem), none.problems());
        assertTrue(none.getMessage().contains(problem), none.getMessage());
        DataSource ds = (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    throw new UnsupportedOperationException(method.getName());
                });
        InvalidConfigurationException both = assertThrows(InvalidConfigurationException.class,
                () -> PostgresOptions.builder().jdbc("jdbc:postgresql://127.0.0.1:5432/ward", "ward", null)
                        .dataSource(ds).build());
        assertEquals(List.of(problem), both.problems());
        assertSame(ds, PostgresOptions.builder().dataSource(ds).build().dataSource().orElseThrow());
        assertEquals("jdbc:postgresql://127.0.0.1:5432/ward", PostgresOptions.builder()
                .jdbc("jdbc:postgresql://127.0.0.1:5432/ward", "ward", null).build().jdbcUrl().orElseThrow());
    }

    @Test
    void keyFileErrorsNameTheLineNeverTheKey(@TempDir Path dir) throws Exception {
        String good = Base64.getEncoder().encodeToString(new byte[32]);
        Path f = dir.resolve("keys");
        Files.writeString(f, "# ward keys\nk2=" + good + "\nbroken line\nk3=%%%notbase64\nk4=" + Base64.getEncoder()
                .encodeToString(new byte[16]) + "\n");
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> SecretKeys.fromFile(f));
        assertTrue(e.getMessage().contains("line 3: not a key: expected"), e.getMessage());
        assertTrue(e.getMessage().contains("line 4: key 'k3' is not valid base64"), e.getMessage());
        Files.writeString(f, "k2=" + good + "\nk1=" + good + "\n");
        SecretKeys keys = SecretKeys.fromFile(f);
        assertEquals("k2", keys.currentId());
        assertFalse(keys.toString().contains(good));
        InvalidConfigurationException shortKey = assertThrows(InvalidConfigurationException.class,
                () -> SecretKeys.of("a", Map.of("a", new byte[16])));
        assertTrue(shortKey.getMessage().contains("must be 32 bytes"));
    }

    @Test
    void keysFromTheEnvironment(@TempDir Path dir) throws Exception {
        String good = Base64.getEncoder().encodeToString(new byte[32]);
        assertEquals("prod-2026", SecretKeys.fromEnvironment(Map.of(SecretKeys.ENV_KEY, "prod-2026=" + good)).currentId());
        assertEquals("default", SecretKeys.fromEnvironment(Map.of(SecretKeys.ENV_KEY, good)).currentId());
        assertThrows(InvalidConfigurationException.class, () -> SecretKeys.fromEnvironment(Map.of()));
        assertThrows(InvalidConfigurationException.class, () -> SecretKeys.fromEnvironment(Map.of(SecretKeys.ENV_KEY, "??")));
        Path f = dir.resolve("k");
        Files.writeString(f, "file-key=" + good + "\n");
        assertEquals("file-key", SecretKeys.fromEnvironment(Map.of(SecretKeys.ENV_KEY_FILE, f.toString())).currentId());
    }
}
