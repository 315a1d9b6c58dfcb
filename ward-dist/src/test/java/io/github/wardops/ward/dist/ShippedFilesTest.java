package io.github.wardops.ward.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.runner.config.HttpAddress;
import io.github.wardops.ward.runner.config.RunSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files the archive and the .deb ship, read by the runner's own code: the default ward.yaml
 * (and every example commented out in it) is a configuration that {@code ward run --config}
 * accepts, and the systemd unit, the launcher and ward.yaml agree on paths and JVM flags.
 */
class ShippedFilesTest {
    private static final Path SRC = Path.of(System.getProperty("ward.dist.src", "src"));
    private static final Path WARD_YAML = SRC.resolve("dist/etc/ward.yaml");
    private static final Path UNIT = SRC.resolve("dist/systemd/ward.service");
    private static final Path LAUNCHER = SRC.resolve("dist/bin/ward");
    private static final Path DOCKERFILE = SRC.resolve("docker/Dockerfile");

    @TempDir
    Path tmp;

    @Test
    void theShippedWardYamlIsAValidConfigurationForTheService() {
        RunSettings s = RunSettings.resolve(Map.of("config", WARD_YAML.toString()), Map.of());
        assertEquals(WARD_YAML, s.configFile());
        assertEquals(Path.of("/var/lib/ward"), s.dataDir(), "the unit's StateDirectory");
        assertEquals(Path.of("/etc/ward/devices.csv"), s.inventory());
        assertEquals(HttpAddress.DEFAULT, s.http(), "loopback: no token needed");
        assertEquals(Duration.ofSeconds(30), s.interval());
        assertTrue(s.storage(), "results in the embedded PostgreSQL under data-dir");
        assertEquals(null, s.dbUrl());
        assertFalse(s.snmpTraps().on(), "traps off: no privileged port");
        // every value set comes from the file, none from the environment or a flag
        List<String> fromFile = s.effective().stream()
                .filter(e -> WARD_YAML.toString().equals(e.origin())).map(RunSettings.Effective::key).toList();
        assertEquals(List.of("inventory", "interval", "http", "data-dir"), fromFile);
    }

    @Test
    void everyExampleCommentedOutInWardYamlIsValidToo() throws IOException {
        // Uncomment every "# key: value" line (nested ones too), with the secret files it names
        // made in a temporary directory: an operator who uncomments an example gets a valid file.
        Path secrets = Files.createDirectories(tmp.resolve("secrets"));
        Pattern example = Pattern.compile("^# ( *[a-z][a-z0-9-]*:.*)$");
        StringBuilder yaml = new StringBuilder();
        List<String> uncommented = new ArrayList<>();
        for (String line : Files.readAllLines(WARD_YAML)) {
            Matcher m = example.matcher(line);
            if (m.matches()) {
                String l = m.group(1).replace("/etc/ward/secrets/", secrets + "/");
                uncommented.add(l.strip());
                yaml.append(l).append('\n');
            } else {
                yaml.append(line).append('\n');
            }
        }
        assertTrue(uncommented.size() >= 8, "examples found: " + uncommented);
        for (String name : List.of("http-token", "db-password", "community", "trap-community")) {
            Files.writeString(secrets.resolve(name), "s3cret-" + name + "-0123456789abcdef\n");
        }
        Path file = tmp.resolve("ward.yaml");
        Files.writeString(file, yaml);
        RunSettings s = RunSettings.resolve(Map.of("config", file.toString()), Map.of());
        assertEquals("jdbc:postgresql://127.0.0.1:5432/ward?sslmode=verify-full", s.dbUrl());
        assertEquals("ward", s.dbUser());
        assertEquals(1162, s.snmpTraps().port());
        assertEquals(Duration.ofDays(30), s.dbRetention());
        assertTrue(s.secret(RunSettings.HTTP_TOKEN).isPresent(), "http-token-file read");
        assertTrue(s.secret(RunSettings.DB_PASSWORD).isPresent(), "db password-file read");
        assertTrue(s.secret(RunSettings.SNMP_COMMUNITY).isPresent(), "snmp-community-file read");
        assertTrue(s.snmpTrapCommunity().isPresent(), "snmp-trap-community-file read");
    }

    @Test
    void aBrokenWardYamlIsRefusedNamingTheProblem() throws IOException {
        // the check above would notice a typo: the same code refuses one
        Path file = tmp.resolve("ward.yaml");
        Files.writeString(file, Files.readString(WARD_YAML).replace("data-dir:", "data-dri:"));
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> RunSettings.resolve(Map.of("config", file.toString()), Map.of()));
        assertTrue(e.getMessage().contains("unknown key 'data-dri' (did you mean 'data-dir'?)"), e.getMessage());
    }

    @Test
    void theUnitRunsTheBundledRuntimeHardenedWithTheShippedConfig() throws IOException {
        Map<String, List<String>> unit = directives(Files.readAllLines(UNIT));
        String exec = one(unit, "ExecStart");
        assertTrue(exec.startsWith("/opt/ward/runtime/bin/java "), exec);
        for (String part : List.of(" --enable-native-access=ALL-UNNAMED ", " -XX:+ExitOnOutOfMemoryError ",
                " -jar /opt/ward/lib/ward-runner.jar run --config /etc/ward/ward.yaml")) {
            assertTrue(exec.contains(part), "ExecStart lacks '" + part + "': " + exec);
        }
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("User", "ward");
        expected.put("Group", "ward");
        expected.put("DynamicUser", "no");
        expected.put("StateDirectory", "ward");
        expected.put("StateDirectoryMode", "0700");
        expected.put("ConfigurationDirectory", "ward");
        expected.put("AmbientCapabilities", "CAP_NET_RAW");
        expected.put("CapabilityBoundingSet", "CAP_NET_RAW");
        expected.put("NoNewPrivileges", "yes");
        expected.put("ProtectSystem", "strict");
        expected.put("ProtectHome", "yes");
        expected.put("PrivateTmp", "yes");
        expected.put("UMask", "0077");
        expected.put("RestrictAddressFamilies", "AF_INET AF_INET6 AF_UNIX AF_NETLINK");
        expected.put("SystemCallArchitectures", "native");
        expected.put("Restart", "on-failure");
        expected.put("RestartPreventExitStatus", "2");
        expected.put("KillMode", "mixed");
        expected.put("LimitNOFILE", "65536");
        expected.forEach((k, v) -> assertEquals(v, one(unit, k), k));
        // the data directory the runner uses is the one systemd makes for the service
        RunSettings s = RunSettings.resolve(Map.of("config", WARD_YAML.toString()), Map.of());
        assertEquals(Path.of("/var/lib").resolve(one(unit, "StateDirectory")), s.dataDir());
        assertEquals(s.dataDir().toString(), one(unit, "WorkingDirectory"));
        // the JVM is never given a shell in between (signals reach it) nor a writable path to run
        assertFalse(exec.contains("sh -c"), exec);
    }

    @Test
    void theLauncherUsesTheBundledRuntimeWithTheSameFlags() throws IOException {
        String launcher = Files.readString(LAUNCHER);
        assertTrue(launcher.startsWith("#!/bin/sh\n"), "POSIX sh: the .deb's only shell dependency");
        assertTrue(launcher.contains("exec \"$home/runtime/bin/java\" --enable-native-access=ALL-UNNAMED -XX:+ExitOnOutOfMemoryError"),
                launcher);
        assertTrue(launcher.contains("-jar \"$home/lib/ward-runner.jar\" \"$@\""), launcher);
        assertTrue(launcher.lines().filter(l -> !l.startsWith("#")).noneMatch(l -> l.contains("JAVA_HOME")),
                "the bundled runtime, never the caller's JDK");
    }

    @Test
    void theDockerfileRunsTheArchiveAsWardWithItsDataOnAVolume() throws IOException {
        // not built here (no container engine): at least it names what the build makes and needs
        List<String> lines = Files.readAllLines(DOCKERFILE);
        for (String line : List.of("ADD ward-${VERSION}-linux-x86_64.tar.gz /opt/", "USER ward", "VOLUME /var/lib/ward",
                "ENTRYPOINT [\"/opt/ward/bin/ward\"]", "CMD [\"run\", \"--config\", \"/etc/ward/ward.yaml\"]")) {
            assertTrue(lines.contains(line), "Dockerfile lacks: " + line);
        }
        String text = Files.readString(DOCKERFILE);
        assertTrue(text.contains("http://127.0.0.1:9090/ready"), "HEALTHCHECK on /ready");
        assertTrue(text.contains("ENV WARD_HTTP=0.0.0.0:9090"), "reachable through a published port");
        // as docs/install.md says: without a token the image's settings are refused, naming the fix
        Map<String, String> env = Map.of("WARD_HTTP", "0.0.0.0:9090");
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> RunSettings.resolve(Map.of("config", WARD_YAML.toString()), env));
        assertTrue(e.getMessage().contains("http-token"), e.getMessage());
        // with one, they hold, on the port of the health check
        Path token = tmp.resolve("http-token");
        Files.writeString(token, "0123456789abcdef0123456789abcdef\n");
        RunSettings s = RunSettings.resolve(Map.of("config", WARD_YAML.toString()),
                Map.of("WARD_HTTP", "0.0.0.0:9090", "WARD_HTTP_TOKEN_FILE", token.toString()));
        assertEquals(9090, s.http().address().getPort());
    }

    private static Map<String, List<String>> directives(List<String> lines) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String line : lines) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#") || l.startsWith("[")) {
                continue;
            }
            int eq = l.indexOf('=');
            out.computeIfAbsent(l.substring(0, eq), k -> new ArrayList<>()).add(l.substring(eq + 1));
        }
        return out;
    }

    private static String one(Map<String, List<String>> unit, String key) {
        List<String> v = unit.get(key);
        assertTrue(v != null && v.size() == 1, key + " set once: " + v);
        return v.get(0);
    }
}
