package io.github.wardops.ward.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.net.httpserver.HttpServer;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.postgres.EmbeddedDatabase;
import io.github.wardops.ward.simulator.net.LoopbackFaults;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Grep for every secret, at every log level, while wrong credentials and unreachable servers are
 * tried (issue 12). The shipped jar runs at TRACE, as an operator hunting a problem would run it,
 * with a distinctive value for every secret the runner knows: the PostgreSQL and Redis passwords
 * (wrong, then right, against a real PostgreSQL with password authentication and a real
 * redis-server with requirepass, and against ports where nothing listens), the HTTP token (sent
 * right and wrong), the webhook secret (signing a real notification), the SNMP community and v3
 * passphrases (polled), the encryption key and the passphrases stored with it. No value may appear
 * anywhere in what the process writes, and no raw control character either.
 */
class SecretsIT {
    private static final Pattern STARTED = Pattern.compile("ward runner started: .* HTTP on http://127\\.0\\.0\\.1:(\\d+)");
    /** Generous: with a wrong database password, the start waits out the pool's timeouts. */
    private static final Duration BOUND = Duration.ofSeconds(90);
    private static final String DB_PASSWORD = "dbpass-Q7zR4tK9wX2mJ";
    private static final String DB_WRONG = "dbwrong-V3nB8cL1pY6sH";
    private static final String REDIS_PASSWORD = "redispass-H5jD2fG8kL0qZ";
    private static final String REDIS_WRONG = "rediswrong-T4yU7iO1pA3sX";
    private static final String HTTP_TOKEN = "httptoken-M6nB9vC2xZ5lQ";
    private static final String HTTP_WRONG = "httpwrong-B2vN5mQ8wE1rT";
    private static final String WEBHOOK_SECRET = "hooksecret-R8tE3wQ1yU6iP";
    private static final String COMMUNITY = "community-P2oI5uY8tR1eW";
    private static final String V3_AUTH = "v3authphrase-K3jH6gF9dS2a";
    private static final String V3_PRIV = "v3privphrase-L4kJ7hG0fD3s";
    private static final String STORED_AUTH = "storedauth-Z9xC6vB3nM0q";
    private static final String STORED_PRIV = "storedpriv-W1eR4tY7uI0o";
    private static final byte[] KEY = "ward-secrets-it-encryption-key!!".getBytes(StandardCharsets.US_ASCII);
    private static final String KEY_BASE64 = Base64.getEncoder().encodeToString(KEY);

    @TempDir
    Path dir;

    /** Every value that must never be written, by what it is. */
    private static Map<String, String> secrets() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("db-password", DB_PASSWORD);
        m.put("wrong db-password", DB_WRONG);
        m.put("redis-password", REDIS_PASSWORD);
        m.put("wrong redis-password", REDIS_WRONG);
        m.put("http-token", HTTP_TOKEN);
        m.put("wrong http-token", HTTP_WRONG);
        m.put("webhook-secret", WEBHOOK_SECRET);
        m.put("snmp-community", COMMUNITY);
        m.put("snmp-v3-auth-passphrase", V3_AUTH);
        m.put("snmp-v3-priv-passphrase", V3_PRIV);
        m.put("stored auth passphrase", STORED_AUTH);
        m.put("stored priv passphrase", STORED_PRIV);
        m.put("encryption-key (base64)", KEY_BASE64);
        m.put("encryption-key (raw)", new String(KEY, StandardCharsets.US_ASCII));
        return m;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    private static Path jar() {
        Path jar = Path.of(System.getProperty("ward.runner.jar", "target/ward-runner.jar"));
        assertTrue(Files.isRegularFile(jar), "build the jar first (mvn package): " + jar.toAbsolutePath());
        return jar;
    }

    /** The jar at TRACE, with the environment, its output (standard output and error) going to a file. */
    private Process ward(Path log, Map<String, String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Dward.log.level=TRACE", "-jar", jar().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("WARD_"));
        pb.environment().putAll(env);
        return pb.start();
    }

    /** A webhook receiver on loopback that counts what it got. */
    private static final class Receiver implements AutoCloseable {
        final HttpServer server;
        final AtomicInteger got = new AtomicInteger();

        Receiver() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 0), 16);
            server.createContext("/hook", ex -> {
                try (ex) {
                    ex.getRequestBody().readAllBytes();
                    got.incrementAndGet();
                    ex.sendResponseHeaders(204, -1);
                }
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    /** PostgreSQL with a role that must give its password (scram-sha-256) and owns its own database. */
    private static String passwordProtectedDatabase(EmbeddedDatabase db) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("SET password_encryption = 'scram-sha-256'");
            st.execute("CREATE ROLE ward_it LOGIN PASSWORD '" + DB_PASSWORD + "'");
            st.execute("CREATE DATABASE ward_it OWNER ward_it");
            String hba;
            try (ResultSet rs = st.executeQuery("SHOW hba_file")) {
                rs.next();
                hba = rs.getString(1);
            }
            Path file = Path.of(hba);
            Files.writeString(file, "host all ward_it 127.0.0.1/32 scram-sha-256\nhost all ward_it ::1/128 scram-sha-256\n"
                    + Files.readString(file));
            st.execute("SELECT pg_reload_conf()");
        }
        return "jdbc:postgresql://127.0.0.1:" + db.port() + "/ward_it";
    }

    private static String read(Path log) throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    /** Keeps a copy of each output in target/SecretsIT for whoever has to read why this failed. */
    private static void keep(Path log) throws IOException {
        Path dir = Files.createDirectories(Path.of("target", "SecretsIT"));
        Files.copy(log, dir.resolve(log.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** Runs {@code ward run} until it started, sends requests with the right and a wrong token, lets it poll, stops it. */
    private String run(String name, Map<String, String> env, Receiver hook, String... args) throws Exception {
        Path log = dir.resolve(name + ".log");
        Process p = ward(log, env, args);
        try {
            int port = -1;
            long deadline = System.nanoTime() + BOUND.toNanos();
            while (port < 0 && p.isAlive() && System.nanoTime() - deadline < 0) {
                Matcher m = STARTED.matcher(read(log));
                if (m.find()) {
                    port = Integer.parseInt(m.group(1));
                } else {
                    Thread.sleep(100);
                }
            }
            assertTrue(port > 0, name + ": no start line; output ends: " + tail(read(log)));
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            for (String token : new String[] {null, HTTP_WRONG, HTTP_TOKEN}) {
                for (String path : List.of("/api/devices", "/ready", "/metrics", "/api/devices/%1b%5b2J%07")) {
                    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                            .timeout(Duration.ofSeconds(10));
                    if (token != null) {
                        b.header("Authorization", "Bearer " + token);
                    }
                    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
                    if (!HTTP_TOKEN.equals(token)) {
                        assertEquals(401, r.statusCode(), name + " " + path);
                    }
                }
            }
            // Let it poll and fail: SNMP with every credential, the database and Redis retried, alerts delivered.
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
            while (System.nanoTime() - until < 0 || (hook != null && hook.got.get() == 0 && System.nanoTime() - deadline < 0)) {
                Thread.sleep(200);
            }
            if (hook != null) {
                assertTrue(hook.got.get() > 0, name + ": the webhook got no notification");
            }
        } finally {
            p.destroy();
            boolean stopped = p.waitFor(30, TimeUnit.SECONDS);
            if (!stopped) {
                p.destroyForcibly();
            }
            keep(log);
            assertTrue(stopped, name + ": did not stop on SIGTERM");
        }
        return read(log);
    }

    private static String tail(String s) {
        return s.length() < 4000 ? s : s.substring(s.length() - 4000);
    }

    /** No secret, no raw control character (line breaks and the tab before a stack frame aside). */
    private static void assertClean(String name, String out) {
        for (Map.Entry<String, String> e : secrets().entrySet()) {
            int at = out.indexOf(e.getValue());
            if (at >= 0) {
                int from = Math.max(0, out.lastIndexOf('\n', at) + 1);
                int to = out.indexOf('\n', at);
                fail(name + ": the " + e.getKey() + " was written: " + out.substring(from, to < 0 ? out.length() : to));
            }
        }
        for (int i = 0; i < out.length(); i++) {
            char c = out.charAt(i);
            boolean control = c < 0x20 || (c >= 0x7f && c <= 0x9f);
            if (control && c != '\n' && !(c == '\t' && (i == 0 || out.charAt(i - 1) == '\n'))) {
                int from = Math.max(0, out.lastIndexOf('\n', i) + 1);
                fail(name + ": a raw control character U+" + Integer.toHexString(c) + " in: "
                        + out.substring(from, Math.min(out.length(), i + 80)));
            }
        }
    }

    @Test
    void noSecretIsWrittenAtTraceWhileWrongCredentialsAndUnreachableServersAreTried() throws Exception {
        if (!Files.isExecutable(Path.of("/usr/bin/redis-server"))) {
            if (TestFaults.ci()) {
                fail("redis-server is not installed");
            }
            Assumptions.abort("redis-server is not installed");
        }
        int redisPort = freePort();
        Process redis = new ProcessBuilder("redis-server", "--port", String.valueOf(redisPort), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--requirepass", REDIS_PASSWORD)
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        LoopbackFaults faults = null;
        try (EmbeddedDatabase external = EmbeddedDatabase.start(dir.resolve("external-pg"), 0); Receiver hook = new Receiver()) {
            try {
                faults = LoopbackFaults.install();
            } catch (IllegalStateException e) {
                if (TestFaults.ci()) {
                    throw e;
                }
            }
            String dbUrl = passwordProtectedDatabase(external);
            int closed = freePort();
            // SNMP goes to a UDP port where nothing answers: every credential is used, nothing comes back.
            Path csv = Files.writeString(dir.resolve("fleet.csv"), "id,name,address,snmp_version,region\n"
                    + DeviceId.fromKey("s-v2c") + ",v2c,127.46.0.1,2c,\n"
                    + DeviceId.fromKey("s-v3") + ",v3,127.46.0.2,3,\n"
                    + DeviceId.fromKey("s-stored") + ",stored,127.46.0.3,,stored\n"
                    + DeviceId.fromKey("s-silent") + ",silent," + LoopbackFaults.silentHost(7) + ",,\n");
            Path dbPassword = Files.writeString(dir.resolve("db-password"), DB_PASSWORD + "\n");
            Path dbWrong = Files.writeString(dir.resolve("db-wrong"), DB_WRONG + "\n");
            Path redisPassword = Files.writeString(dir.resolve("redis-password"), REDIS_PASSWORD + "\n");
            Path keyFile = Files.writeString(dir.resolve("key"), KEY_BASE64 + "\n");
            Map<String, String> common = Map.of(
                    "WARD_HTTP_TOKEN", HTTP_TOKEN,
                    "WARD_WEBHOOK_SECRET", WEBHOOK_SECRET,
                    "WARD_SNMP_COMMUNITY", COMMUNITY,
                    "WARD_SNMP_V3_AUTH_PASSPHRASE", V3_AUTH,
                    "WARD_SNMP_V3_PRIV_PASSPHRASE", V3_PRIV,
                    "WARD_ENCRYPTION_KEY_FILE", keyFile.toString(),
                    "WARD_STORAGE", "postgres");
            List<String> runArgs = List.of("run", "--inventory", csv.toString(), "--interval", "1s", "--snmp-interval", "1s",
                    "--http", "127.0.0.1:0", "--inventory-poll", "500ms", "--down-after", "1", "--alert-tick", "1s",
                    "--snmp-port", String.valueOf(closed), "--snmp-v3-user", "ward-it", "--snmp-v3-auth-protocol", "SHA-256",
                    "--snmp-v3-priv-protocol", "AES", "--db-user", "ward_it",
                    "--snmp-checks", "snmp_version = 2c => v2c; snmp_version = 3 => v3; region = stored => stored-v3");
            Map<String, String> outputs = new LinkedHashMap<>();

            // 1. Wrong passwords for PostgreSQL and Redis.
            Map<String, String> wrong = new LinkedHashMap<>(common);
            wrong.put("WARD_DB_PASSWORD_FILE", dbWrong.toString());
            wrong.put("WARD_REDIS_PASSWORD", REDIS_WRONG);
            List<String> a = new ArrayList<>(runArgs);
            a.addAll(List.of("--db-url", dbUrl, "--redis-url", "redis://127.0.0.1:" + redisPort, "--data-dir",
                    dir.resolve("data-wrong").toString(), "--webhook-url", "http://127.0.0.1:" + closed + "/hook"));
            String out = run("wrong-passwords", wrong, null, a.toArray(String[]::new));
            assertTrue(out.contains("SQLState 28P01"), "PostgreSQL refused the password: " + tail(out));
            assertTrue(out.contains("Redis redis://127.0.0.1:" + redisPort + " NOT reachable") || out.contains("WRONGPASS"), tail(out));
            outputs.put("wrong-passwords", out);

            // 2. Nothing listening where PostgreSQL and Redis should be; the right passwords.
            Map<String, String> right = new LinkedHashMap<>(common);
            right.put("WARD_DB_PASSWORD_FILE", dbPassword.toString());
            right.put("WARD_REDIS_PASSWORD_FILE", redisPassword.toString());
            List<String> b = new ArrayList<>(runArgs);
            b.addAll(List.of("--db-url", "jdbc:postgresql://127.0.0.1:" + closed + "/ward_it", "--redis-url",
                    "redis://127.0.0.1:" + closed, "--data-dir", dir.resolve("data-away").toString(),
                    "--webhook-url", "http://127.0.0.1:" + closed + "/hook"));
            out = run("unreachable", right, null, b.toArray(String[]::new));
            assertTrue(out.contains("NOT reachable"), tail(out));
            outputs.put("unreachable", out);

            // 3. Store credentials with the key, then run with everything right: every secret in use.
            Map<String, String> store = Map.of("WARD_STORAGE", "postgres", "WARD_DB_PASSWORD_FILE", dbPassword.toString(),
                    "WARD_ENCRYPTION_KEY_FILE", keyFile.toString(), "WARD_SNMP_V3_AUTH_PASSPHRASE", STORED_AUTH,
                    "WARD_SNMP_V3_PRIV_PASSPHRASE", STORED_PRIV);
            Path addLog = dir.resolve("credentials-add.log");
            Process add = ward(addLog, store, "credentials", "add", "stored-v3", "-v", "3", "-u", "stored-user", "-a", "SHA-512",
                    "-x", "AES-256", "--db-url", dbUrl, "--db-user", "ward_it", "--data-dir", dir.resolve("data-right").toString());
            assertTrue(add.waitFor(60, TimeUnit.SECONDS), "credentials add hangs");
            keep(addLog);
            assertEquals(0, add.exitValue(), read(addLog));
            outputs.put("credentials-add", read(addLog));
            List<String> c = new ArrayList<>(runArgs);
            c.addAll(List.of("--db-url", dbUrl, "--redis-url", "redis://127.0.0.1:" + redisPort, "--data-dir",
                    dir.resolve("data-right").toString(), "--webhook-url", hook.url()));
            out = run("right-passwords", right, faults == null ? null : hook, c.toArray(String[]::new));
            assertTrue(out.contains("reachable, schema migrated"), tail(out));
            assertTrue(out.contains("Redis redis://127.0.0.1:" + redisPort + " reachable"), tail(out));
            outputs.put("right-passwords", out);

            for (Map.Entry<String, String> e : outputs.entrySet()) {
                String o = e.getValue();
                // Not vacuous: the level was below INFO, and the Redis client was sending its handshake (HELLO with
                // AUTH), which it traces byte for byte right after this DEBUG line when TRACE is let through.
                if (!e.getKey().equals("credentials-add")) {
                    assertTrue(o.contains(" DEBUG ["), e.getKey() + ": nothing at DEBUG");
                }
                if (!e.getKey().equals("credentials-add") && !e.getKey().equals("unreachable")) {
                    assertTrue(o.contains(" CommandEncoder - ") && o.contains("writing command AsyncCommand [type=HELLO"),
                            e.getKey() + ": Lettuce's handshake is missing");
                }
                assertClean(e.getKey(), o);
            }
        } finally {
            if (faults != null) {
                faults.close();
            }
            redis.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
