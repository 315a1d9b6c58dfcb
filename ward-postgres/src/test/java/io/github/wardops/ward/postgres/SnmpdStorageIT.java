package io.github.wardops.ward.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.wardops.ward.Secret;
import io.github.wardops.ward.inventory.Check;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.probe.ProbeRequest;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.snmp.SnmpCredentials;
import io.github.wardops.ward.snmp.SnmpInterface;
import io.github.wardops.ward.snmp.SnmpMeasurement;
import io.github.wardops.ward.snmp.SnmpOid;
import io.github.wardops.ward.snmp.poller.SnmpOptions;
import io.github.wardops.ward.snmp.poller.SnmpProber;
import io.github.wardops.ward.snmp.poller.SnmpProbers;
import io.github.wardops.ward.snmp.SnmpSettings;
import io.github.wardops.ward.snmp.SnmpTarget;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end with real parts: net-snmp's {@code snmpd} polled twice by ward's SnmpProber, the two
 * results written through the PostgreSQL sink into embedded PostgreSQL, and every interface row
 * and sample compared with what the prober measured.
 */
class SnmpdStorageIT {

    @Test
    void twoPollsOfSnmpdAreStoredAsTheProberMeasuredThem(@TempDir Path tmp) throws Exception {
        Path exe = Path.of("/usr/sbin/snmpd");
        if (!Files.isExecutable(exe)) {
            if ("true".equals(System.getenv("CI"))) {
                fail("net-snmp's snmpd is needed (apt-get install snmpd)");
            }
            Assumptions.abort("net-snmp's snmpd is not installed");
        }
        Path conf = tmp.resolve("snmpd.conf");
        Files.writeString(conf, "rocommunity wardtest 127.0.0.1\nsysLocation ward storage lab\n");
        int port;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ProcessBuilder pb = new ProcessBuilder(exe.toString(), "-f", "-Lo", "-C", "-c", conf.toString(), "-p",
                tmp.resolve("pid").toString(), "--persistentDir=" + Files.createDirectories(tmp.resolve("persist")),
                "udp:127.0.0.1:" + port).redirectErrorStream(true).redirectOutput(tmp.resolve("snmpd.log").toFile());
        pb.environment().put("MIBS", "");
        Process snmpd = pb.start();
        EmbeddedDatabase db = PgSupport.startDatabase(tmp.resolve("pg"));
        SnmpCredentials v2c = SnmpCredentials.v2c(Secret.of("wardtest"));
        // the net-snmp template with a table: hrStorageTable's allocation units, doubled by scale=2
        io.github.wardops.ward.snmp.poller.VendorTemplate withTable = io.github.wardops.ward.snmp.poller.VendorTemplate.parse(
                "net-snmp.tmpl", """
                vendor net-snmp
                match  1.3.6.1.4.1.8072
                item   mem_total_kb 1.3.6.1.4.1.2021.4.5.0 gauge kilobytes 1h
                table  storage 1.3.6.1.2.1.25.2.3.1 1h
                label  storage descr 3
                column storage units_x2 4 gauge bytes scale=2
                """);
        try (SnmpProber prober = SnmpProbers.create(SnmpOptions.builder().templates(List.of(withTable))
                .bindAddress(InetAddress.getLoopbackAddress()).build())) {
            SnmpTarget target = new SnmpTarget(InetAddress.getByName("127.0.0.1"), port, Duration.ofSeconds(1), 1, 10, 50);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (!prober.get(target, v2c, List.of(SnmpOid.parse("1.3.6.1.2.1.1.3.0"))).ok()) {
                if (!snmpd.isAlive() || System.nanoTime() > until) {
                    fail("snmpd did not answer: " + Files.readString(tmp.resolve("snmpd.log")));
                }
                Thread.sleep(100);
            }
            Check check = new Check("snmp", SnmpSettings.builder().port(port).credentials(v2c).build(),
                    Duration.ofSeconds(60), Duration.ofSeconds(10));
            Device device = Device.builder(new DeviceId(UUID.randomUUID()), "localhost",
                    InetAddress.getByName("127.0.0.1")).check(check).build();
            ProbeResult first = prober.probe(new ProbeRequest(device, check, Instant.now()));
            Thread.sleep(1_100); // rates need time between the polls
            ProbeResult second = prober.probe(new ProbeRequest(device, check, Instant.now()));
            assertTrue(first instanceof ProbeResult.Up && second instanceof ProbeResult.Up, second::toString);
            SnmpMeasurement m1 = (SnmpMeasurement) first.measurement();
            SnmpMeasurement m2 = (SnmpMeasurement) second.measurement();
            assertFalse(m2.interfaces().isEmpty());

            SimpleMeterRegistry reg = new SimpleMeterRegistry();
            try (PostgresStorage s = PostgresStorage.open(PgSupport.options(db, tmp.resolve("spool"), reg).build())) {
                s.resultSink().write(List.of(first, second));
            }
            String dev = device.id().value().toString();
            try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
                for (SnmpInterface i : m2.interfaces()) {
                    try (ResultSet rs = st.executeQuery("SELECT name, descr, if_type, mtu, oper_status, discovered_at, "
                            + "last_seen FROM interfaces WHERE device_id = '" + dev + "' AND if_index = " + i.index())) {
                        assertTrue(rs.next(), "interface " + i.index());
                        assertEquals(i.name().isEmpty() ? null : i.name(), rs.getString(1));
                        assertEquals(i.descr().isEmpty() ? null : i.descr(), rs.getString(2));
                        assertEquals(i.type(), rs.getInt(3));
                        assertEquals(i.mtu(), rs.getInt(4));
                        assertEquals(i.operStatus() == 1 ? "up" : i.operStatus() == 2 ? "down" : rs.getString(5),
                                rs.getString(5));
                        assertEquals(Rowsish.micros(first.at()), rs.getObject(6, java.time.OffsetDateTime.class).toInstant());
                        assertEquals(Rowsish.micros(second.at()), rs.getObject(7, java.time.OffsetDateTime.class).toInstant());
                    }
                    for (var pair : List.of(new Object[] {first, m1}, new Object[] {second, m2})) {
                        ProbeResult r = (ProbeResult) pair[0];
                        SnmpInterface mi = ((SnmpMeasurement) pair[1]).interfaces().stream()
                                .filter(x -> x.index() == i.index()).findFirst().orElseThrow();
                        try (ResultSet rs = st.executeQuery("SELECT in_octets, out_octets, in_bps, out_bps, hc_counters "
                                + "FROM interface_samples WHERE device_id = '" + dev + "' AND if_index = " + i.index()
                                + " AND at = '" + Rowsish.micros(r.at()) + "'")) {
                            assertTrue(rs.next(), "sample of " + i.index() + " at " + r.at());
                            assertEquals(mi.counters().inOctets(), (Long) rs.getObject(1, Long.class));
                            assertEquals(mi.counters().outOctets(), (Long) rs.getObject(2, Long.class));
                            double inBps = mi.rates().inBitsPerSecond();
                            assertEquals(Double.isNaN(inBps) ? null : inBps, rs.getObject(3, Double.class));
                            double outBps = mi.rates().outBitsPerSecond();
                            assertEquals(Double.isNaN(outBps) ? null : outBps, rs.getObject(4, Double.class));
                            assertEquals(mi.counters().highCapacity(), rs.getBoolean(5));
                        }
                    }
                }
                // the first poll has no rates: NULL, never 0
                assertEquals(0, PgSupport.count(db, "SELECT count(*) FROM interface_samples WHERE at = '"
                        + Rowsish.micros(first.at()) + "' AND in_bps IS NOT NULL"));
                assertTrue(PgSupport.count(db, "SELECT count(*) FROM interface_samples WHERE at = '"
                        + Rowsish.micros(second.at()) + "' AND in_bps IS NOT NULL") > 0, () -> "the second poll has rates: " + m2);
                // template items are read at their own interval: the first poll has them, the second not yet
                Double mem = m1.values().get("item.mem_total_kb");
                assertTrue(mem != null, m1::toString);
                try (ResultSet rs = st.executeQuery("SELECT value FROM snmp_values WHERE device_id = '" + dev
                        + "' AND item = 'item.mem_total_kb' AND at = '" + Rowsish.micros(first.at()) + "'")) {
                    assertTrue(rs.next(), "the item row");
                    assertEquals(mem, rs.getDouble(1));
                }
                // a table's cells are stored as item.<table>_<column>.<index>, scaled
                List<io.github.wardops.ward.snmp.SnmpItemValue> cells = m1.items().stream()
                        .filter(v -> v.item().name().startsWith("storage_units_x2.")).toList();
                assertFalse(cells.isEmpty(), m1::toString);
                for (var cell : cells) {
                    try (ResultSet rs = st.executeQuery("SELECT value FROM snmp_values WHERE device_id = '" + dev
                            + "' AND item = 'item." + cell.item().name() + "' AND at = '" + Rowsish.micros(first.at()) + "'")) {
                        assertTrue(rs.next(), "the row of " + cell);
                        assertEquals(cell.value().asNumber().orElseThrow() * 2, rs.getDouble(1));
                    }
                }
            }
            assertEquals(m1.interfaces().size() + m2.interfaces().size(),
                    PgSupport.count(db, "SELECT count(*) FROM interface_samples"));
            assertEquals(0.0, reg.get("ward.storage.values.invalid").counter().count());
        } finally {
            db.close();
            snmpd.destroy();
            if (!snmpd.waitFor(5, TimeUnit.SECONDS)) {
                snmpd.destroyForcibly();
            }
        }
    }

    /** The sink stores instants at microseconds. */
    private static final class Rowsish {
        static Instant micros(Instant i) {
            return i.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        }
    }
}
