package io.github.wardops.ward.runner.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTest {
    @TempDir
    Path dir;

    private final List<String> problems = new ArrayList<>();

    @Test
    void flatAndNestedKeysAreRead() {
        Map<String, String> v = ConfigFile.parse("""
                interval: 10s
                max-probes-in-flight: 100
                notify-log: false
                webhook:
                  url: https://hooks.example.org/ward
                  timeout: 5s
                  secret-file: /run/secrets/hook
                inventory:
                """, "ward.yaml", problems);
        assertEquals(List.of(), problems);
        assertEquals(Map.of("interval", "10s", "max-probes-in-flight", "100", "notify-log", "false",
                "webhook-url", "https://hooks.example.org/ward", "webhook-timeout", "5s",
                "webhook-secret-file", "/run/secrets/hook"), v);
    }

    @Test
    void everyBadKeyAndValueIsReportedWithTheFileName() {
        Map<String, String> v = ConfigFile.parse("""
                interval: 10s
                colour: red
                http: [1, 2]
                webhook:
                  colour: blue
                """, "/etc/ward.yaml", problems);
        assertEquals(Map.of("interval", "10s"), v);
        assertEquals(3, problems.size(), problems.toString());
        assertEquals("config /etc/ward.yaml: unknown key 'colour' (every key is in docs/configuration.md; "
                + "`ward config --print` shows them with their values)", problems.get(0));
        assertEquals("config /etc/ward.yaml: http must be a single value, found a list", problems.get(1));
        assertTrue(problems.get(2).contains("unknown key 'webhook-colour'"), problems.get(2));
    }

    @Test
    void aMistypedKeyGetsTheKeyItMeant() {
        List<String> problems = new ArrayList<>();
        ConfigFile.parse("intervall: 10s\nwebhook-secret-fil: /etc/ward/hook\n", "/etc/ward.yaml", problems);
        assertEquals(List.of("config /etc/ward.yaml: unknown key 'intervall' (did you mean 'interval'?)",
                "config /etc/ward.yaml: unknown key 'webhook-secret-fil' (did you mean 'webhook-secret-file'?)"), problems);
    }

    @Test
    void aSecretValueIsMarkedButNeverKept() {
        Map<String, String> v = ConfigFile.parse("http-token: hunter2-secret\n", "ward.yaml", problems);
        assertEquals(Map.of("http-token", ""), v);
        assertEquals(List.of(), problems);
    }

    @Test
    void malformedDocumentsAreOneProblemEach() {
        ConfigFile.parse("interval: [unclosed\n", "a.yaml", problems);
        ConfigFile.parse("- just\n- a list\n", "b.yaml", problems);
        ConfigFile.parse("42\n", "c.yaml", problems);
        assertEquals(3, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("config a.yaml: not valid YAML at line "), problems.get(0));
        assertEquals("config b.yaml: expected a map of settings (key: value), found a list", problems.get(1));
        assertTrue(problems.get(2).startsWith("config c.yaml: expected a map of settings"), problems.get(2));
        assertEquals(Map.of(), ConfigFile.parse("", "empty.yaml", problems));
        assertEquals(Map.of(), ConfigFile.parse("# only a comment\n", "comment.yaml", problems));
        assertEquals(3, problems.size());
    }

    @Test
    void missingAndOversizedFilesAreProblems() throws Exception {
        ConfigFile.read(dir.resolve("missing.yaml"), problems);
        Path big = Files.writeString(dir.resolve("big.yaml"), "# " + "x".repeat((int) ConfigFile.MAX_BYTES) + "\n");
        ConfigFile.read(big, problems);
        assertEquals(List.of("config " + dir.resolve("missing.yaml") + ": no such file",
                "config " + big + ": larger than 1048576 bytes"), problems);
    }
}
