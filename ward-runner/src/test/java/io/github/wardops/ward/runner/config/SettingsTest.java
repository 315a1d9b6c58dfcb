package io.github.wardops.ward.runner.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.Ward;
import io.github.wardops.ward.alert.WebhookOptions;
import io.github.wardops.ward.inventory.Check;
import io.github.wardops.ward.postgres.PostgresOptions;
import io.github.wardops.ward.probe.IcmpOptions;
import io.github.wardops.ward.runner.http.server.HttpLimits;
import io.github.wardops.ward.state.StateTracker;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The settings table: each setting reachable by its flag key, variable and YAML key, with the library's defaults. */
class SettingsTest {
    /** A valid value for each setting without a default. */
    private static final Map<String, String> SAMPLES = Map.ofEntries(
            Map.entry("inventory", "/tmp/fleet.csv"),
            Map.entry("http-hosts", "ward.example.org"),
            Map.entry("alert-rules", "/tmp/rules.json"),
            Map.entry("notifications", "/tmp/notifications.yaml"),
            Map.entry("snmp-templates", "/tmp/ward-templates"),
            Map.entry("webhook-url", "http://127.0.0.1:8099/hook"),
            Map.entry("vm-url", "http://127.0.0.1:8428"),
            Map.entry("vm-user", "ward"),
            Map.entry("db-url", "jdbc:postgresql://127.0.0.1:5432/ward"),
            Map.entry("db-user", "ward"),
            Map.entry("zone", "branch-west"),
            Map.entry("redis-url", "redis://127.0.0.1:6379"),
            Map.entry("tcp-checks", "* => 22"),
            Map.entry("snmp-interface-rules", "/tmp/interface.rules"),
            Map.entry("snmp-v3-user", "monitor"),
            Map.entry("snmp-v3-level", "authPriv"),
            Map.entry("snmp-v3-auth-protocol", "SHA-256"),
            Map.entry("snmp-v3-priv-protocol", "AES"));

    @TempDir
    Path dir;

    /** The settings a secret needs beside it (db-password needs db-url...). */
    private static final Map<String, String> PARTNERS = Map.of("db-url", SAMPLES.get("db-url"),
            "redis-url", SAMPLES.get("redis-url"), "webhook-url", SAMPLES.get("webhook-url"),
            "vm-url", SAMPLES.get("vm-url"));

    /** A secret's partners: {@link #PARTNERS}, and vm-user for vm-password (one goes with the other). */
    private static Map<String, String> partners(Setting<?> secret) {
        Map<String, String> m = new java.util.HashMap<>(PARTNERS);
        if (secret.key().equals(RunSettings.VM_PASSWORD)) {
            m.put("vm-user", SAMPLES.get("vm-user"));
        }
        return m;
    }

    /** A plain setting's partners, as environment variables: vm-user goes with vm-password and vm-url. */
    private static Map<String, String> partnerSecrets(Setting<?> s) {
        if (s.key().equals("zone")) {
            return Map.of("WARD_DB_URL", SAMPLES.get("db-url"));
        }
        return s.key().equals("vm-user")
                ? Map.of("WARD_VM_PASSWORD", "a-secret-of-twenty-chars", "WARD_VM_URL", SAMPLES.get("vm-url")) : Map.of();
    }

    private static String sample(Setting<?> s) {
        return s.defaultText() != null ? s.defaultText() : SAMPLES.get(s.key());
    }

    private static RunSettings.Effective effective(RunSettings r, String key) {
        return r.effective().stream().filter(e -> e.key().equals(key)).findFirst().orElseThrow();
    }

    @Test
    void theDefaultsAreTheLibrarysOwn() {
        RunSettings s = RunSettings.resolve(Map.of(), Map.of(), null);
        assertEquals(Check.DEFAULT_INTERVAL, s.interval());
        assertEquals(Ward.DEFAULT_MAX_PROBES_IN_FLIGHT, s.maxProbesInFlight());
        assertEquals(IcmpOptions.DEFAULT_PACKETS_PER_SECOND, s.icmpPacketsPerSecond());
        assertEquals(StateTracker.DEFAULT_DOWN_AFTER, s.downAfter());
        assertEquals(StateTracker.DEFAULT_UP_AFTER, s.upAfter());
        assertEquals(WebhookOptions.DEFAULT_TIMEOUT, s.webhookTimeout());
        assertEquals(PostgresOptions.DEFAULT_RETENTION, s.dbRetention());
        assertEquals(HttpLimits.DEFAULTS, s.httpLimits());
        assertEquals(HttpAddress.DEFAULT, s.http());
        assertEquals(Path.of("ward-data"), s.dataDir());
        // And the library uses its constants itself, so the runner's defaults are the library's.
        assertEquals(IcmpOptions.DEFAULT_PACKETS_PER_SECOND, IcmpOptions.defaults().packetsPerSecond());
        assertEquals(WebhookOptions.DEFAULT_TIMEOUT, WebhookOptions.of(URI.create("http://127.0.0.1:1/")).timeout());
        // The values an operator reads in the docs.
        assertEquals(List.of("30s", "4096", "100000", "3", "2", "10s", "30d", "60s", "161", "postgres", "127.0.0.1:9090"),
                List.of(Settings.INTERVAL.defaultText(), Settings.MAX_PROBES_IN_FLIGHT.defaultText(),
                        Settings.ICMP_PPS.defaultText(), Settings.DOWN_AFTER.defaultText(), Settings.UP_AFTER.defaultText(),
                        Settings.WEBHOOK_TIMEOUT.defaultText(), Settings.DB_RETENTION.defaultText(),
                        Settings.SNMP_INTERVAL.defaultText(), Settings.SNMP_PORT.defaultText(),
                        Settings.STORAGE.defaultText(), Settings.HTTP.defaultText()));
    }

    @Test
    void everyDefaultReadsBackAsItself() {
        for (Setting<?> s : Settings.ALL) {
            if (s.defaultText() == null) {
                continue;
            }
            Object parsed = s.parse(s.defaultText());
            if (parsed instanceof List<?> rules) {
                assertEquals(((List<?>) s.defaultValue().orElseThrow()).size(), rules.size(), s.key());
            } else {
                assertEquals(s.defaultValue().orElseThrow(), parsed, s.key());
            }
        }
    }

    @Test
    void everySettingIsReadFromItsVariable() {
        for (Setting<?> s : Settings.ALL) {
            if (s.secret()) {
                RunSettings r = RunSettings.resolveForDatabase(partners(s), Map.of(s.env(),
                        s.key().equals(RunSettings.ENCRYPTION_KEY) ? java.util.Base64.getEncoder().encodeToString(new byte[32])
                                : "a-secret-of-twenty-chars"));
                assertEquals(s.env(), effective(r, s.key()).origin(), s.key());
                assertTrue(r.secret(s.key()).isPresent(), s.key());
                continue;
            }
            String value = sample(s);
            assertNotNull(value, s.key() + " needs a sample in SAMPLES");
            Map<String, String> env = new java.util.HashMap<>(partnerSecrets(s));
            env.put(s.env(), value);
            RunSettings r = RunSettings.resolveForDatabase(Map.of(), env);
            assertEquals(new RunSettings.Effective(s.key(), value, s.env()), effective(r, s.key()));
        }
    }

    @Test
    void everySettingIsReadFromItsYamlKeyAndItsFlag() throws Exception {
        for (Setting<?> s : Settings.ALL) {
            if (s.secret()) {
                Path secret = Files.writeString(dir.resolve(s.key()), s.key().equals(RunSettings.ENCRYPTION_KEY)
                        ? java.util.Base64.getEncoder().encodeToString(new byte[32]) : "a-secret-of-twenty-chars\n");
                Path yaml = Files.writeString(dir.resolve(s.key() + ".yaml"), s.yamlKey() + ": " + secret + "\n");
                Map<String, String> flags = new java.util.HashMap<>(partners(s));
                flags.put("config", yaml.toString());
                RunSettings r = RunSettings.resolveForDatabase(flags, Map.of());
                assertTrue(r.secret(s.key()).isPresent(), s.key());
                continue;
            }
            String value = sample(s);
            Path yaml = Files.writeString(dir.resolve(s.key() + ".yaml"), s.yamlKey() + ": '" + value + "'\n");
            RunSettings r = RunSettings.resolveForDatabase(Map.of("config", yaml.toString()), partnerSecrets(s));
            assertEquals(new RunSettings.Effective(s.key(), value, yaml.toString()), effective(r, s.key()));
            RunSettings f = RunSettings.resolveForDatabase(Map.of(s.key(), value), partnerSecrets(s));
            assertEquals(new RunSettings.Effective(s.key(), value, s.flag().orElseThrow()), effective(f, s.key()));
        }
    }

    @Test
    void namesAreDerivedOnceAndNeverShared() {
        Set<String> seen = new HashSet<>();
        for (Setting<?> s : Settings.ALL) {
            assertTrue(seen.add(s.key()), s.key());
            assertTrue(seen.add(s.env()), s.env());
            assertTrue(s.key().matches("[a-z][a-z0-9]*(-[a-z0-9]+)*"), s.key());
            assertEquals(s.secret(), s.flag().isEmpty(), s.key());
            assertFalse(s.doc().isBlank(), s.key());
            assertFalse(s.doc().contains("\n"), s.key() + ": one table row");
            if (!s.secret()) {
                assertFalse(s.help().contains(Setting.DEFAULT_PLACEHOLDER), s.key());
                if (s.defaultText() != null) {
                    assertTrue(s.help().contains("(default: " + s.defaultText()), s.key() + ": --help names the default: "
                            + s.help());
                }
            }
        }
        assertEquals("WARD_HTTP_MAX_CONNECTIONS_PER_ADDRESS", Settings.HTTP_MAX_CONNECTIONS_PER_ADDRESS.env());
        assertEquals("snmp-community-file", Settings.SNMP_COMMUNITY.yamlKey());
        assertEquals("WARD_SNMP_COMMUNITY_FILE", Settings.SNMP_COMMUNITY.fileEnv());
    }

    @Test
    void unknownKeysAreRejected() throws Exception {
        assertTrue(Settings.find("colour").isEmpty());
        assertThrows(IllegalArgumentException.class, () -> RunSettings.resolve(Map.of("colour", "red"), Map.of(), null));
        // A secret has no flag.
        assertThrows(IllegalArgumentException.class, () -> RunSettings.resolve(Map.of("http-token", "x"), Map.of(), null));
        Path yaml = Files.writeString(dir.resolve("w.yaml"), "colour: red\nsnmp-community-file-file: x\n");
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> RunSettings.resolve(Map.of("config", yaml.toString()), Map.of(), null));
        List<String> p = new ArrayList<>(e.problems());
        assertEquals(2, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("config " + yaml + ": unknown key 'colour' (every key is in docs/configuration.md"), p.get(0));
        // An unknown variable is simply not read.
        assertEquals(Check.DEFAULT_INTERVAL, RunSettings.resolve(Map.of(), Map.of("WARD_COLOUR", "red"), null).interval());
    }

    @Test
    void aSettingRefusesABadValueSayingWhy() {
        assertEquals(Duration.ofMinutes(2), Settings.INTERVAL.parse("2m"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Settings.DOWN_AFTER.parse("101"));
        assertEquals("must be 1-100", e.getMessage());
        assertThrows(UnsupportedOperationException.class, () -> Settings.HTTP_TOKEN.parse("x"));
    }
}
