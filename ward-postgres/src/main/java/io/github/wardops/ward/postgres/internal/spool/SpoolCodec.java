package io.github.wardops.ward.postgres.internal.spool;

import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.probe.DownReason;
import io.github.wardops.ward.probe.Measurement;
import io.github.wardops.ward.probe.PingStats;
import io.github.wardops.ward.probe.ProbeResult;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The binary form of a batch of results in a spool record. Ping statistics keep their fields;
 * any other measurement keeps its {@link Measurement#values()}. Stateless.
 */
public final class SpoolCodec {
    private static final int MAX_STRING = 1 << 20;
    private static final int MAX_RESULTS = 1 << 24;

    private SpoolCodec() {
    }

    /** A measurement read back from the spool: its values only. */
    public record SpooledValues(Map<String, Double> values) implements Measurement {
        /**
         * Copies.
         *
         * @param values the values
         */
        public SpooledValues {
            values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        }
    }

    /**
     * Encodes a batch.
     *
     * @param batch the results
     * @return the bytes
     */
    public static byte[] encode(List<ProbeResult> batch) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + batch.size() * 96);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(batch.size());
            for (ProbeResult r : batch) {
                switch (r) {
                    case ProbeResult.Up u -> out.writeByte(1);
                    case ProbeResult.Down d -> out.writeByte(2);
                    case ProbeResult.Unknown k -> out.writeByte(3);
                }
                UUID id = r.device().value();
                out.writeLong(id.getMostSignificantBits());
                out.writeLong(id.getLeastSignificantBits());
                string(out, r.check());
                string(out, r.type());
                out.writeLong(r.at().getEpochSecond());
                out.writeInt(r.at().getNano());
                switch (r) {
                    case ProbeResult.Up u -> {
                        out.writeLong(u.latency().toNanos());
                        measurement(out, u.measurement());
                    }
                    case ProbeResult.Down d -> {
                        string(out, d.reason().name());
                        string(out, d.detail());
                        measurement(out, d.measurement());
                    }
                    case ProbeResult.Unknown k -> string(out, k.detail());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("in-memory encoding failed", e);
        }
        return bytes.toByteArray();
    }

    /**
     * Decodes a batch.
     *
     * @param data the bytes of one record
     * @return the results
     * @throws IOException when the bytes are not a batch
     */
    public static List<ProbeResult> decode(byte[] data) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
        int n = in.readInt();
        if (n < 0 || n > MAX_RESULTS) {
            throw new IOException("bad result count " + n);
        }
        List<ProbeResult> out = new ArrayList<>(Math.min(n, 4096));
        for (int i = 0; i < n; i++) {
            int kind = in.readByte();
            DeviceId id = new DeviceId(new UUID(in.readLong(), in.readLong()));
            String check = string(in);
            String type = string(in);
            Instant at = Instant.ofEpochSecond(in.readLong(), in.readInt());
            try {
                out.add(switch (kind) {
                    case 1 -> {
                        Duration latency = Duration.ofNanos(in.readLong());
                        yield new ProbeResult.Up(id, check, type, at, latency, measurement(in));
                    }
                    case 2 -> {
                        DownReason reason = DownReason.valueOf(string(in));
                        String detail = string(in);
                        yield new ProbeResult.Down(id, check, type, at, reason, detail, measurement(in));
                    }
                    case 3 -> new ProbeResult.Unknown(id, check, type, at, string(in));
                    default -> throw new IOException("bad result kind " + kind);
                });
            } catch (IllegalArgumentException e) {
                throw new IOException("bad result: " + e.getMessage(), e);
            }
        }
        if (in.available() != 0) {
            throw new IOException(in.available() + " bytes after the last result");
        }
        return out;
    }

    private static void measurement(DataOutputStream out, Measurement m) throws IOException {
        if (m instanceof PingStats p) {
            out.writeByte(1);
            out.writeInt(p.sent());
            out.writeInt(p.received());
            nanos(out, p.rttMin());
            nanos(out, p.rttAvg());
            nanos(out, p.rttMax());
            nanos(out, p.rttMdev());
        } else {
            Map<String, Double> v = m.values();
            if (v.isEmpty()) {
                out.writeByte(0);
                return;
            }
            out.writeByte(2);
            out.writeInt(v.size());
            for (Map.Entry<String, Double> e : v.entrySet()) {
                string(out, e.getKey());
                out.writeDouble(e.getValue());
            }
        }
    }

    private static Measurement measurement(DataInputStream in) throws IOException {
        int t = in.readByte();
        switch (t) {
            case 0:
                return Measurement.NONE;
            case 1:
                return new PingStats(in.readInt(), in.readInt(), nanos(in), nanos(in), nanos(in), nanos(in));
            case 2:
                int n = in.readInt();
                if (n < 0 || n > 100_000) {
                    throw new IOException("bad value count " + n);
                }
                Map<String, Double> m = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) {
                    m.put(string(in), in.readDouble());
                }
                return new SpooledValues(m);
            default:
                throw new IOException("bad measurement tag " + t);
        }
    }

    private static void nanos(DataOutputStream out, Duration d) throws IOException {
        out.writeLong(d == null ? -1 : d.toNanos());
    }

    private static Duration nanos(DataInputStream in) throws IOException {
        long v = in.readLong();
        return v < 0 ? null : Duration.ofNanos(v);
    }

    private static void string(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String string(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_STRING) {
            throw new IOException("bad string length " + n);
        }
        return new String(in.readNBytes(n), StandardCharsets.UTF_8);
    }
}
