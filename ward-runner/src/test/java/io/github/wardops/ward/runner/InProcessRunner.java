package io.github.wardops.ward.runner;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.wardops.ward.runner.poll.Poller;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Runs {@code ward run} in this JVM on a thread, the way {@code main} would, and talks to its HTTP API. */
final class InProcessRunner implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final Poller poller;
    final CompletableFuture<Integer> exit;
    final StringWriter err;
    /** The bearer token sent with every request, or null. */
    volatile String token;

    private InProcessRunner(Poller poller, CompletableFuture<Integer> exit, StringWriter err) {
        this.poller = poller;
        this.exit = exit;
        this.err = err;
    }

    /** The outcome of a run that did not start. */
    record Failed(int exitCode, String out, String err) {
    }

    /** Starts {@code ward} with the arguments; fails the test when it exits instead of starting. */
    static InProcessRunner start(String... args) throws Exception {
        return start(Map.of(), args);
    }

    /** Starts {@code ward} with the environment and the arguments; fails the test when it exits instead of starting. */
    static InProcessRunner start(Map<String, String> env, String... args) throws Exception {
        env = withoutStorageByDefault(env);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CompletableFuture<Poller> started = new CompletableFuture<>();
        CliContext ctx = new CliContext(env, new PrintWriter(out, true), new PrintWriter(err, true), false, started::complete);
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        Thread.ofPlatform().name("ward-cli-under-test").daemon(true).start(() -> {
            try {
                exit.complete(WardCli.execute(ctx, args));
            } catch (Throwable t) {
                exit.completeExceptionally(t);
            }
        });
        CompletableFuture.anyOf(started, exit).get(30, TimeUnit.SECONDS);
        if (!started.isDone()) {
            fail("ward exited with " + exit.getNow(null) + " instead of starting: " + err);
        }
        return new InProcessRunner(started.get(), exit, err);
    }

    /**
     * Storage is off unless the test asks for it (WARD_STORAGE in its environment): an embedded
     * PostgreSQL per test would cost seconds each, and would write into the module directory.
     */
    static Map<String, String> withoutStorageByDefault(Map<String, String> env) {
        if (env.containsKey("WARD_STORAGE")) {
            return env;
        }
        Map<String, String> m = new java.util.HashMap<>(env);
        m.put("WARD_STORAGE", "off");
        return m;
    }

    /** Runs {@code ward} with arguments that must not start a poller; returns its exit code and output. */
    static Failed runToExit(String... args) {
        return runToExit(Map.of(), args);
    }

    /** Runs {@code ward} with the environment and arguments that must not start a poller. */
    static Failed runToExit(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliContext ctx = new CliContext(withoutStorageByDefault(env), new PrintWriter(out, true), new PrintWriter(err, true), false, p -> {
            p.close();
            fail("the poller started");
        });
        int code = WardCli.execute(ctx, args);
        return new Failed(code, out.toString(), err.toString());
    }

    URI uri(String path) {
        InetSocketAddress a = poller.httpAddress().orElseThrow();
        return URI.create("http://127.0.0.1:" + a.getPort() + path);
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET().build());
    }

    /** Sends the request, with the bearer token when one is set. */
    HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        if (token != null) {
            request = HttpRequest.newBuilder(request, (k, v) -> true).header("Authorization", "Bearer " + token).build();
        }
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Sends the request exactly as given, without the token. */
    HttpResponse<String> sendRaw(HttpRequest request) throws IOException, InterruptedException {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    JsonNode getJson(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = get(path);
        if (r.statusCode() != 200) {
            fail(path + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    JsonNode devices() throws IOException, InterruptedException {
        HttpResponse<String> r = get("/api/devices");
        if (r.statusCode() != 200) {
            fail("/api/devices answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** Polls /api/devices until the predicate holds, or fails after the bound with the last answer. */
    JsonNode awaitDevices(Duration bound, Predicate<JsonNode> until) throws Exception {
        long deadline = System.nanoTime() + bound.toNanos();
        JsonNode last;
        do {
            last = devices();
            if (until.test(last)) {
                return last;
            }
            Thread.sleep(100);
        } while (System.nanoTime() - deadline < 0);
        fail("devices not as expected within " + bound + "; last answer: " + last);
        return last;
    }

    /** Waits up to the bound for the condition, polling every 100 ms; fails the test with {@code what}. */
    static void await(String what, Duration bound, java.util.concurrent.Callable<Boolean> until) throws Exception {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!until.call()) {
            if (System.nanoTime() - deadline > 0) {
                fail(what + " not within " + bound);
            }
            Thread.sleep(100);
        }
    }

    /** The element of a JSON list (devices, alerts' devices) with this id; {@code null} when absent. */
    static JsonNode byId(JsonNode list, String id) {
        for (JsonNode d : list) {
            if (d.get("id").asText().equals(id)) {
                return d;
            }
        }
        return null;
    }

    /** The first column of the first row of a query, such as a {@code count(*)}. */
    static long queryLong(javax.sql.DataSource ds, String sql) throws Exception {
        try (java.sql.Connection c = ds.getConnection(); java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static long count(JsonNode devices, String status) {
        long n = 0;
        for (JsonNode d : devices) {
            if (d.get("status").asText().equals(status)) {
                n++;
            }
        }
        return n;
    }

    /** Stops the poller the way the shutdown hook does and checks that run returns 0. */
    @Override
    public void close() throws Exception {
        poller.close();
        int code = exit.get(20, TimeUnit.SECONDS);
        if (code != ExitCodes.OK) {
            fail("run exited with " + code + ": " + err);
        }
    }
}
