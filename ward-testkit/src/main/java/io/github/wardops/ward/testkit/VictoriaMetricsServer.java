package io.github.wardops.ward.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real VictoriaMetrics (Debian package {@code victoria-metrics}) started by a test on a free
 * loopback port with its own data directory, for tests of ward's export and of applications that
 * embed it. In CI (env {@code CI} set, not {@code false}) a missing binary fails the test, so CI
 * cannot pass by skipping; elsewhere it skips. Not thread-safe.
 */
public final class VictoriaMetricsServer implements AutoCloseable {
    /** Where the Debian package installs the single-node server. */
    public static final Path BINARY = Path.of("/usr/bin/victoria-metrics");

    /**
     * One stored series, as {@code /api/v1/export} gives it.
     *
     * @param name the metric name
     * @param labels its labels, {@code __name__} left out
     * @param values the samples' values, oldest first
     * @param timestamps the samples' times, milliseconds since the epoch
     */
    public record Series(String name, Map<String, String> labels, List<Double> values, List<Long> timestamps) {
    }

    private final Path dataDir;
    private final Path log;
    private final int port;
    private final String retentionPeriod;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private Process process;

    /**
     * A server keeping samples for a month, not started yet.
     *
     * @param workDir where its data directory and log go
     * @throws IOException when the directory cannot be made
     */
    public VictoriaMetricsServer(Path workDir) throws IOException {
        this(workDir, "1");
    }

    /**
     * A server keeping samples for {@code retentionPeriod} (VictoriaMetrics' flag: {@code 1} is a
     * month, {@code 100y} a century); it refuses samples older than that. Not started yet.
     *
     * @param workDir where its data directory and log go
     * @param retentionPeriod the retention flag's value
     * @throws IOException when the directory cannot be made
     */
    public VictoriaMetricsServer(Path workDir, String retentionPeriod) throws IOException {
        requireBinary();
        this.retentionPeriod = retentionPeriod;
        this.dataDir = Files.createDirectories(workDir.resolve("vm-data"));
        this.log = workDir.resolve("victoria-metrics.log");
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            this.port = s.getLocalPort();
        }
    }

    /** Fails (in CI) or skips (elsewhere) the calling test when the binary is not installed. */
    public static void requireBinary() {
        boolean found = Files.isExecutable(BINARY);
        String ci = System.getenv("CI");
        if (ci != null && !ci.equalsIgnoreCase("false")) {
            Assertions.assertTrue(found, BINARY + " is required in CI: .ci/run installs the Debian package victoria-metrics");
        } else {
            Assumptions.assumeTrue(found, BINARY + " is not installed (apt-get install victoria-metrics)");
        }
    }

    /**
     * The server's base URI, {@code http://127.0.0.1:PORT}.
     *
     * @return the URI
     */
    public URI base() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /**
     * Starts the server (again, on the same port and data) and waits until it is healthy.
     *
     * @throws Exception when it does not start within 60 s (the log's tail says why)
     */
    public void start() throws Exception {
        if (process != null && process.isAlive()) {
            return;
        }
        process = new ProcessBuilder(BINARY.toString(),
                "-httpListenAddr=127.0.0.1:" + port,
                "-storageDataPath=" + dataDir,
                "-retentionPeriod=" + retentionPeriod,
                "-search.disableCache",
                // what a test imported and flushed is what its queries see, the last seconds included
                "-search.latencyOffset=0s",
                "-loggerLevel=WARN",
                "-memory.allowedBytes=256MB")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                Assertions.fail("victoria-metrics exited with " + process.exitValue() + ": " + logTail());
            }
            try {
                HttpResponse<String> r = get("/health");
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        Assertions.fail("victoria-metrics did not become healthy in 60 s: " + logTail());
    }

    /**
     * Stops the server (SIGTERM, then SIGKILL after 20 s); its data stays for a restart.
     *
     * @throws InterruptedException when interrupted while waiting
     */
    public void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        process = null;
    }

    /**
     * Makes everything imported so far searchable.
     *
     * @throws Exception when the server does not answer 200
     */
    public void forceFlush() throws Exception {
        HttpResponse<String> r = get("/internal/force_flush");
        Assertions.assertEquals(200, r.statusCode(), r.body());
    }

    /**
     * Every stored series matching the selector, sorted by name and labels.
     *
     * @param selector a series selector, such as {@code {__name__=~"device_.*"}}
     * @return the series
     * @throws Exception when the server does not answer 200
     */
    public List<Series> export(String selector) throws Exception {
        HttpResponse<String> r = get("/api/v1/export?match[]=" + URLEncoder.encode(selector, StandardCharsets.UTF_8));
        Assertions.assertEquals(200, r.statusCode(), r.body());
        List<Series> out = new ArrayList<>();
        for (String line : r.body().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> o = (Map<String, Object>) new JsonLine(line).value();
            @SuppressWarnings("unchecked")
            Map<String, Object> metric = (Map<String, Object>) o.get("metric");
            Map<String, String> labels = new TreeMap<>();
            metric.forEach((k, v) -> labels.put(k, (String) v));
            String name = labels.remove("__name__");
            @SuppressWarnings("unchecked")
            List<Object> values = (List<Object>) o.get("values");
            @SuppressWarnings("unchecked")
            List<Object> ts = (List<Object>) o.get("timestamps");
            out.add(new Series(name, labels, values.stream().map(v -> (Double) v).toList(),
                    ts.stream().map(t -> ((Double) t).longValue()).toList()));
        }
        out.sort(java.util.Comparator.comparing((Series s) -> s.name()).thenComparing(s -> s.labels().toString()));
        return out;
    }

    /**
     * One element of an instant query's answer.
     *
     * @param labels its labels ({@code __name__} included when the expression keeps it)
     * @param value its value
     */
    public record Point(Map<String, String> labels, double value) {
    }

    /**
     * Runs a PromQL (MetricsQL) instant query through {@code /api/v1/query}, as a dashboard does.
     * Call {@link #forceFlush()} first so that what was imported is searchable. The server runs
     * with {@code -search.latencyOffset=0s}, so samples of the last seconds count too.
     *
     * @param promql the expression; its result must be a vector
     * @param at the evaluation time
     * @return the vector's elements, sorted by their labels
     * @throws Exception when the server does not answer 200 or the result is not a vector
     */
    public List<Point> query(String promql, java.time.Instant at) throws Exception {
        String time = String.format(java.util.Locale.ROOT, "%.3f", at.toEpochMilli() / 1000.0);
        HttpResponse<String> r = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                + "&time=" + time);
        Assertions.assertEquals(200, r.statusCode(), () -> promql + ": " + r.body());
        @SuppressWarnings("unchecked")
        Map<String, Object> o = (Map<String, Object>) new JsonLine(r.body().strip()).value();
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) o.get("data");
        Assertions.assertEquals("vector", data.get("resultType"), () -> promql + ": " + r.body());
        List<Point> out = new ArrayList<>();
        @SuppressWarnings("unchecked")
        List<Object> result = (List<Object>) data.get("result");
        for (Object e : result) {
            @SuppressWarnings("unchecked")
            Map<String, Object> el = (Map<String, Object>) e;
            Map<String, String> labels = new TreeMap<>();
            @SuppressWarnings("unchecked")
            Map<String, Object> metric = (Map<String, Object>) el.get("metric");
            metric.forEach((k, v) -> labels.put(k, (String) v));
            @SuppressWarnings("unchecked")
            List<Object> value = (List<Object>) el.get("value");
            out.add(new Point(labels, Double.parseDouble((String) value.get(1))));
        }
        out.sort(java.util.Comparator.comparing((Point p) -> p.labels().toString()));
        return out;
    }

    private HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base() + pathAndQuery)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The last 4,000 characters of the server's log, for failure messages.
     *
     * @return the tail
     */
    public String logTail() {
        try {
            String s = Files.readString(log);
            return s.length() <= 4000 ? s : s.substring(s.length() - 4000);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /**
     * Just enough JSON for one line of {@code /api/v1/export} or an {@code /api/v1/query} answer:
     * objects, arrays, strings (with escapes), numbers (as doubles), true, false, null. A line it
     * cannot read fails the test.
     */
    private static final class JsonLine {
        private final String s;
        private int i;

        JsonLine(String s) {
            this.s = s;
        }

        Object value() {
            skip();
            char c = s.charAt(i);
            if (c == '{') {
                Map<String, Object> m = new java.util.LinkedHashMap<>();
                i++;
                skip();
                if (s.charAt(i) == '}') {
                    i++;
                    return m;
                }
                while (true) {
                    skip();
                    String k = (String) value();
                    skip();
                    expect(':');
                    m.put(k, value());
                    skip();
                    if (s.charAt(i++) == '}') {
                        return m;
                    }
                }
            }
            if (c == '[') {
                List<Object> l = new ArrayList<>();
                i++;
                skip();
                if (s.charAt(i) == ']') {
                    i++;
                    return l;
                }
                while (true) {
                    l.add(value());
                    skip();
                    if (s.charAt(i++) == ']') {
                        return l;
                    }
                }
            }
            if (c == '"') {
                StringBuilder b = new StringBuilder();
                i++;
                while (s.charAt(i) != '"') {
                    char ch = s.charAt(i++);
                    if (ch == '\\') {
                        char e = s.charAt(i++);
                        switch (e) {
                            case 'n' -> b.append('\n');
                            case 't' -> b.append('\t');
                            case 'r' -> b.append('\r');
                            case 'b' -> b.append('\b');
                            case 'f' -> b.append('\f');
                            case 'u' -> {
                                b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                                i += 4;
                            }
                            default -> b.append(e);
                        }
                    } else {
                        b.append(ch);
                    }
                }
                i++;
                return b.toString();
            }
            for (String word : new String[] {"true", "false", "null"}) {
                if (s.startsWith(word, i)) {
                    i += word.length();
                    return word.equals("null") ? null : Boolean.valueOf(word);
                }
            }
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            Assertions.assertTrue(i > start, () -> "not JSON at " + start + ": " + s);
            return Double.parseDouble(s.substring(start, i));
        }

        private void skip() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private void expect(char c) {
            Assertions.assertEquals(c, s.charAt(i++), () -> "not JSON at " + (i - 1) + ": " + s);
        }
    }

    @Override
    public void close() throws Exception {
        stop();
        http.close();
    }
}
