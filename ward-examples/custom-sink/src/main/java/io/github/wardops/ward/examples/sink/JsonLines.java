package io.github.wardops.ward.examples.sink;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.probe.DownReason;
import io.github.wardops.ward.probe.Measurement;
import io.github.wardops.ward.probe.PingStats;
import io.github.wardops.ward.probe.ProbeResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON lines format of {@link RollingJsonLinesSink}: one object per result, such as
 * <pre>{@code
 * {"at":"2026-01-01T00:00:00Z","device":"…uuid…","check":"icmp","type":"icmp","outcome":"up","latency_ms":0.1,"values":{"rtt_avg_ms":0.1}}
 * {"at":"…","device":"…","check":"icmp","type":"icmp","outcome":"down","reason":"TIMEOUT","detail":"no reply","values":{"sent":3.0}}
 * {"at":"…","device":"…","check":"icmp","type":"icmp","outcome":"unknown","detail":"prober error"}
 * }</pre>
 * Details are cut to {@value #MAX_DETAIL_CHARS} characters so every line is bounded. Reading
 * back gives results whose measurement is a {@link Recorded} map. Thread-safe (stateless).
 */
public final class JsonLines {
    /** The longest detail written; longer ones are cut and end with an ellipsis. */
    public static final int MAX_DETAIL_CHARS = 512;
    /** The longest line {@link #parse} accepts. */
    public static final int MAX_LINE_CHARS = 64 * 1024;
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(MAX_LINE_CHARS).maxNestingDepth(4).build())
            .build();
    private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

    private JsonLines() {
    }

    /**
     * A measurement read back from a line: the named values as written.
     *
     * @param values the values; never {@code null}
     */
    public record Recorded(Map<String, Double> values) implements Measurement {
        /**
         * Copies the values.
         */
        public Recorded {
            values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        }
    }

    /**
     * One result as a line, with its trailing newline, in UTF-8.
     *
     * @param r the result; never {@code null}
     * @return the bytes
     */
    public static byte[] line(ProbeResult r) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(buf)) {
            g.writeStartObject();
            g.writeStringField("at", r.at().toString());
            g.writeStringField("device", r.device().toString());
            g.writeStringField("check", r.check());
            g.writeStringField("type", r.type());
            switch (r) {
                case ProbeResult.Up up -> {
                    g.writeStringField("outcome", "up");
                    g.writeNumberField("latency_ms", PingStats.millis(up.latency()));
                }
                case ProbeResult.Down down -> {
                    g.writeStringField("outcome", "down");
                    g.writeStringField("reason", down.reason().name());
                    g.writeStringField("detail", cut(down.detail()));
                }
                case ProbeResult.Unknown unknown -> {
                    g.writeStringField("outcome", "unknown");
                    g.writeStringField("detail", cut(unknown.detail()));
                }
            }
            Map<String, Double> values = r.measurement().values();
            if (!values.isEmpty()) {
                g.writeObjectFieldStart("values");
                for (Map.Entry<String, Double> e : values.entrySet()) {
                    if (e.getValue() != null && Double.isFinite(e.getValue())) {
                        g.writeNumberField(e.getKey(), e.getValue());
                    }
                }
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot happen: writing to memory", e);
        }
        buf.write('\n');
        return buf.toByteArray();
    }

    private static String cut(String detail) {
        return detail.length() <= MAX_DETAIL_CHARS ? detail : detail.substring(0, MAX_DETAIL_CHARS - 1) + "…";
    }

    /**
     * Reads one line back.
     *
     * @param line the line, without its newline; never {@code null}
     * @return the result
     * @throws IllegalArgumentException naming what is wrong with the line
     */
    public static ProbeResult parse(String line) {
        if (line.length() > MAX_LINE_CHARS) {
            throw new IllegalArgumentException("line is longer than " + MAX_LINE_CHARS + " characters");
        }
        JsonNode n;
        try {
            n = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        Instant at;
        try {
            at = Instant.parse(text(n, "at"));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'at' is not an ISO-8601 instant");
        }
        DeviceId device = DeviceId.parse(text(n, "device"));
        String check = text(n, "check");
        String type = text(n, "type");
        Measurement values = values(n.get("values"));
        return switch (text(n, "outcome")) {
            case "up" -> {
                JsonNode ms = n.get("latency_ms");
                if (ms == null || !ms.isNumber() || !Double.isFinite(ms.doubleValue()) || ms.doubleValue() < 0) {
                    throw new IllegalArgumentException("'latency_ms' must be a non-negative number");
                }
                yield new ProbeResult.Up(device, check, type, at, Duration.ofNanos(Math.round(ms.doubleValue() * 1_000_000)), values);
            }
            case "down" -> {
                DownReason reason;
                try {
                    reason = DownReason.valueOf(text(n, "reason"));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("'reason' is not a DownReason");
                }
                yield new ProbeResult.Down(device, check, type, at, reason, text(n, "detail"), values);
            }
            case "unknown" -> new ProbeResult.Unknown(device, check, type, at, text(n, "detail"));
            default -> throw new IllegalArgumentException("'outcome' must be up, down or unknown");
        };
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("'" + field + "' is missing or not a string");
        }
        return v.textValue();
    }

    private static Measurement values(JsonNode v) {
        if (v == null) {
            return Measurement.NONE;
        }
        if (!v.isObject()) {
            throw new IllegalArgumentException("'values' is not an object");
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            if (!e.getValue().isNumber()) {
                throw new IllegalArgumentException("'values." + e.getKey() + "' is not a number");
            }
            out.put(e.getKey(), e.getValue().doubleValue());
        }
        return new Recorded(out);
    }

    /**
     * Reads a file back.
     *
     * @param file the file; never {@code null}
     * @return its results, in order
     * @throws IOException when it cannot be read, or a line is malformed (the message names the
     *     file and line number)
     */
    public static List<ProbeResult> read(Path file) throws IOException {
        List<ProbeResult> out = new ArrayList<>();
        int lineNo = 0;
        try (var lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = lines.readLine()) != null) {
                lineNo++;
                try {
                    out.add(parse(line));
                } catch (IllegalArgumentException e) {
                    throw new IOException(file.getFileName() + " line " + lineNo + ": " + e.getMessage(), e);
                }
            }
        }
        return out;
    }

    /**
     * Reads every file the sink holds, oldest first.
     *
     * @param options where the sink writes
     * @return the results, oldest file first
     * @throws IOException as {@link #read(Path)}
     */
    public static List<ProbeResult> readAll(RollingOptions options) throws IOException {
        List<ProbeResult> out = new ArrayList<>();
        for (Path f : options.filesOldestFirst()) {
            if (Files.exists(f)) {
                out.addAll(read(f));
            }
        }
        return out;
    }
}
