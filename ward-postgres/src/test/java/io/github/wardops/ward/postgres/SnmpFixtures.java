package io.github.wardops.ward.postgres;

import io.github.wardops.ward.inventory.DeviceId;
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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** SNMP measurements as a poll produces them, with every kind of value the sink must handle. */
public final class SnmpFixtures {
    private SnmpFixtures() {
    }

    /** A 64-bit interface with rates, an ISP uplink by rule. */
    public static SnmpInterface uplink(String alias, int operStatus, double inBps) {
        return new SnmpInterface(1, "ge-0/0/1", "GigabitEthernet0/1", alias, 6, 1500, 1_000_000_000L,
                "00:11:22:33:44:55", 1, operStatus, "isp-uplink", Map.of("provider", "Magti", "circuit", "C-7"),
                new InterfaceCounters(1_000_000_000_000L, -2L, 5_000L, 6_000L, 1L, 2L, 3L, 4L, true),
                new InterfaceRates(inBps, 4e6, 1000, 2000, 0.5, 0, 0, 0.25, inBps / 1e7, 0.4));
    }

    /** A 32-bit interface on its first sample: no rates, unknown speed, no MAC, no role. */
    public static SnmpInterface access() {
        return new SnmpInterface(2, "", "eth1", "", 6, 9000, 0, "", 2, 7, null, Map.of(),
                new InterfaceCounters(4_294_967_295L, 10L, 20L, 30L, 0L, 0L, null, null, false),
                InterfaceRates.NONE);
    }

    /** A complete poll: system, items of every kind, two interfaces. */
    public static SnmpMeasurement poll(List<SnmpInterface> interfaces) {
        SnmpItem cpu = new SnmpItem("cpu_5min_pct", SnmpOid.parse("1.3.6.1.4.1.9.9.109.1.1.1.1.8.1"),
                SnmpItem.Kind.GAUGE, "percent", Duration.ofSeconds(60));
        SnmpItem big = new SnmpItem("octets_total", SnmpOid.parse("1.3.6.1.4.1.9.9.1.1"), SnmpItem.Kind.COUNTER, "",
                Duration.ofSeconds(60));
        SnmpItem ver = new SnmpItem("version", SnmpOid.parse("1.3.6.1.4.1.9.9.1.2"), SnmpItem.Kind.TEXT, "",
                Duration.ofSeconds(60));
        SnmpItem temp = new SnmpItem("temp_c", SnmpOid.parse("1.3.6.1.4.1.9.9.1.3"), SnmpItem.Kind.GAUGE, "C",
                Duration.ofSeconds(60));
        return new SnmpMeasurement(
                new SnmpSystem("Cisco IOS 15.2", SnmpOid.parse("1.3.6.1.4.1.9.1.1"), Duration.ofMillis(123_450),
                        "r1", "lab"),
                "cisco",
                List.of(new SnmpItemValue(cpu, "cisco", new SnmpValue.Gauge32(42)),
                        new SnmpItemValue(big, "custom", new SnmpValue.Counter64(-1L)),
                        new SnmpItemValue(ver, "cisco", SnmpValue.OctetString.of("15.2")),
                        new SnmpItemValue(temp, "cisco", new SnmpValue.NoSuchObject())),
                interfaces, true, false, 57, 3, "");
    }

    /** An Up result of {@link #poll} with both interfaces. */
    public static ProbeResult.Up up(DeviceId device, Instant at) {
        return new ProbeResult.Up(device, "snmp", "snmp", at, Duration.ofMillis(12),
                poll(List.of(uplink("ISP-Magti uplink", 1, 8e6), access())));
    }
}
