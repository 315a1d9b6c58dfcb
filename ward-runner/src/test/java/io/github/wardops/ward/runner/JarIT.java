package io.github.wardops.ward.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar, as an operator runs it: {@code java -jar target/ward-runner.jar}. Runs after
 * {@code package}, so it tests what ships: the manifest (main class, native access), the merged
 * service files, the bundled fleet, and a clean stop on SIGTERM.
 */
class JarIT {
    private static final Pattern STARTED = Pattern.compile("ward runner started: .* HTTP on http://127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path dir;

    private static Path jar() {
        Path jar = Path.of(System.getProperty("ward.runner.jar", "target/ward-runner.jar"));
        assertTrue(Files.isRegularFile(jar), "build the jar first (mvn package): " + jar.toAbsolutePath());
        return jar;
    }

    private static ProcessBuilder java(String... args) {
        return java(List.of(), args);
    }

    /** {@code prefix} wraps the java command, such as {@code unshare -n}. */
    private static ProcessBuilder java(List<String> prefix, String... args) {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        cmd.add("-jar");
        cmd.add(jar().toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        // No embedded PostgreSQL unless a test asks for it with --storage postgres.
        pb.environment().put("WARD_STORAGE", "off");
        return pb;
    }

    /**
     * Starts the jar with its output going to a file: {@link Process#destroy()} closes the pipes to
     * the child, so what the shutdown hook logs can only be read from a file.
     */
    private Process start(Path log, String... args) throws IOException {
        return java(args).redirectOutput(log.toFile()).start();
    }

    /** Whether a command runs here (unshare and setpriv need root). */
    private static boolean runs(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static String read(Path log) throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    @Test
    void runServesHttpAndStopsCleanlyOnSigterm() throws Exception {
        sigtermStopsCleanly(false);
    }

    /**
     * With the embedded PostgreSQL on: the server must outlive the engine's drain. (zonky's own
     * shutdown hook used to stop it concurrently with ward's, so the last batch went to the spool.)
     */
    @Test
    void runWithEmbeddedPostgresStopsCleanlyOnSigterm() throws Exception {
        sigtermStopsCleanly(true);
    }

    private void sigtermStopsCleanly(boolean storage) throws Exception {
        Path csv = dir.resolve("fleet.csv");
        Files.writeString(csv, "id,name,address,enabled\n"
                + "6f1c1b0e-4f7e-4a57-9a43-0d7a3d1f0001,a,127.43.0.1,true\n"
                + "6f1c1b0e-4f7e-4a57-9a43-0d7a3d1f0002,b,127.43.0.2,true\n");
        Path log = dir.resolve(storage ? "run-pg.log" : "run.log");
        Process p = storage
                ? java("run", "--inventory", csv.toString(), "--interval", "1s", "--http", "127.0.0.1:0",
                        "--storage", "postgres", "--data-dir", dir.resolve("data").toString())
                        .redirectOutput(log.toFile()).start()
                : start(log, "run", "--inventory", csv.toString(), "--interval", "1s", "--http", "127.0.0.1:0");
        try {
            int port = -1;
            // With storage, a first start unpacks and checks the PostgreSQL binaries and runs initdb:
            // about 5 s on a quiet machine, several times that on a loaded one.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(storage ? 90 : 30);
            while (port < 0 && p.isAlive() && System.nanoTime() - deadline < 0) {
                Matcher m = STARTED.matcher(read(log));
                if (m.find()) {
                    port = Integer.parseInt(m.group(1));
                } else {
                    Thread.sleep(50);
                }
            }
            assertTrue(port > 0, "no start line; output: " + read(log));
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());
            if (storage) {
                Thread.sleep(2500); // a few cycles of results flowing into the database
            }

            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), "still running 20 s after SIGTERM; output: " + read(log));
            String all = read(log);
            // The JVM reports a SIGTERM exit as 128 + 15 even when every shutdown hook finished.
            assertEquals(143, p.exitValue(), "output: " + all);
            assertTrue(all.contains("ward runner stopping"), all);
            assertTrue(all.contains("ward runner stopped"), all);
            assertTrue(!all.contains("Exception"), all);
            if (storage) {
                // a quiet start: ward's own lines say what Flyway and HikariCP would; the schema is migrated once
                String start = all.substring(0, all.indexOf("ward runner started"));
                assertFalse(start.contains("FlywayExecutor") || start.contains("DbMigrate") || start.contains("HikariDataSource"),
                        start);
                assertTrue(start.lines().count() <= 20, start.lines().count() + " start-up lines:\n" + start);
                assertTrue(all.contains("results stored in the embedded PostgreSQL in "), all);
                assertTrue(all.contains("off: ") && all.contains("SNMP traps (snmp-trap-port)"),
                        "the summary says what is off and how to turn it on:\n" + all);
                String shutdown = all.substring(all.indexOf("ward runner stopping"));
                assertFalse(shutdown.contains(" WARN ") || shutdown.contains(" ERROR "),
                        "no warning at shutdown (the database must outlive the engine's drain):\n" + shutdown);
            }
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void theJarCarriesTheEmbeddedPostgresAndItsMigrations() throws Exception {
        Path csv = dir.resolve("import.csv");
        Files.writeString(csv, "id,name,address\n"
                + "6f1c1b0e-4f7e-4a57-9a43-0d7a3d1f0011,a,127.43.0.11\n"
                + "6f1c1b0e-4f7e-4a57-9a43-0d7a3d1f0012,b,127.43.0.12\n");
        Path log = dir.resolve("import.log");
        ProcessBuilder pb = java("import", "--data-dir", dir.resolve("data").toString(), csv.toString());
        pb.environment().remove("WARD_STORAGE");
        Process p = pb.redirectOutput(log.toFile()).start();
        try {
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "import still running; output: " + read(log));
            assertEquals(0, p.exitValue(), read(log));
            assertTrue(read(log).contains("imported 2 devices"), read(log));
            assertTrue(Files.isRegularFile(dir.resolve("data").resolve("pg").resolve("PG_VERSION")));
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void sweepAndVersionRunFromTheJar() throws Exception {
        Path log = dir.resolve("sweep.log");
        Process p = start(log, "sweep", "127.43.1.1", "127.43.1.2");
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        List<String> out = read(log).lines().toList();
        assertEquals(0, p.exitValue(), "output: " + out);
        assertTrue(out.stream().anyMatch(l -> l.startsWith("127.43.1.2 : xmt/rcv/%loss = 1/1/0%")), out.toString());
        assertTrue(out.stream().anyMatch(l -> l.startsWith("2 targets, 2 answered")), out.toString());
        assertTrue(out.stream().noneMatch(l -> l.contains("WARNING")), "no native-access warning: " + out);

        Path vlog = dir.resolve("version.log");
        Process v = start(vlog, "--version");
        assertTrue(v.waitFor(30, TimeUnit.SECONDS));
        List<String> vout = read(vlog).lines().toList();
        assertEquals(0, v.exitValue());
        assertTrue(vout.getFirst().startsWith("ward 0."), vout.toString());
    }

    /**
     * One-shot commands build only what they run: {@code --version} and {@code sweep} load neither
     * the poller, the other commands, the SNMP stack nor the simulator (start-up time they would
     * pay in full); {@code --help} still lists every command.
     */
    @Test
    void oneShotCommandsLoadOnlyTheirOwnClasses() throws Exception {
        for (String[] args : List.of(new String[] {"--version"}, new String[] {"sweep", "127.43.3.1"})) {
            List<String> cmd = new ArrayList<>(java(args).command());
            cmd.add(1, "-Xlog:class+load=info:stdout");
            Path log = dir.resolve("classes-" + args[0].replace("-", "") + ".log");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            List<String> loaded = read(log).lines().filter(l -> l.contains("source:")).toList();
            assertEquals(0, p.exitValue(), String.join("\n", loaded.subList(Math.max(0, loaded.size() - 5), loaded.size())));
            // (the Poller class itself is loaded, only as the type of CliContext's start-up callback)
            for (String unwanted : List.of("org.snmp4j.", "io.github.wardops.ward.internal.engine.WardEngine ",
                    "io.github.wardops.ward.runner.poll.Storage ", "io.github.wardops.ward.runner.http.",
                    "io.github.wardops.ward.postgres.", "io.github.wardops.ward.runner.cli.RunCommand ",
                    "io.github.wardops.ward.runner.cli.DemoCommand ", "io.github.wardops.ward.simulator.")) {
                assertTrue(loaded.stream().noneMatch(l -> l.contains(unwanted)),
                        String.join(" ", args) + " loaded " + unwanted.trim() + ": "
                                + loaded.stream().filter(l -> l.contains(unwanted)).findFirst().orElse(""));
            }
        }
        Process h = java("--help").redirectOutput(dir.resolve("help.log").toFile()).start();
        assertTrue(h.waitFor(60, TimeUnit.SECONDS));
        String help = read(dir.resolve("help.log"));
        for (String c : List.of("run", "sweep", "walk", "demo", "simulate", "probe")) {
            assertTrue(help.contains("  " + c + " ") || help.contains("  " + c + "\n"), "help lists " + c + ": " + help);
        }
    }

    /** WARD_LOG_FORMAT=json turns every log line into one JSON object; command output stays plain. */
    @Test
    void jsonLogsWithWardLogFormat() throws Exception {
        Path log = dir.resolve("json.log");
        ProcessBuilder pb = java("sweep", "-v", "127.43.2.1");
        pb.environment().put("WARD_LOG_FORMAT", "json");
        Process p = pb.redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        List<String> lines = read(log).lines().toList();
        assertEquals(0, p.exitValue(), lines.toString());
        List<String> logLines = lines.stream().filter(l -> l.startsWith("{")).toList();
        assertFalse(logLines.isEmpty(), "no JSON log line: " + lines);
        for (String l : logLines) {
            assertTrue(l.endsWith("}") && l.contains("\"level\":\"") && l.contains("\"formattedMessage\":\""), l);
        }
        // the sweep's summary line, its placeholders filled in
        assertTrue(logLines.stream().anyMatch(l -> l.matches(".*\"formattedMessage\":\"ignored: \\d+ foreign, \\d+ malformed.*")),
                "the message is formatted: " + logLines);
        assertTrue(logLines.stream().noneMatch(l -> l.contains("{}")), "no placeholder left: " + logLines);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("127.43.2.1 : xmt/rcv/%loss = 1/1/0%")), "sweep output stays plain: " + lines);
        assertTrue(lines.stream().noneMatch(l -> l.matches("^\\d{4}-\\d{2}-\\d{2}T.* INFO .*")), "no plain log line: " + lines);
    }

    /**
     * Without any ICMP permission, both commands fail at start with the prober's explanation and
     * exit code 1. A new network namespace has {@code ping_group_range = "1 0"} (no group may open
     * datagram ICMP sockets) and setpriv drops CAP_NET_RAW (no raw sockets), whatever the host allows.
     */
    @Test
    void withoutIcmpPermissionBothCommandsExit1WithTheFix() throws Exception {
        List<String> noIcmp = List.of("unshare", "-n", "setpriv", "--bounding-set", "-net_raw", "--inh-caps", "-net_raw");
        org.junit.jupiter.api.Assumptions.assumeTrue(runs("unshare", "-n", "setpriv", "--bounding-set", "-net_raw", "true"),
                "needs root for unshare -n and setpriv");
        for (String[] args : List.of(new String[] {"sweep", "127.0.0.1"},
                new String[] {"run", "--http", "127.0.0.1:0", "--interval", "1s"})) {
            Path log = dir.resolve(args[0] + "-noicmp.log");
            Process p = java(noIcmp, args).redirectOutput(log.toFile()).start();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "did not exit: " + read(log));
            String out = read(log);
            assertEquals(ExitCodes.FAILURE, p.exitValue(), out);
            assertTrue(out.contains("ward: ward cannot open an ICMP socket"), out);
            assertTrue(out.contains("ping_group_range"), out);
            assertTrue(out.contains("AmbientCapabilities=CAP_NET_RAW"), out);
            assertTrue(!out.contains("Exception"), out);
        }
    }
}
