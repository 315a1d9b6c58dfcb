package io.github.wardops.ward.postgres.internal.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.postgres.SnmpFixtures;
import io.github.wardops.ward.probe.DownReason;
import io.github.wardops.ward.probe.Measurement;
import io.github.wardops.ward.probe.PingStats;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.snmp.InterfaceCounters;
import io.github.wardops.ward.snmp.InterfaceRates;
import io.github.wardops.ward.snmp.SnmpInterface;
import io.github.wardops.ward.snmp.SnmpMeasurement;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpoolCodecTest {
    private static final Instant T = Instant.parse("2026-11-29T10:00:00.123456789Z");
    private static final DeviceId D = DeviceId.fromKey("r1");

    @Test
    void anSnmpMeasurementComesBackWhole() throws IOException {
        SnmpInterface odd = new SnmpInterface(3, "x\u00e9", "d", "a", 24, 0, -5, "", 9, 0, null, Map.of(),
                new InterfaceCounters(null, null, null, null, null, null, null, null, false),
                new InterfaceRates(Double.NaN, Double.POSITIVE_INFINITY, -1, 0, 0, 0, 0, 0, 150, Double.NaN));
        SnmpMeasurement m = SnmpFixtures.poll(List.of(SnmpFixtures.uplink("up", 1, 8e6), SnmpFixtures.access(), odd));
        SnmpMeasurement noSystem = new SnmpMeasurement(null, "unknown", List.of(), List.of(), false, true, 0, 1,
                "interfaces: timeout");
        List<ProbeResult> batch = List.of(
                new ProbeResult.Up(D, "snmp", "snmp", T, Duration.ofMillis(3), m),
                new ProbeResult.Down(D, "snmp", "snmp", T.plusSeconds(1), DownReason.TIMEOUT, "partial", noSystem));
        List<ProbeResult> back = SpoolCodec.decode(SpoolCodec.encode(batch));
        assertEquals(batch, back);
        assertInstanceOf(SnmpMeasurement.class, back.getFirst().measurement());
    }

    @Test
    void aScaledTableCellKeepsItsScaleAndLabels() throws IOException {
        var cell = new io.github.wardops.ward.snmp.SnmpItemValue(new io.github.wardops.ward.snmp.SnmpItem("disk_free_bytes.1",
                io.github.wardops.ward.snmp.SnmpOid.parse("1.3.6.1.4.1.50001.1.241.1.4.1"),
                io.github.wardops.ward.snmp.SnmpItem.Kind.GAUGE, "bytes", Duration.ofMinutes(5), 1048576),
                "template:hikvision", new io.github.wardops.ward.snmp.SnmpValue.Integer32(100),
                Map.of("table", "disk", "column", "free_bytes", "index", "1", "volume", "HDD1"));
        SnmpMeasurement m = new SnmpMeasurement(null, "hikvision", List.of(cell), List.of(), false, false, 1, 1, "");
        List<ProbeResult> batch = List.of(new ProbeResult.Up(D, "snmp", "snmp", T, Duration.ofMillis(3), m));
        List<ProbeResult> back = SpoolCodec.decode(SpoolCodec.encode(batch));
        assertEquals(batch, back);
        assertEquals(104857600.0, back.getFirst().measurement().values().get("item.disk_free_bytes.1"));
    }

    /** The format as the first release wrote it (tags 0-2), written byte by byte, not by the codec. */
    @Test
    void recordsOfTheOldFormatStillDecode() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(3);
        // an ICMP Up with ping statistics (measurement tag 1)
        header(out, 1, "icmp", "icmp");
        out.writeLong(1_500_000);
        out.writeByte(1);
        out.writeInt(3);
        out.writeInt(2);
        out.writeLong(1_000_000);
        out.writeLong(1_500_000);
        out.writeLong(2_000_000);
        out.writeLong(250_000);
        // an SNMP Down spooled as its values() (measurement tag 2), before tag 3 existed
        header(out, 2, "snmp", "snmp");
        string(out, "TIMEOUT");
        string(out, "no answer");
        out.writeByte(2);
        out.writeInt(2);
        string(out, "sys_uptime_s");
        out.writeDouble(123.45);
        string(out, "if.1.in_bps");
        out.writeDouble(8e6);
        // a TCP Up without a measurement (tag 0)
        header(out, 1, "tcp:22", "tcp");
        out.writeLong(7);
        out.writeByte(0);
        out.flush();

        List<ProbeResult> back = SpoolCodec.decode(bytes.toByteArray());
        assertEquals(List.of(
                new ProbeResult.Up(D, "icmp", "icmp", T, Duration.ofNanos(1_500_000),
                        new PingStats(3, 2, Duration.ofMillis(1), Duration.ofNanos(1_500_000), Duration.ofMillis(2),
                                Duration.ofNanos(250_000))),
                new ProbeResult.Down(D, "snmp", "snmp", T, DownReason.TIMEOUT, "no answer",
                        new SpoolCodec.SpooledValues(Map.of("sys_uptime_s", 123.45, "if.1.in_bps", 8e6))),
                new ProbeResult.Up(D, "tcp:22", "tcp", T, Duration.ofNanos(7), Measurement.NONE)), back);
    }

    @Test
    void aDamagedSnmpRecordIsAnIoErrorNotACrash() throws IOException {
        byte[] good = SpoolCodec.encode(List.of(SnmpFixtures.up(D, T)));
        // cut anywhere: always an IOException
        for (int cut = 1; cut < good.length; cut += 7) {
            byte[] part = Arrays.copyOf(good, cut);
            assertThrows(IOException.class, () -> SpoolCodec.decode(part), "cut at " + cut);
        }
        // an item name the constructor refuses, as a flipped byte would make it
        byte[] bad = good.clone();
        int at = indexOf(bad, "cpu_5min_pct".getBytes(StandardCharsets.UTF_8));
        bad[at] = 'C';
        assertThrows(IOException.class, () -> SpoolCodec.decode(bad));
        // an unknown measurement tag
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(1);
        header(out, 1, "snmp", "snmp");
        out.writeLong(1);
        out.writeByte(9);
        out.flush();
        assertThrows(IOException.class, () -> SpoolCodec.decode(bytes.toByteArray()));
    }

    private static int indexOf(byte[] data, byte[] what) {
        outer:
        for (int i = 0; i + what.length <= data.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (data[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    private static void header(DataOutputStream out, int kind, String check, String type) throws IOException {
        out.writeByte(kind);
        out.writeLong(D.value().getMostSignificantBits());
        out.writeLong(D.value().getLeastSignificantBits());
        string(out, check);
        string(out, type);
        out.writeLong(T.getEpochSecond());
        out.writeInt(T.getNano());
    }

    private static void string(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }
}
