package io.github.wardops.ward.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.victoriametrics.VictoriaMetricsOptions;
import io.github.wardops.ward.victoriametrics.VictoriaMetricsSinks;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The series the meters dashboard (docs/grafana/ward-meters.json, read from there) queries are
 * series ward exports: every {@code ward_*} and {@code jvm_*} name in its PromQL must be a sample
 * name of the runner's {@code /metrics} (a runner with the embedded PostgreSQL pinging two
 * loopback devices), or of a VictoriaMetrics sink's meters in a Prometheus registry (the sink is
 * the runner's with vm-url, built here without a server). A meter registered only when it first counts is listed in
 * {@link #LAZY} with the Micrometer name it is registered under, checked in the source that
 * registers it.
 */
class GrafanaMetersIT {
    private static final Duration BOUND = Duration.ofSeconds(30);
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Pattern NAME = Pattern.compile("\\b((?:ward|jvm)_[a-zA-Z0-9_]+)");
    /** Prometheus name, Micrometer counter name, source registering it: meters that appear with their first count. */
    private static final Map<String, String[]> LAZY = Map.of(
            "ward_probes_skipped_total", new String[] {"ward.probes.skipped",
                    "ward-core/src/main/java/io/github/wardops/ward/internal/engine/EngineMeters.java"});

    @TempDir
    Path dir;

    static Set<String> sampleNames(String scrape) {
        Set<String> names = new TreeSet<>();
        for (String line : scrape.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int end = 0;
            while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
                end++;
            }
            names.add(line.substring(0, end));
        }
        return names;
    }

    /** Every metric name in the dashboard's queries and variables, with where it is used. */
    static Map<String, String> dashboardNames(JsonNode d) {
        Map<String, String> names = new TreeMap<>();
        for (JsonNode p : d.path("panels")) {
            for (JsonNode t : p.path("targets")) {
                Matcher m = NAME.matcher(t.path("expr").asText());
                while (m.find()) {
                    names.putIfAbsent(m.group(1), p.path("title").asText());
                }
            }
        }
        for (JsonNode v : d.path("templating").path("list")) {
            Matcher m = NAME.matcher(v.path("query").path("query").asText());
            while (m.find()) {
                names.putIfAbsent(m.group(1), "variable " + v.path("name").asText());
            }
        }
        return names;
    }

    @Test
    void everySeriesTheMetersDashboardQueriesIsExported() throws Exception {
        JsonNode d = InProcessRunner.JSON.readTree(ROOT.resolve("docs/grafana/ward-meters.json").toFile());
        assertEquals(39, d.path("schemaVersion").asInt());
        assertEquals("DS_PROMETHEUS", d.path("__inputs").get(0).path("name").asText());
        for (JsonNode p : d.path("panels")) {
            assertEquals("${DS_PROMETHEUS}", p.path("datasource").path("uid").asText(), p.path("title").asText());
        }
        Map<String, String> wanted = dashboardNames(d);
        assertTrue(wanted.size() > 20, "the dashboard's series: " + wanted.keySet());

        // what a VictoriaMetrics sink registers (nothing listens on port 1: no sample is sent)
        PrometheusMeterRegistry vmRegistry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (var sink = VictoriaMetricsSinks.create(VictoriaMetricsOptions.builder(URI.create("http://127.0.0.1:1")).build(),
                id -> Optional.empty(), vmRegistry)) {
            assertTrue(sink != null);
        }
        Set<String> exported = new TreeSet<>(sampleNames(vmRegistry.scrape()));

        Path csv = dir.resolve("fleet.csv");
        Files.writeString(csv, "id,name,address,region\n" + DeviceId.fromKey("meters-a") + ",a,127.45.0.1,Achara\n"
                + DeviceId.fromKey("meters-b") + ",b,127.45.0.2,Achara\n");
        try (InProcessRunner r = InProcessRunner.start(Map.of("WARD_STORAGE", "postgres"), "run", "--inventory", csv.toString(),
                "--interval", "1s", "--http", "127.0.0.1:0", "--data-dir", dir.resolve("data").toString())) {
            InProcessRunner.await("probes and stored rows counted", BOUND, () -> {
                String m = r.get("/metrics").body();
                return m.contains("ward_probes_total{") && m.contains("ward_storage_rows_written_total{table=\"ping_results\"}")
                        && m.contains("ward_sink_written_total{");
            });
            exported.addAll(sampleNames(r.get("/metrics").body()));
        }

        Set<String> missing = new TreeSet<>();
        for (Map.Entry<String, String> e : wanted.entrySet()) {
            String name = e.getKey();
            if (exported.contains(name)) {
                continue;
            }
            String[] lazy = LAZY.get(name);
            if (lazy != null) {
                assertEquals(name, lazy[0].replace('.', '_') + "_total", "a counter's Prometheus name");
                String source = Files.readString(ROOT.resolve(lazy[1]));
                assertTrue(source.contains("counter(\"" + lazy[0] + "\"") || source.contains("Counter.builder(\"" + lazy[0] + "\""),
                        lazy[0] + " is a counter registered in " + lazy[1]);
                continue;
            }
            missing.add(name + " (" + e.getValue() + ")");
        }
        assertTrue(missing.isEmpty(), "series the dashboard queries that ward does not export: " + missing
                + "\nexported: " + exported);
    }
}
