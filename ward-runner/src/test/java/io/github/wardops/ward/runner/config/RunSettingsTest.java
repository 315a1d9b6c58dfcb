package io.github.wardops.ward.runner.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.runner.http.server.HttpLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunSettingsTest {
    static final String HOLDS = "holds a password (user information, or a password parameter such as password= or "
            + "sslpassword=, in any case); the value is not shown. A URL is printed in logs and status pages, so secrets "
            + "never go in one: ";

    @Test
    void vmCompatIsNoneByDefaultV1OnRequestAndNothingElse() {
        assertEquals(io.github.wardops.ward.victoriametrics.VictoriaMetricsOptions.Compat.NONE,
                RunSettings.resolve(Map.of("vm-url", "http://127.0.0.1:8428"), Map.of(), null).vmCompat());
        assertEquals(io.github.wardops.ward.victoriametrics.VictoriaMetricsOptions.Compat.V1,
                RunSettings.resolve(Map.of("vm-url", "http://127.0.0.1:8428"), Map.of("WARD_VM_COMPAT", "V1"), null)
                        .vmCompat());
        InvalidConfigurationException bad = assertThrows(InvalidConfigurationException.class,
                () -> RunSettings.resolve(Map.of("vm-url", "http://127.0.0.1:8428", "vm-compat", "v0"), Map.of(), null));
        assertEquals(List.of("vm-compat = 'v0' (from --vm-compat): must be none or v1"), bad.problems());
        InvalidConfigurationException alone = assertThrows(InvalidConfigurationException.class,
                () -> RunSettings.resolve(Map.of("vm-compat", "v1"), Map.of(), null));
        assertTrue(alone.problems().contains("vm-compat is set but vm-url is not: set WARD_VM_URL (or vm-url) too"),
                alone.problems().toString());
    }

    @Test
    void urlsHoldingAPasswordAreRefusedNamingTheSettingAndTheSecretToUseNeverTheValue() {
        String db = "set the user with db-user and the password with WARD_DB_PASSWORD_FILE (or WARD_DB_PASSWORD)";
        String redis = "set the password with WARD_REDIS_PASSWORD_FILE (or WARD_REDIS_PASSWORD)";
        String hook = "sign requests with WARD_WEBHOOK_SECRET_FILE (or WARD_WEBHOOK_SECRET) instead";
        Map<String, List<String>> refused = Map.of(
                "db-url", List.of("jdbc:postgresql://ward:S3cretValue@127.0.0.1:5432/ward",
                        "jdbc:postgresql://S3cretValue@127.0.0.1/ward",
                        "jdbc:postgresql://127.0.0.1/ward?password=S3cretValue",
                        "jdbc:postgresql://127.0.0.1/ward?PASSWORD=S3cretValue",
                        "jdbc:postgresql://127.0.0.1/ward?user=ward&Password=S3cretValue",
                        "jdbc:postgresql://127.0.0.1/ward?ssl=true&sslpassword=S3cretValue&sslmode=verify-full",
                        "jdbc:postgresql://127.0.0.1/ward?ssl=true&sslPassword=S3cretValue",
                        "jdbc:postgresql://127.0.0.1/ward?%70assword=S3cretValue"),
                "redis-url", List.of("redis://:S3cretValue@127.0.0.1:6379", "redis://default:S3cretValue@127.0.0.1:6379",
                        "redis://S3cretValue@127.0.0.1", "rediss://127.0.0.1:6380/0?password=S3cretValue",
                        "redis://127.0.0.1?timeout=5s&PassWord=S3cretValue"),
                "webhook-url", List.of("https://hook:S3cretValue@127.0.0.1/x", "https://127.0.0.1/x?password=S3cretValue",
                        "http://127.0.0.1:8080/hook?a=1&PASSWORD=S3cretValue"));
        for (Map.Entry<String, List<String>> e : refused.entrySet()) {
            String instead = switch (e.getKey()) {
                case "db-url" -> db;
                case "redis-url" -> redis;
                default -> hook;
            };
            for (String url : e.getValue()) {
                InvalidConfigurationException x = assertThrows(InvalidConfigurationException.class,
                        () -> RunSettings.resolve(Map.of(e.getKey(), url), Map.of(), null), url);
                assertEquals(List.of(e.getKey() + " (from --" + e.getKey() + "): " + HOLDS + instead), x.problems(), url);
                assertFalse(x.getMessage().contains("S3cretValue"), x.getMessage());
                // From the environment too, named as such.
                String env = "WARD_" + e.getKey().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
                InvalidConfigurationException y = assertThrows(InvalidConfigurationException.class,
                        () -> RunSettings.resolve(Map.of(), Map.of(env, url), null), url);
                assertEquals(List.of(e.getKey() + " (from " + env + "): " + HOLDS + instead), y.problems(), url);
            }
        }
        // A user without a password, and parameters that only look alike, are fine for PostgreSQL.
        RunSettings ok = RunSettings.resolve(Map.of("db-url", "jdbc:postgresql://127.0.0.1:5432/ward?user=ward&sslmode=require",
                "redis-url", "redis://127.0.0.1:6379/1?timeout=10s", "webhook-url", "https://127.0.0.1/hook?team=ops"), Map.of(), null);
        assertEquals("jdbc:postgresql://127.0.0.1:5432/ward?user=ward&sslmode=require", ok.dbUrl());
        // A URL that is refused for another reason is still not echoed when it holds a password.
        InvalidConfigurationException other = assertThrows(InvalidConfigurationException.class,
                () -> RunSettings.resolve(Map.of("db-url", "mysql://root:S3cretValue@127.0.0.1/ward"), Map.of(), null));
        assertFalse(other.getMessage().contains("S3cretValue"), other.getMessage());
    }

    @Test
    void allowLinkLocalIsOffByDefaultAndABoolean() {
        assertFalse(RunSettings.resolve(Map.of(), Map.of(), null).allowLinkLocal());
        assertTrue(RunSettings.resolve(Map.of(), Map.of("WARD_ALLOW_LINK_LOCAL", "true"), null).allowLinkLocal());
        assertTrue(RunSettings.resolve(Map.of("allow-link-local", "yes"), Map.of(), null).allowLinkLocal());
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> RunSettings.resolve(Map.of("allow-link-local", "sometimes"), Map.of(), null));
        assertEquals(List.of("allow-link-local = 'sometimes' (from --allow-link-local): must be true or false"), e.problems());
    }

    @Test
    void defaultsWithoutFlagsOrEnvironment() {
        RunSettings s = RunSettings.resolve(Map.of(), Map.of());
        assertNull(s.inventory());
        assertTrue(s.inventoryFile().isEmpty());
        assertEquals(Duration.ofSeconds(30), s.interval());
        assertEquals(HttpAddress.DEFAULT, s.http());
        assertEquals(4096, s.maxProbesInFlight());
        assertEquals(100_000, s.icmpPacketsPerSecond(), "a cap: the pace follows the fleet under it");
        assertEquals(Duration.ofSeconds(2), s.inventoryPoll());
    }

    @Test
    void environmentOverridesDefaultsAndFlagsOverrideTheEnvironment() {
        Map<String, String> env = Map.of("WARD_INTERVAL", "10s", "WARD_HTTP", "127.0.0.2:9999",
                "WARD_INVENTORY", "/tmp/from-env.csv", "WARD_ICMP_PPS", "500", "HOME", "/root");
        RunSettings s = RunSettings.resolve(Map.of("interval", "5s"), env);
        assertEquals(Duration.ofSeconds(5), s.interval());
        assertEquals("127.0.0.2:9999", s.http().toString());
        assertEquals(Path.of("/tmp/from-env.csv"), s.inventory());
        assertEquals(500, s.icmpPacketsPerSecond());
    }

    @Test
    void recheckIntervalIsTwoSecondsByDefaultZeroForNoneAndBounded() {
        assertEquals(Duration.ofSeconds(2), RunSettings.resolve(Map.of(), Map.of()).recheckInterval());
        assertEquals(Duration.ZERO, RunSettings.resolve(Map.of("recheck-interval", "0s"), Map.of()).recheckInterval());
        assertEquals(Duration.ofMillis(500),
                RunSettings.resolve(Map.of(), Map.of("WARD_RECHECK_INTERVAL", "500ms")).recheckInterval());
        for (String bad : new String[] {"50ms", "2m", "soon", "-1s"}) {
            InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                    () -> RunSettings.resolve(Map.of("recheck-interval", bad), Map.of()), bad);
            assertTrue(e.getMessage().contains("recheck-interval"), e.getMessage());
        }
    }

    @Test
    void blankEnvironmentValuesAreIgnored() {
        assertEquals(Duration.ofSeconds(30), RunSettings.resolve(Map.of(), Map.of("WARD_INTERVAL", " ")).interval());
    }

    @Test
    void everyProblemIsReportedAtOnceWithKeyValueAndOrigin() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> RunSettings.resolve(
                Map.of("http", "nowhere", "max-probes-in-flight", "0", "inventory-poll", "1ms", "inventory", " "),
                Map.of("WARD_INTERVAL", "500ms", "WARD_ICMP_PPS", "lots")));
        List<String> p = e.problems();
        assertEquals(6, p.size(), p.toString());
        assertTrue(p.contains("interval = '500ms' (from WARD_INTERVAL): must be 1s to 1d"), p.toString());
        assertTrue(p.stream().anyMatch(x -> x.startsWith("http = 'nowhere' (from --http): ")), p.toString());
        assertTrue(p.contains("max-probes-in-flight = '0' (from --max-probes-in-flight): must be 1-1000000"), p.toString());
        assertTrue(p.contains("icmp-pps = 'lots' (from WARD_ICMP_PPS): not a whole number"), p.toString());
        assertTrue(p.contains("inventory-poll = '1ms' (from --inventory-poll): must be 100ms to 1h"), p.toString());
        assertTrue(p.contains("inventory = ' ' (from --inventory): must not be empty"), p.toString());
    }

    @Test
    void everyKeyHasAnEnvironmentVariableNamedAfterIt() {
        // Written out by hand, as an operator reads them in docs/configuration.md.
        Map<String, String> known = Map.of(
                "interval", "WARD_INTERVAL",
                "http-max-connections-per-address", "WARD_HTTP_MAX_CONNECTIONS_PER_ADDRESS",
                "snmp-v3-auth-protocol", "WARD_SNMP_V3_AUTH_PROTOCOL",
                "icmp-pps", "WARD_ICMP_PPS",
                "db-password", "WARD_DB_PASSWORD");
        known.forEach((key, env) -> assertEquals(env, Settings.find(key).orElseThrow().env(), key));
        assertEquals("WARD_DB_PASSWORD_FILE", Settings.find("db-password").orElseThrow().fileEnv());
        // The variable is what resolve reads, and no two settings share one.
        assertEquals(5, RunSettings.resolve(Map.of(), Map.of("WARD_DOWN_AFTER", "5")).downAfter());
        assertEquals(Settings.ALL.size(), Settings.ALL.stream().map(Setting::env).distinct().count());
        assertThrows(IllegalArgumentException.class, () -> RunSettings.resolve(Map.of("colour", "red"), Map.of()));
    }

    @TempDir
    Path dir;

    @Test
    void interfaceRulesAreReadForRunAndConfigWithEveryBadLineButNotForDatabaseCommands() throws Exception {
        Path good = Files.writeString(dir.resolve("good.rules"), "uplink alias (?i)isp[-_ ]?(?<provider>\\w+)\nlag type 161\n");
        RunSettings r = RunSettings.resolve(Map.of("snmp-interface-rules", good.toString()), Map.of(), null);
        assertEquals(good, r.interfaceRoles().file());
        assertEquals(2, r.interfaceRoles().rules().size());
        assertEquals(RunSettings.InterfaceRoles.NONE, RunSettings.resolve(Map.of(), Map.of(), null).interfaceRoles());

        Path bad = Files.writeString(dir.resolve("bad.rules"), "uplink alias (\n\nlag type lagg\n");
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> RunSettings.resolve(Map.of(), Map.of("WARD_SNMP_INTERFACE_RULES", bad.toString()), null));
        assertTrue(e.problems().contains("snmp-interface-rules " + bad + " has 2 problems:"), e.problems().toString());
        assertTrue(e.problems().stream().anyMatch(p -> p.startsWith(bad + ":1: ")), e.problems().toString());
        assertTrue(e.problems().stream().anyMatch(p -> p.startsWith(bad + ":3: ") && p.contains("'lagg'")),
                e.problems().toString());

        Path big = dir.resolve("big.rules");
        Files.write(big, new byte[(int) RunSettings.InterfaceRoles.MAX_BYTES + 1]);
        e = assertThrows(InvalidConfigurationException.class,
                () -> RunSettings.resolve(Map.of("snmp-interface-rules", big.toString()), Map.of(), null));
        assertTrue(e.problems().contains("snmp-interface-rules " + big + ": larger than 1048576 bytes"), e.problems().toString());
        Path binary = Files.write(dir.resolve("binary.rules"), new byte[] {(byte) 0xff, (byte) 0xfe, 'x'});
        e = assertThrows(InvalidConfigurationException.class,
                () -> RunSettings.resolve(Map.of("snmp-interface-rules", binary.toString()), Map.of(), null));
        assertTrue(e.problems().get(0).startsWith("snmp-interface-rules " + binary + ": cannot be read"), e.problems().toString());

        // ward credentials and ward import poll nothing: they do not read it
        assertEquals(RunSettings.InterfaceRoles.NONE,
                RunSettings.resolveForDatabase(Map.of("snmp-interface-rules", bad.toString()), Map.of()).interfaceRoles());
    }

    @Test
    void theConfigFileSitsBetweenDefaultsAndTheEnvironment() throws Exception {
        Path yaml = Files.writeString(dir.resolve("ward.yaml"), """
                interval: 10s
                icmp-pps: 500
                down-after: 5
                webhook:
                  url: http://127.0.0.1:8099/hook
                """);
        RunSettings s = RunSettings.resolve(Map.of("config", yaml.toString(), "down-after", "4"), Map.of("WARD_ICMP_PPS", "700"));
        assertEquals(yaml, s.configFile());
        assertEquals(Duration.ofSeconds(10), s.interval());
        assertEquals(700, s.icmpPacketsPerSecond());
        assertEquals(4, s.downAfter());
        assertEquals("http://127.0.0.1:8099/hook", s.webhookUrl().toString());
        String d = s.describe();
        assertTrue(d.contains("interval: '10s'  # " + yaml), d);
        assertTrue(d.contains("icmp-pps: '700'  # WARD_ICMP_PPS"), d);
        assertTrue(d.contains("down-after: '4'  # --down-after"), d);
        assertTrue(d.contains("up-after: '2'  # default"), d);
        assertTrue(d.contains("http-token: ~  # default"), d);
    }

    @Test
    void theDefaultFileIsReadOnlyWhenPresentAndWardConfigNamesAnother() throws Exception {
        Path absent = dir.resolve("ward.yaml");
        assertNull(RunSettings.resolve(Map.of(), Map.of(), absent).configFile());
        Files.writeString(absent, "interval: 7s\n");
        assertEquals(Duration.ofSeconds(7), RunSettings.resolve(Map.of(), Map.of(), absent).interval());
        Path other = Files.writeString(dir.resolve("other.yaml"), "interval: 9s\n");
        assertEquals(Duration.ofSeconds(9), RunSettings.resolve(Map.of(), Map.of("WARD_CONFIG", other.toString()), absent).interval());
    }

    @Test
    void secretsComeFromTheEnvironmentOrAFileAndAreNeverPrinted() throws Exception {
        Path tokenFile = Files.writeString(dir.resolve("token"), "file-token-value\n");
        Path yaml = Files.writeString(dir.resolve("w.yaml"), "webhook-secret-file: " + tokenFile + "\nwebhook-url: https://127.0.0.1/h\n"
                + "db:\n  url: jdbc:postgresql://127.0.0.1:5432/ward\n");
        RunSettings s = RunSettings.resolve(Map.of("config", yaml.toString()),
                Map.of("WARD_HTTP_TOKEN", "env-token-value-1234", "WARD_DB_PASSWORD_FILE", tokenFile.toString()));
        assertEquals("env-token-value-1234", s.secret(RunSettings.HTTP_TOKEN).orElseThrow().reveal());
        assertEquals("file-token-value", s.secret(RunSettings.WEBHOOK_SECRET).orElseThrow().reveal(), "trailing newline dropped");
        assertEquals("file-token-value", s.secret(RunSettings.DB_PASSWORD).orElseThrow().reveal());
        assertTrue(s.secret(RunSettings.REDIS_PASSWORD).isEmpty());
        String d = s.describe() + s;
        assertFalse(d.contains("token-value"), d);
        assertTrue(s.describe().contains("http-token: '***'  # WARD_HTTP_TOKEN"), s.describe());
        assertTrue(s.describe().contains("db-password: '***'  # WARD_DB_PASSWORD_FILE (file " + tokenFile + ")"), s.describe());
    }

    @Test
    void storageAndCacheSettingsAreValidatedTogetherWithoutEchoingPasswords() {
        RunSettings d = RunSettings.resolve(Map.of(), Map.of(), null);
        assertTrue(d.storage());
        assertNull(d.dbUrl(), "the embedded PostgreSQL by default");
        assertEquals(Path.of("ward-data"), d.dataDir());
        assertEquals(Duration.ofDays(30), d.dbRetention());
        assertNull(d.redisUrl(), "L1 only by default");
        assertEquals(Duration.ofMinutes(5), d.cacheTtl());

        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> RunSettings.resolve(
                Map.of("db-url", "jdbc:postgresql://127.0.0.1/ward?password=hunter2-db", "storage", "sideways",
                        "redis-url", "redis://user:hunter2-redis@127.0.0.1:6379", "db-retention", "2h", "cache-ttl", "soon"),
                Map.of("WARD_DB_USER", ""), null));
        String all = String.join("\n", e.problems());
        assertEquals(5, e.problems().size(), all);
        assertTrue(all.contains("db-url (from --db-url): holds a password (user information, or a password parameter"), all);
        assertTrue(all.contains("storage = 'sideways' (from --storage): must be postgres or off"), all);
        assertTrue(all.contains("redis-url (from --redis-url): holds a password (user information, or a password parameter"), all);
        assertTrue(all.contains("db-retention = '2h'"), all);
        assertTrue(all.contains("cache-ttl = 'soon'"), all);
        assertFalse(all.contains("hunter2"), all);

        InvalidConfigurationException both = assertThrows(InvalidConfigurationException.class, () -> RunSettings.resolve(
                Map.of("db-url", "mysql://127.0.0.1/ward", "storage", "off"),
                Map.of("WARD_REDIS_PASSWORD", "r-secret", "WARD_DB_PASSWORD", "d-secret"), null));
        String b = String.join("\n", both.problems());
        assertTrue(b.contains("db-url = 'mysql://127.0.0.1/ward' (from --db-url): must be a PostgreSQL JDBC URL"), b);
        assertTrue(b.contains("db-url is set but storage is off"), b);
        assertTrue(b.contains("redis-password is set but redis-url is not"), b);
        assertFalse(b.contains("secret"), b);

        RunSettings ok = RunSettings.resolve(Map.of("redis-url", "rediss://127.0.0.1:6380/2", "storage", "off"),
                Map.of("WARD_REDIS_PASSWORD", "r-secret"), null);
        assertFalse(ok.storage());
        assertEquals("rediss://127.0.0.1:6380/2", ok.redisUrl());
    }

    @Test
    void httpLimitsHaveDefaultsAndEveryBadOneIsReported() {
        RunSettings d = RunSettings.resolve(Map.of(), Map.of(), null);
        assertEquals(HttpLimits.DEFAULTS, d.httpLimits());
        assertFalse(d.httpAllowInsecure());

        RunSettings s = RunSettings.resolve(Map.of("http-hosts", "Ward.Example., [::1]:09090, 10.0.0.5:80, *",
                        "http-max-connections", "10", "http-max-connections-per-address", "10"),
                Map.of("WARD_HTTP_IDLE_TIMEOUT", "5s", "WARD_HTTP_MAX_CONCURRENT_REQUESTS", "2", "WARD_HTTP_HEADER_TIMEOUT", "2s",
                        "WARD_HTTP_BODY_TIMEOUT", "3s", "WARD_HTTP_WRITE_TIMEOUT", "1m"), null);
        assertEquals(new HttpLimits(10, 10, 2, Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(5),
                Duration.ofMinutes(1), List.of("ward.example", "[::1]:9090", "10.0.0.5:80", "*")), s.httpLimits());

        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> RunSettings.resolve(
                Map.of("http-hosts", "ok.example, bad host", "http-max-connections", "10",
                        "http-max-connections-per-address", "11", "http-max-concurrent-requests", "0",
                        "http-header-timeout", "1ms", "http-body-timeout", "1h", "http-idle-timeout", "never",
                        "http-write-timeout", "10ms", "http-allow-insecure", "maybe"), Map.of(), null));
        List<String> p = e.problems();
        assertEquals(8, p.size(), p.toString());
        assertTrue(p.contains("http-hosts = 'ok.example, bad host' (from --http-hosts): 'bad host' is not a host name, "
                + "NAME:PORT, [IPV6]:PORT or *"), p.toString());
        assertTrue(p.contains("http-max-connections-per-address = '11' (from --http-max-connections-per-address): must be at "
                + "most http-max-connections (10)"), p.toString());
        assertTrue(p.contains("http-max-concurrent-requests = '0' (from --http-max-concurrent-requests): must be 1-1024"),
                p.toString());
        assertTrue(p.contains("http-header-timeout = '1ms' (from --http-header-timeout): must be 100ms to 10m"), p.toString());
        assertTrue(p.contains("http-body-timeout = '1h' (from --http-body-timeout): must be 100ms to 10m"), p.toString());
        assertTrue(p.stream().anyMatch(x -> x.startsWith("http-idle-timeout = 'never' (from --http-idle-timeout): ")), p.toString());
        assertTrue(p.contains("http-write-timeout = '10ms' (from --http-write-timeout): must be 1s to 1h"), p.toString());
        assertTrue(p.contains("http-allow-insecure = 'maybe' (from --http-allow-insecure): must be true or false"), p.toString());
    }

    @Test
    void aBearerTokenThatIsBlankShortOrNotPrintableAsciiIsRefusedWithoutEchoingIt() throws Exception {
        Map<String, String> bad = Map.of(
                "   ", "is blank",
                "\t \t", "is blank",
                "tiny-t0ken", "is shorter than 16 characters",
                "s3cr\u00e9t-n\u00f6n-ascii-value", "may hold only printable ASCII characters without spaces",
                "s3cret with-a-space-inside", "may hold only printable ASCII characters without spaces");
        for (Map.Entry<String, String> b : bad.entrySet()) {
            InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                    () -> RunSettings.resolve(Map.of(), Map.of("WARD_HTTP_TOKEN", b.getKey()), null), b.getKey());
            assertEquals(1, e.problems().size(), e.problems().toString());
            String p = e.problems().get(0);
            assertTrue(p.startsWith("http-token (from WARD_HTTP_TOKEN): " + b.getValue()), p);
            assertTrue(p.contains("head -c 32 /dev/urandom | base64"), p);
            if (!b.getKey().isBlank()) {
                assertFalse(e.getMessage().contains(b.getKey()) || e.getMessage().contains("s3cr"), e.getMessage());
            }
        }
        Path blank = Files.writeString(dir.resolve("blank-token"), " \t \n");
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> RunSettings.resolve(Map.of(), Map.of("WARD_HTTP_TOKEN_FILE", blank.toString()), null));
        assertEquals(List.of("http-token (from WARD_HTTP_TOKEN_FILE (file " + blank + ")): is blank; make one with: "
                + "head -c 32 /dev/urandom | base64"), e.problems());
        assertEquals("0123456789abcdef", RunSettings.resolve(Map.of(), Map.of("WARD_HTTP_TOKEN", "0123456789abcdef"), null)
                .secret(RunSettings.HTTP_TOKEN).orElseThrow().reveal(), "16 characters are enough");
    }

    @Test
    void listeningBeyondLoopbackNeedsATokenOrAnExplicitAllowInsecure() {
        for (String addr : List.of("0.0.0.0:9090", "[::]:9090", "192.0.2.10:9090")) {
            InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                    () -> RunSettings.resolve(Map.of("http", addr), Map.of(), null), addr);
            assertEquals(1, e.problems().size(), e.problems().toString());
            String p = e.problems().get(0);
            assertTrue(p.startsWith("http = '" + addr + "' (from --http): listens beyond loopback, but no bearer token is set"), p);
            assertTrue(p.contains("WARD_HTTP_TOKEN_FILE=/etc/ward/http-token") && p.contains("http-allow-insecure: true"), p);
        }
        assertTrue(RunSettings.resolve(Map.of("http", "0.0.0.0:9090", "http-allow-insecure", "true"), Map.of(), null)
                .httpAllowInsecure());
        assertEquals("0.0.0.0:9090", RunSettings.resolve(Map.of("http", "0.0.0.0:9090"),
                Map.of("WARD_HTTP_TOKEN", "0123456789abcdef"), null).http().toString());
        for (String loopback : List.of("127.0.0.1:9090", "127.9.9.9:1", "[::1]:9090", "localhost:9090", "off")) {
            RunSettings.resolve(Map.of("http", loopback), Map.of(), null);
        }
        // A command that serves no HTTP (ward credentials, ward import) is not refused for it.
        assertEquals("0.0.0.0:9090", RunSettings.resolveForDatabase(Map.of("http", "0.0.0.0:9090"), Map.of()).http().toString());
    }

    @Test
    void everySecretProblemIsReportedWithoutTheSecret() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        Path yaml = Files.writeString(dir.resolve("w.yaml"), "redis-password: yaml-secret-value\n");
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> RunSettings.resolve(
                Map.of("config", yaml.toString()),
                Map.of("WARD_HTTP_TOKEN", "env-secret-value", "WARD_HTTP_TOKEN_FILE", empty.toString(),
                        "WARD_WEBHOOK_SECRET_FILE", empty.toString(),
                        "WARD_DB_PASSWORD_FILE", dir.resolve("missing").toString(),
                        "WARD_ENCRYPTION_KEY", "k")));
        List<String> p = e.problems();
        String all = String.join("\n", p) + e.getMessage();
        assertFalse(all.contains("secret-value"), all);
        assertEquals(5, p.size(), all);
        assertTrue(p.get(4).startsWith("encryption-key (from WARD_ENCRYPTION_KEY) line 1: not a key: expected one standard "
                + "base64 key of 32 bytes alone"), p.get(4));
        assertTrue(p.get(0).startsWith("http-token: set by both WARD_HTTP_TOKEN and http-token-file"), p.get(0));
        assertTrue(p.get(1).equals("webhook-secret-file = '" + empty + "' (from WARD_WEBHOOK_SECRET_FILE): the file is empty"), p.get(1));
        assertTrue(p.get(2).startsWith("db-password-file = '" + dir.resolve("missing") + "' (from WARD_DB_PASSWORD_FILE): cannot be read"),
                p.get(2));
        assertTrue(p.get(3).startsWith("redis-password (in " + yaml + "): secrets are not read from the configuration file"), p.get(3));
    }

    @Test
    void newSettingsAreValidatedTogether() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> RunSettings.resolve(
                Map.of("down-after", "0", "up-after", "101", "alert-tick", "10m", "webhook-url", "ftp://127.0.0.1/x",
                        "webhook-timeout", "0s", "notify-log", "maybe", "alert-rules", ""),
                Map.of()));
        List<String> p = e.problems();
        assertEquals(7, p.size(), p.toString());
        assertTrue(p.contains("down-after = '0' (from --down-after): must be 1-100"), p.toString());
        assertTrue(p.contains("up-after = '101' (from --up-after): must be 1-100"), p.toString());
        assertTrue(p.contains("alert-tick = '10m' (from --alert-tick): must be 1s to 1m"), p.toString());
        assertTrue(p.contains("webhook-url = 'ftp://127.0.0.1/x' (from --webhook-url): must be an absolute http:// or https:// URL"),
                p.toString());
        assertTrue(p.contains("notify-log = 'maybe' (from --notify-log): must be true or false"), p.toString());
        assertTrue(p.contains("alert-rules = '' (from --alert-rules): must not be empty"), p.toString());
        InvalidConfigurationException creds = assertThrows(InvalidConfigurationException.class,
                () -> RunSettings.resolve(Map.of("webhook-url", "https://user:pass-word@127.0.0.1/x"), Map.of()));
        assertEquals(List.of("webhook-url (from --webhook-url): " + HOLDS + "sign requests with WARD_WEBHOOK_SECRET_FILE (or "
                + "WARD_WEBHOOK_SECRET) instead"), creds.problems());
        InvalidConfigurationException orphan = assertThrows(InvalidConfigurationException.class,
                () -> RunSettings.resolve(Map.of(), Map.of("WARD_WEBHOOK_SECRET", "s")));
        assertEquals(List.of("webhook-secret is set but webhook-url is not: set WARD_WEBHOOK_URL (or webhook-url) too"),
                orphan.problems());
    }

    @Test
    void snmpRulesAndV3CredentialsAreValidatedTogetherWithoutEchoingPassphrases() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> RunSettings.resolve(
                Map.of("snmp-checks", "snmp_version = 3 => v 4; bad selector ( => v2c; region = X"),
                Map.of("WARD_SNMP_V3_AUTH_PASSPHRASE", "secret-auth-pp", "WARD_SNMP_V3_PRIV_PASSPHRASE", "secret-priv-pp"),
                null));
        String m = e.getMessage();
        assertTrue(m.contains("'v 4' must be v1, v2c, v3 or the name of stored credentials"), m);
        assertTrue(m.contains("rule 'bad selector ( => v2c': bad selector"), m);
        assertTrue(m.contains("rule 'region = X' has no '=>'"), m);
        assertTrue(m.contains("snmp-v3-user: a user is required"), m);
        assertTrue(m.contains("snmp-v3-auth-protocol: required"), m);
        assertTrue(m.contains("snmp-v3-priv-protocol: required"), m);
        assertFalse(m.contains("secret-auth-pp") || m.contains("secret-priv-pp"), m);

        // rules the operator wrote need their credentials; the default ones just stay off
        InvalidConfigurationException noCreds = assertThrows(InvalidConfigurationException.class, () -> RunSettings.resolve(
                Map.of("snmp-checks", "device_type = Router => v2c; * => v3"), Map.of(), null));
        assertTrue(noCreds.getMessage().contains("rule 'device_type = Router => v2c' uses v2c credentials, but snmp-community"
                + " is not set"), noCreds.getMessage());
        assertTrue(noCreds.getMessage().contains("rule '* => v3' uses v3 credentials, but snmp-v3-user is not set"),
                noCreds.getMessage());
        assertEquals(3, RunSettings.resolve(Map.of(), Map.of(), null).snmpChecks().size());

        InvalidConfigurationException mismatch = assertThrows(InvalidConfigurationException.class, () -> RunSettings.resolve(
                Map.of("snmp-v3-user", "ward", "snmp-v3-level", "authNoPriv", "snmp-v3-auth-protocol", "SHA",
                        "snmp-v3-priv-protocol", "AES"),
                Map.of("WARD_SNMP_V3_AUTH_PASSPHRASE", "secret-auth-pp"), null));
        assertTrue(mismatch.getMessage().contains("snmp-v3-level is authNoPriv, but a privacy protocol or passphrase is set"),
                mismatch.getMessage());

        InvalidConfigurationException forgotten = assertThrows(InvalidConfigurationException.class, () -> RunSettings.resolve(
                Map.of("snmp-v3-user", "ward", "snmp-v3-auth-protocol", "SHA", "snmp-v3-priv-protocol", "AES"),
                Map.of("WARD_SNMP_V3_AUTH_PASSPHRASE", "secret-auth-pp"), null));
        assertTrue(forgotten.getMessage().contains("snmp-v3-priv-protocol AES is given but no privacy passphrase "
                + "(snmp-v3-priv-passphrase)"), forgotten.getMessage());
        assertEquals(1, forgotten.problems().size(), forgotten.getMessage());

        InvalidConfigurationException shortPass = assertThrows(InvalidConfigurationException.class, () -> RunSettings.resolve(
                Map.of("snmp-v3-user", "ward", "snmp-v3-auth-protocol", "MD4"),
                Map.of("WARD_SNMP_V3_AUTH_PASSPHRASE", "short"), null));
        assertTrue(shortPass.getMessage().contains("snmp-v3-auth-protocol MD4: must be MD5, SHA"), shortPass.getMessage());
        assertFalse(shortPass.getMessage().contains("short'"), shortPass.getMessage());

        InvalidConfigurationException tooShort = assertThrows(InvalidConfigurationException.class, () -> RunSettings.resolve(
                Map.of("snmp-v3-user", "ward", "snmp-v3-auth-protocol", "SHA"),
                Map.of("WARD_SNMP_V3_AUTH_PASSPHRASE", "pp-7chr"), null));
        assertTrue(tooShort.getMessage().contains("SNMP v3 credentials:"), tooShort.getMessage());
        assertFalse(tooShort.getMessage().contains("pp-7chr"), tooShort.getMessage());

        RunSettings ok = RunSettings.resolve(Map.of("snmp-v3-user", "ward", "snmp-v3-auth-protocol", "SHA"),
                Map.of("WARD_SNMP_V3_AUTH_PASSPHRASE", "auth-pass-value"), null);
        String printed = ok.describe();
        assertTrue(printed.contains("snmp-v3-auth-passphrase: '***'"), printed);
        assertTrue(printed.contains("snmp-v3-user: 'ward'"), printed);
        assertFalse(printed.contains("auth-pass-value"), printed);
        assertFalse(ok.toString().contains("auth-pass-value"), "not even in toString");
    }

    @Test
    void theInventorySourceNeedsTheDatabaseAndDatabaseAloneReadsNoFile() {
        assertEquals(InventorySource.FILE, RunSettings.resolve(Map.of(), Map.of(), null).inventorySource());
        assertEquals(InventorySource.BOTH, RunSettings.resolve(Map.of("inventory-source", "Both", "inventory", "/tmp/f.csv"),
                Map.of(), null).inventorySource());
        assertEquals(InventorySource.DATABASE, RunSettings.resolve(Map.of(), Map.of("WARD_INVENTORY_SOURCE", "database"), null)
                .inventorySource());
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> RunSettings.resolve(
                Map.of("inventory-source", "database", "storage", "off", "inventory", "/tmp/f.csv"), Map.of(), null));
        assertTrue(e.getMessage().contains("inventory-source = 'database' (from --inventory-source): needs the database, "
                + "but storage is off"), e.getMessage());
        assertTrue(e.getMessage().contains("inventory = '/tmp/f.csv' (from --inventory): inventory-source is database"),
                e.getMessage());
        InvalidConfigurationException bad = assertThrows(InvalidConfigurationException.class, () -> RunSettings.resolve(
                Map.of("inventory-source", "ldap"), Map.of(), null));
        assertTrue(bad.getMessage().contains("inventory-source = 'ldap' (from --inventory-source): must be file, database or "
                + "both"), bad.getMessage());
    }

    @Test
    void storedCredentialRulesNeedTheDatabaseAndAKeyWhichIsNeverEchoed() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> RunSettings.resolve(
                Map.of("snmp-checks", "region = Tbilisi => core-v3; * => bad/name"), Map.of(), null));
        assertTrue(e.getMessage().contains("'bad/name' must be v1, v2c, v3 or the name of stored credentials"), e.getMessage());
        InvalidConfigurationException noKey = assertThrows(InvalidConfigurationException.class, () -> RunSettings.resolve(
                Map.of("snmp-checks", "region = Tbilisi => core-v3"), Map.of(), null));
        assertTrue(noKey.getMessage().contains("rule 'region = Tbilisi => core-v3' uses stored credentials 'core-v3', but "
                + "encryption-key is not set"), noKey.getMessage());
        InvalidConfigurationException off = assertThrows(InvalidConfigurationException.class, () -> RunSettings.resolve(
                Map.of("snmp-checks", "* => core-v3", "storage", "off"), Map.of(), null));
        assertTrue(off.getMessage().contains("uses stored credentials 'core-v3', but storage is off"), off.getMessage());

        String notAKey = "this-is-not-a-key-but-a-secret-value";
        InvalidConfigurationException bad = assertThrows(InvalidConfigurationException.class, () -> RunSettings.resolve(
                Map.of(), Map.of("WARD_ENCRYPTION_KEY", notAKey), null));
        assertTrue(bad.getMessage().contains("encryption-key (from WARD_ENCRYPTION_KEY) line 1: not a key"),
                bad.getMessage());
        assertFalse(bad.getMessage().contains(notAKey), bad.getMessage());

        String key = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        RunSettings ok = RunSettings.resolve(Map.of("snmp-checks", "region = Tbilisi => core-v3; * => v2c"),
                Map.of("WARD_ENCRYPTION_KEY", key, "WARD_SNMP_COMMUNITY", "c"), null);
        assertEquals("default", ok.encryptionKeys().currentId());
        Setting<?> k = Settings.find(RunSettings.ENCRYPTION_KEY).orElseThrow();
        assertEquals(io.github.wardops.ward.postgres.SecretKeys.ENV_KEY, k.env(), "one variable for the library and the runner");
        assertEquals(io.github.wardops.ward.postgres.SecretKeys.ENV_KEY_FILE, k.fileEnv());
        assertTrue(ok.snmpChecks().get(0).stored());
        assertFalse(ok.snmpChecks().get(1).stored());
        assertFalse(ok.describe().contains(key), "the key is masked");
    }
}
