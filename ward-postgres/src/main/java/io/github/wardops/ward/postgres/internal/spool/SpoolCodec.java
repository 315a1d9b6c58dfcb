package io.github.wardops.ward.postgres.internal.spool;

import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.probe.DownReason;
import io.github.wardops.ward.probe.Measurement;
import io.github.wardops.ward.probe.PingStats;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.snmp.InterfaceCounters;
import io.github.wardops.ward.snmp.InterfaceRates;
import io.github.wardops.ward.snmp.SnmpInterface;
import io.github.wardops.ward.snmp.SnmpItem;
import io.github.wardops.ward.snmp.SnmpItemValue;
import io.github.wardops.ward.snmp.SnmpMeasurement;
import io.github.wardops.ward.snmp.SnmpOid;
import io.github.wardops.ward.snmp.SnmpSystem;
import io.github.wardops.ward.snmp.SnmpValue;
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
 * an {@link SnmpMeasurement} keeps all of it (system, items with their typed values, interfaces
 * with attributes, counters and rates), so a replay writes the same interfaces, samples and
 * items as the direct path; any other measurement keeps its {@link Measurement#values()}.
 *
 * <p>Each measurement starts with a tag byte: 0 none, 1 ping, 2 values, 3 SNMP, 4 SNMP with each
 * item's scale and labels (table cells). Tags 3 and 4 were added after the first release of the
 * format; records written before them read as they always did (tag 3: scale 1, no labels), so a
 * spool left by an older ward replays unchanged. Stateless.
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
            } catch (RuntimeException e) {
                // a constructor refused what the bytes say (a bad OID, item name, Counter32 range, ...)
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
        } else if (m instanceof SnmpMeasurement s) {
            out.writeByte(4);
            snmp(out, s);
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
            case 3:
                return snmp(in, false);
            case 4:
                return snmp(in, true);
            default:
                throw new IOException("bad measurement tag " + t);
        }
    }

    private static final int MAX_ITEMS = 100_000;
    private static final int MAX_INTERFACES = 1_000_000;

    private static void snmp(DataOutputStream out, SnmpMeasurement m) throws IOException {
        SnmpSystem sys = m.system();
        out.writeBoolean(sys != null);
        if (sys != null) {
            string(out, sys.descr());
            string(out, sys.objectId() == null ? "" : sys.objectId().toString());
            out.writeLong(sys.upTime().toMillis());
            string(out, sys.name());
            string(out, sys.location());
        }
        string(out, m.vendor());
        out.writeInt(m.items().size());
        for (SnmpItemValue v : m.items()) {
            SnmpItem i = v.item();
            string(out, i.name());
            string(out, i.oid().toString());
            out.writeByte(i.kind().ordinal());
            string(out, i.unit());
            out.writeLong(i.interval().toMillis());
            string(out, v.source());
            value(out, v.value());
            out.writeDouble(i.scale());
            out.writeInt(v.labels().size());
            for (Map.Entry<String, String> e : v.labels().entrySet()) {
                string(out, e.getKey());
                string(out, e.getValue());
            }
        }
        out.writeInt(m.interfaces().size());
        for (SnmpInterface i : m.interfaces()) {
            out.writeInt(i.index());
            string(out, i.name());
            string(out, i.descr());
            string(out, i.alias());
            out.writeInt(i.type());
            out.writeInt(i.mtu());
            out.writeLong(i.speedBitsPerSecond());
            string(out, i.physAddress());
            out.writeInt(i.adminStatus());
            out.writeInt(i.operStatus());
            out.writeBoolean(i.role() != null);
            if (i.role() != null) {
                string(out, i.role());
            }
            out.writeInt(i.attributes().size());
            for (Map.Entry<String, String> e : new java.util.TreeMap<>(i.attributes()).entrySet()) {
                string(out, e.getKey());
                string(out, e.getValue());
            }
            InterfaceCounters c = i.counters();
            for (Long v : new Long[] {c.inOctets(), c.outOctets(), c.inUcastPkts(), c.outUcastPkts(), c.inErrors(),
                c.outErrors(), c.inDiscards(), c.outDiscards()}) {
                out.writeBoolean(v != null);
                if (v != null) {
                    out.writeLong(v);
                }
            }
            out.writeBoolean(c.highCapacity());
            InterfaceRates r = i.rates();
            for (double d : new double[] {r.inBitsPerSecond(), r.outBitsPerSecond(), r.inPacketsPerSecond(),
                r.outPacketsPerSecond(), r.inErrorsPerSecond(), r.outErrorsPerSecond(), r.inDiscardsPerSecond(),
                r.outDiscardsPerSecond(), r.inUtilizationPct(), r.outUtilizationPct()}) {
                out.writeDouble(d);
            }
        }
        out.writeBoolean(m.interfacesDiscovered());
        out.writeBoolean(m.agentRestarted());
        out.writeInt(m.varBinds());
        out.writeInt(m.requests());
        string(out, m.problem());
    }

    private static SnmpMeasurement snmp(DataInputStream in, boolean scaleAndLabels) throws IOException {
        SnmpSystem sys = null;
        if (in.readBoolean()) {
            String descr = string(in);
            String oid = string(in);
            Duration up = Duration.ofMillis(in.readLong());
            sys = new SnmpSystem(descr, oid.isEmpty() ? null : SnmpOid.parse(oid), up, string(in), string(in));
        }
        String vendor = string(in);
        int n = count(in, MAX_ITEMS, "item");
        List<SnmpItemValue> items = new ArrayList<>(Math.min(n, 1024));
        SnmpItem.Kind[] kinds = SnmpItem.Kind.values();
        for (int k = 0; k < n; k++) {
            String name = string(in);
            SnmpOid oid = SnmpOid.parse(string(in));
            int kind = in.readByte();
            if (kind < 0 || kind >= kinds.length) {
                throw new IOException("bad item kind " + kind);
            }
            String unit = string(in);
            Duration interval = Duration.ofMillis(in.readLong());
            String source = string(in);
            SnmpValue value = value(in);
            double scale = 1;
            Map<String, String> labels = Map.of();
            if (scaleAndLabels) {
                scale = in.readDouble();
                int nl = in.readInt();
                if (nl < 0 || nl > 64) {
                    throw new IOException("bad label count " + nl);
                }
                labels = new LinkedHashMap<>();
                for (int l = 0; l < nl; l++) {
                    labels.put(string(in), string(in));
                }
            }
            items.add(new SnmpItemValue(new SnmpItem(name, oid, kinds[kind], unit, interval, scale), source, value, labels));
        }
        n = count(in, MAX_INTERFACES, "interface");
        List<SnmpInterface> ifaces = new ArrayList<>(Math.min(n, 1024));
        for (int k = 0; k < n; k++) {
            int index = in.readInt();
            String name = string(in);
            String descr = string(in);
            String alias = string(in);
            int type = in.readInt();
            int mtu = in.readInt();
            long speed = in.readLong();
            String mac = string(in);
            int admin = in.readInt();
            int oper = in.readInt();
            String role = in.readBoolean() ? string(in) : null;
            int na = count(in, 1_000, "attribute");
            Map<String, String> attrs = new LinkedHashMap<>();
            for (int a = 0; a < na; a++) {
                attrs.put(string(in), string(in));
            }
            Long[] c = new Long[8];
            for (int x = 0; x < c.length; x++) {
                c[x] = in.readBoolean() ? in.readLong() : null;
            }
            InterfaceCounters counters = new InterfaceCounters(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7],
                    in.readBoolean());
            double[] r = new double[10];
            for (int x = 0; x < r.length; x++) {
                r[x] = in.readDouble();
            }
            InterfaceRates rates = new InterfaceRates(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9]);
            ifaces.add(new SnmpInterface(index, name, descr, alias, type, mtu, speed, mac, admin, oper, role, attrs,
                    counters, rates));
        }
        boolean discovered = in.readBoolean();
        boolean restarted = in.readBoolean();
        int varBinds = in.readInt();
        int requests = in.readInt();
        return new SnmpMeasurement(sys, vendor, items, ifaces, discovered, restarted, varBinds, requests, string(in));
    }

    private static int count(DataInputStream in, int max, String what) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > max) {
            throw new IOException("bad " + what + " count " + n);
        }
        return n;
    }

    /** A typed SNMP value: a tag byte, then its content. */
    private static void value(DataOutputStream out, SnmpValue v) throws IOException {
        switch (v) {
            case SnmpValue.Integer32 x -> {
                out.writeByte(1);
                out.writeInt(x.value());
            }
            case SnmpValue.Counter32 x -> {
                out.writeByte(2);
                out.writeLong(x.value());
            }
            case SnmpValue.Gauge32 x -> {
                out.writeByte(3);
                out.writeLong(x.value());
            }
            case SnmpValue.TimeTicks x -> {
                out.writeByte(4);
                out.writeLong(x.value());
            }
            case SnmpValue.Counter64 x -> {
                out.writeByte(5);
                out.writeLong(x.value());
            }
            case SnmpValue.OctetString x -> {
                out.writeByte(6);
                bytes(out, x.bytes());
            }
            case SnmpValue.ObjectId x -> {
                out.writeByte(7);
                string(out, x.oid().toString());
            }
            case SnmpValue.IpAddress x -> {
                out.writeByte(8);
                bytes(out, x.address().getAddress());
            }
            case SnmpValue.Opaque x -> {
                out.writeByte(9);
                bytes(out, x.bytes());
            }
            case SnmpValue.Null x -> out.writeByte(10);
            case SnmpValue.NoSuchObject x -> out.writeByte(11);
            case SnmpValue.NoSuchInstance x -> out.writeByte(12);
            case SnmpValue.EndOfMibView x -> out.writeByte(13);
        }
    }

    private static SnmpValue value(DataInputStream in) throws IOException {
        int t = in.readByte();
        return switch (t) {
            case 1 -> new SnmpValue.Integer32(in.readInt());
            case 2 -> new SnmpValue.Counter32(in.readLong());
            case 3 -> new SnmpValue.Gauge32(in.readLong());
            case 4 -> new SnmpValue.TimeTicks(in.readLong());
            case 5 -> new SnmpValue.Counter64(in.readLong());
            case 6 -> new SnmpValue.OctetString(bytes(in));
            case 7 -> new SnmpValue.ObjectId(SnmpOid.parse(string(in)));
            case 8 -> {
                byte[] a = bytes(in);
                if (a.length != 4 && a.length != 16) {
                    throw new IOException("bad IP address length " + a.length);
                }
                yield new SnmpValue.IpAddress(java.net.InetAddress.getByAddress(a));
            }
            case 9 -> new SnmpValue.Opaque(bytes(in));
            case 10 -> new SnmpValue.Null();
            case 11 -> new SnmpValue.NoSuchObject();
            case 12 -> new SnmpValue.NoSuchInstance();
            case 13 -> new SnmpValue.EndOfMibView();
            default -> throw new IOException("bad SNMP value tag " + t);
        };
    }

    private static void bytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    private static byte[] bytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_STRING) {
            throw new IOException("bad byte string length " + n);
        }
        byte[] b = in.readNBytes(n);
        if (b.length != n) {
            throw new IOException("truncated byte string");
        }
        return b;
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
