package io.github.wardops.ward.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.DeviceStatus;
import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.Secret;
import io.github.wardops.ward.Ward;
import io.github.wardops.ward.WardException;
import io.github.wardops.ward.inventory.Check;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.inventory.Inventory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Devices, CSV import, inventory sync, device state, interfaces and SNMP credentials. */
class RepositoriesIT {
    private static final Path FLEET = Path.of("..", "..", "shared", "fleet", "credobank-875.csv");
    private static EmbeddedDatabase db;
    private PostgresStorage storage;

    @BeforeAll
    static void startDatabase() {
        db = PgSupport.startDatabase(PgSupport.tempDir("ward-pg-repos"));
    }

    @AfterAll
    static void stopDatabase() {
        db.close();
    }

    @BeforeEach
    void open(@TempDir Path spool) throws Exception {
        PgSupport.reset(db);
        storage = PostgresStorage.open(PgSupport.options(db, spool, new SimpleMeterRegistry()).build());
    }

    @org.junit.jupiter.api.AfterEach
    void close() {
        storage.close();
    }

    private static Path fleet() {
        Path p = Path.of("/work/shared/fleet/credobank-875.csv");
        return java.nio.file.Files.exists(p) ? p : FLEET;
    }

    @Test
    void importsTheFleetFileAndReadsItBack() throws Exception {
        assertEquals(875, storage.importCsv(fleet()));
        List<Device> fromDb = storage.devices().loadAll(d -> List.of(Check.icmp(Duration.ofSeconds(30))));
        List<Device> fromFile = io.github.wardops.ward.inventory.CsvInventory.read(fleet(), d -> List.of());
        assertEquals(875, fromDb.size());
        Map<DeviceId, Device> byId = new HashMap<>();
        fromFile.forEach(d -> byId.put(d.id(), d));
        for (Device d : fromDb) {
            Device f = byId.get(d.id());
            assertEquals(f.name(), d.name(), "names are kept as given, trailing spaces included");
            assertEquals(f.address(), d.address());
            assertEquals(f.labels(), d.labels());
            assertEquals(f.enabled(), d.enabled());
            assertEquals(1, d.checks().size());
        }
        // importing again is an upsert: same rows, no duplicates
        assertEquals(875, storage.importCsv(fleet()));
        assertEquals(875, PgSupport.count(db, "SELECT count(*) FROM devices"));
    }

    @Test
    void aBadCsvReportsEveryBadRowAndWritesNothing() throws Exception {
        String good = "b28054ed-930a-4913-a509-0f3b616e3371,ok,127.0.0.5,NVR\n";
        String csv = "id,name,address,device_type\n"
                + good
                + "not-a-uuid,x,127.0.0.6,NVR\n"
                + "7624d23c-c318-4ed3-88b0-ef3f146d6abe,,127.0.0.7,NVR\n"
                + "a3555a7e-3168-408d-9e2e-9e3efb98b21f,bad address,127.0.0.300,NVR\n"
                + good;
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> storage.importCsv(new StringReader(csv), "fleet.csv"));
        String m = e.getMessage();
        assertTrue(m.contains("line 3: bad id"), m);
        assertTrue(m.contains("line 4: missing name"), m);
        assertTrue(m.contains("line 5: bad address"), m);
        assertTrue(m.contains("line 6: duplicate id"), m);
        assertEquals(0, PgSupport.count(db, "SELECT count(*) FROM devices"), "all or nothing");
    }

    @Test
    void aCsvTheDatabaseRefusesWritesNothing() throws Exception {
        // valid CSV, but a NUL in a label is refused by PostgreSQL mid-transaction
        String csv = "id,name,address,note\n"
                + "b28054ed-930a-4913-a509-0f3b616e3371,one,127.0.0.5,fine\n"
                + "7624d23c-c318-4ed3-88b0-ef3f146d6abe,two,127.0.0.6,bad\u0000\n";
        assertThrows(RuntimeException.class, () -> storage.importCsv(new StringReader(csv), "nul.csv"));
        assertEquals(0, PgSupport.count(db, "SELECT count(*) FROM devices"));
    }

    @Test
    void aLargeUpsertGoesInBatchesReportsProgressAndIsStillOneTransaction() throws Exception {
        int n = 2_500;
        List<Device> devices = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            // every device's parent is the last device: in the last batch, so the foreign key is checked at commit
            DeviceId parent = i == n - 1 ? null : DeviceId.fromKey("bulk-" + (n - 1));
            devices.add(new Device(DeviceId.fromKey("bulk-" + i), "bulk " + i,
                    java.net.InetAddress.getByName("127.60." + (i / 250) + "." + (i % 250 + 1)), Map.of("i", "" + i),
                    parent, true, List.of()));
        }
        // the same id twice: the later row wins and is written once
        devices.add(new Device(DeviceId.fromKey("bulk-0"), "bulk zero renamed", devices.get(0).address(), Map.of(),
                DeviceId.fromKey("bulk-" + (n - 1)), false, List.of()));
        long before = storage.devices().version();
        List<Integer> progress = new java.util.ArrayList<>();
        assertEquals(n, storage.devices().upsertAll(devices, progress::add));
        assertEquals(List.of(1_000, 2_000, 2_500), progress);
        assertEquals(n, PgSupport.count(db, "SELECT count(*) FROM devices"));
        assertEquals(n - 1, PgSupport.count(db, "SELECT count(*) FROM devices WHERE parent_id IS NOT NULL"));
        assertTrue(storage.devices().version() > before, "the version counter moved");
        Device zero = storage.devices().loadAll(d -> List.of()).stream()
                .filter(d -> d.id().equals(DeviceId.fromKey("bulk-0"))).findFirst().orElseThrow();
        assertEquals("bulk zero renamed", zero.name());
        assertFalse(zero.enabled());

        // a row the database refuses in the third batch (an empty name breaks the table's CHECK): the first two
        // batches are rolled back too
        List<Device> changed = new java.util.ArrayList<>();
        for (Device d : devices.subList(0, n)) {
            changed.add(new Device(d.id(), d.name() + " v2", d.address(), d.labels(), d.parentId(), d.enabled(), List.of()));
        }
        Device last = changed.get(n - 2);
        changed.set(n - 2, new Device(last.id(), "", last.address(), last.labels(), last.parentId(), true, List.of()));
        List<Integer> progress2 = new java.util.ArrayList<>();
        assertThrows(RuntimeException.class, () -> storage.devices().upsertAll(changed, progress2::add));
        assertEquals(List.of(1_000, 2_000), progress2, "progress stops at the failing batch");
        assertEquals(0, PgSupport.count(db, "SELECT count(*) FROM devices WHERE name LIKE '% v2'"), "all or nothing");
    }

    @Test
    void rowsWardCannotUseAreNamedUpToALimitAndCounted() throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO devices (id, name, address, labels) VALUES ('" + UUID.randomUUID()
                    + "', 'good', '127.0.0.5', '{}')");
            for (int i = 0; i < 25; i++) {
                st.execute("INSERT INTO devices (id, name, address, labels) VALUES ('" + UUID.randomUUID() + "', 'bad" + i
                        + "', '127.0.1." + (i + 1) + "', '{\"site\": {\"floor\": " + i + "}}')");
            }
        }
        WardException e = assertThrows(WardException.class, () -> storage.devices().loadAll(d -> List.of()));
        String m = e.getMessage();
        assertTrue(m.startsWith("the devices table has 25 row(s) ward cannot use: device "), m);
        assertEquals(20, m.split("labels: nested values are not supported", -1).length - 1, m);
        assertTrue(m.endsWith("; and 5 more"), m);
    }

    @Test
    void rowsWithControlCharactersOrAddressesWardNeverProbesAreRowsWardCannotUse() throws Exception {
        UUID good = UUID.randomUUID();
        UUID esc = UUID.randomUUID();
        UUID bel = UUID.randomUUID();
        UUID multicast = UUID.randomUUID();
        UUID linkLocal = UUID.randomUUID();
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO devices (id, name, address, labels) VALUES ('" + good + "', 'good', '127.0.0.5', '{}')");
            st.execute("INSERT INTO devices (id, name, address, labels) VALUES ('" + esc + "', E'evil\\x1b[2J', '127.0.0.6', '{}')");
            st.execute("INSERT INTO devices (id, name, address, labels) VALUES ('" + bel + "', 'bel', '127.0.0.7', "
                    + "'{\"site\": \"a\\u0007b\"}')");
            st.execute("INSERT INTO devices (id, name, address, labels) VALUES ('" + multicast + "', 'mc', '224.0.0.1', '{}')");
            st.execute("INSERT INTO devices (id, name, address, labels) VALUES ('" + linkLocal + "', 'll', 'fe80::1', '{}')");
        }
        WardException e = assertThrows(WardException.class, () -> storage.devices().loadAll(d -> List.of()));
        String m = e.getMessage();
        assertTrue(m.startsWith("the devices table has 4 row(s) ward cannot use: "), m);
        assertTrue(m.contains("device " + esc + ": the name holds the control character U+001B at character 5"), m);
        assertTrue(m.contains("device " + bel + ": label 'site' holds the control character U+0007 at character 2"), m);
        assertTrue(m.contains("device " + multicast + ": address 224.0.0.1 is multicast"), m);
        assertTrue(m.contains("device " + linkLocal + ": address fe80:0:0:0:0:0:0:1 is link-local"), m);
        assertFalse(m.contains("\u001b") || m.contains("\u0007"), "the message never carries the control characters");
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("DELETE FROM devices WHERE id IN ('" + esc + "', '" + bel + "', '" + multicast + "')");
        }
        assertThrows(WardException.class, () -> storage.devices().loadAll(d -> List.of(), false));
        assertEquals(2, storage.devices().loadAll(d -> List.of(), true).size(), "link-local when allowed");
    }

    @Test
    void importingAFileWithANulOrLatin1BytesNamesTheLineAndWritesNothing(@TempDir Path dir) throws Exception {
        Path nul = java.nio.file.Files.writeString(dir.resolve("nul.csv"), "id,name,address\n"
                + "b28054ed-930a-4913-a509-0f3b616e3371,ok,127.0.0.5\n"
                + "7624d23c-c318-4ed3-88b0-ef3f146d6abe,bad\u0000name,127.0.0.6\n");
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> storage.importCsv(nul));
        assertEquals(List.of("line 3, column 'name': holds the control character U+0000 at character 4; control characters "
                + "(U+0000-U+001F, U+007F-U+009F) are not allowed"), e.problems());
        byte[] latin1 = "id,name,address\nb28054ed-930a-4913-a509-0f3b616e3371,caf\u00e9,127.0.0.5\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        Path bad = java.nio.file.Files.write(dir.resolve("latin1.csv"), latin1);
        e = assertThrows(InvalidConfigurationException.class, () -> storage.importCsv(bad));
        assertEquals(List.of("line 2: not UTF-8 text (byte 41 of the line); save the file as UTF-8"), e.problems());
        assertEquals(0, PgSupport.count(db, "SELECT count(*) FROM devices"));
    }

    @Test
    void changesMadeByAnotherProgramReachTheEngine() throws Exception {
        storage.importCsv(new StringReader("id,name,address,region\n"
                + "b28054ed-930a-4913-a509-0f3b616e3371,one,127.0.0.5,west\n"
                + "7624d23c-c318-4ed3-88b0-ef3f146d6abe,two,127.0.0.6,east\n"), "seed");
        Ward ward = Ward.builder().build();
        Inventory inv = ward.inventory();
        DeviceId one = DeviceId.parse("b28054ed-930a-4913-a509-0f3b616e3371");
        DeviceId two = DeviceId.parse("7624d23c-c318-4ed3-88b0-ef3f146d6abe");
        DeviceId three = DeviceId.parse("a3555a7e-3168-408d-9e2e-9e3efb98b21f");
        try (InventorySync sync = storage.syncInventory(inv, d -> List.of(Check.icmp(Duration.ofSeconds(30))),
                Duration.ofMillis(100));
             Connection other = db.dataSource().getConnection()) {
            assertEquals(2, inv.size(), "loaded at once");
            try (Statement st = other.createStatement()) {
                st.execute("INSERT INTO devices (id, name, address, labels) VALUES ('" + three.value()
                        + "', 'three', '127.0.0.7', '{\"region\":\"north\"}')");
                st.execute("UPDATE devices SET address = '127.0.0.66', name = 'two-renamed' WHERE id = '" + two.value() + "'");
                st.execute("UPDATE devices SET enabled = false WHERE id = '" + one.value() + "'");
            }
            PgSupport.await("insert, update and disable to arrive", Duration.ofSeconds(10), () -> inv.size() == 3
                    && inv.get(two).map(d -> d.name().equals("two-renamed")).orElse(false)
                    && inv.get(one).map(d -> !d.enabled()).orElse(false));
            assertEquals("127.0.0.66", inv.get(two).orElseThrow().address().getHostAddress());
            assertEquals(Map.of("region", "north"), inv.get(three).orElseThrow().labels());
            assertEquals(1, inv.get(three).orElseThrow().checks().size());
            try (Statement st = other.createStatement()) {
                st.execute("DELETE FROM devices WHERE id = '" + one.value() + "'");
            }
            PgSupport.await("the delete to arrive", Duration.ofSeconds(10), () -> inv.get(one).isEmpty());
            assertEquals(2, inv.size());
            assertFalse(sync.refresh(), "nothing changed since");
        } finally {
            ward.close();
        }
    }

    @Test
    void deviceStateSurvivesARestartOfTheStorage(@TempDir Path spool) {
        DeviceId a = DeviceId.fromKey("a");
        DeviceId b = DeviceId.fromKey("b");
        Instant t = Instant.parse("2026-11-29T10:15:30.123456Z");
        storage.deviceStates().saveAll(List.of(
                new DeviceStateRecord(a, DeviceStatus.DOWN, t, t, false, null, 1, t),
                new DeviceStateRecord(b, DeviceStatus.UP, null, t.minusSeconds(60), true, t.minusSeconds(30), 4, t)));
        storage.deviceStates().saveAll(List.of(new DeviceStateRecord(b, DeviceStatus.UP, null, t.minusSeconds(60),
                false, null, 0, t.plusSeconds(1))));
        storage.deviceStates().recordChange(new StateChange(a, t, DeviceStatus.UP, DeviceStatus.DOWN, false, "timeout"));
        storage.deviceStates().recordChange(new StateChange(a, t, DeviceStatus.UP, DeviceStatus.DOWN, false, "timeout"));
        storage.close();
        storage = PostgresStorage.open(PgSupport.options(db, spool, new SimpleMeterRegistry()).build());
        List<DeviceStateRecord> all = storage.deviceStates().loadAll();
        assertEquals(2, all.size());
        DeviceStateRecord ra = storage.deviceStates().load(a).orElseThrow();
        assertEquals(DeviceStatus.DOWN, ra.status());
        assertEquals(t, ra.downSince(), "down_since resumes exactly");
        DeviceStateRecord rb = storage.deviceStates().load(b).orElseThrow();
        assertFalse(rb.flapping());
        assertNull(rb.downSince());
        assertEquals(t.plusSeconds(1), rb.updatedAt());
        assertEquals(1, storage.deviceStates().changes(a, t.minusSeconds(1), 10).size(), "recorded once");
        storage.deviceStates().delete(b);
        assertTrue(storage.deviceStates().load(b).isEmpty());
    }

    @Test
    void interfacesKeepTheirFirstDiscoveryAndSamplesAreIdempotent() throws Exception {
        DeviceId d = DeviceId.fromKey("router");
        Instant t1 = Instant.parse("2026-11-29T10:00:00Z");
        Instant t2 = t1.plusSeconds(3600);
        storage.interfaces().upsertDiscovered(d, List.of(
                new InterfaceRecord(d, 1, "Gi0/0", "GigabitEthernet0/0", "ISP1 Magti", 6, 1_000_000_000L,
                        "00:11:22:33:44:55", "up", "up", "isp_uplink", "Magti"),
                new InterfaceRecord(d, 2, "Gi0/1", null, null, 6, null, null, "up", "down", null, null)), t1);
        storage.interfaces().upsertDiscovered(d, List.of(
                new InterfaceRecord(d, 2, "Gi0/1", null, "trunk", 6, null, null, "up", "up", "trunk", null)), t2);
        List<InterfaceRecord> ifs = storage.interfaces().interfaces(d);
        assertEquals(2, ifs.size());
        assertEquals("trunk", ifs.get(1).alias());
        assertEquals("up", ifs.get(1).operStatus());
        assertEquals(1, PgSupport.count(db, "SELECT count(*) FROM interfaces WHERE if_index = 2 AND discovered_at < last_seen"));
        InterfaceSample s = new InterfaceSample(d, 1, Instant.now(), "up", -2L, 2L, 3L, 4L, 0L, 0L, 0L, 0L,
                8e6, 1.5e6, 100.0, 90.0, 0.0, 0.0, 0.0, 0.0);
        assertEquals(1, storage.interfaces().writeSamples(List.of(s)));
        assertEquals(1, storage.interfaces().writeSamples(List.of(s)));
        assertEquals(1, PgSupport.count(db, "SELECT count(*) FROM interface_samples"));
        assertEquals(-2, PgSupport.count(db, "SELECT in_octets FROM interface_samples"), "64 counter bits kept");
        assertThrows(IllegalArgumentException.class, () -> storage.interfaces().upsertDiscovered(d,
                List.of(new InterfaceRecord(DeviceId.fromKey("other"), 1, null, null, null, null, null, null, null,
                        null, null, null)), t1));
    }

    @Test
    void snmpSecretsAreEncryptedBoundToTheirRowAndAWrongKeyIsAClearError() throws Exception {
        byte[] k1 = new byte[32];
        byte[] k2 = new byte[32];
        java.util.Arrays.fill(k1, (byte) 1);
        java.util.Arrays.fill(k2, (byte) 2);
        SecretKeys keys = SecretKeys.of("k1", Map.of("k1", k1));
        UUID id = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        SnmpCredentialStore store = storage.snmpCredentials(keys);
        store.save(StoredSnmpCredential.community(id, "branch-routers", "v2c", Secret.of("s3cret-community")));
        store.save(new StoredSnmpCredential(other, "v3-core", "v3", null, "ward", "SHA-256",
                Secret.of("auth-pass-phrase"), "AES-128", Secret.of("priv-pass-phrase"), ""));
        assertEquals(Secret.of("s3cret-community"), store.load(id).orElseThrow().community());
        assertEquals(Secret.of("priv-pass-phrase"), store.load(other).orElseThrow().privPassphrase());
        assertFalse(store.load(id).orElseThrow().toString().contains("s3cret"));
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT community_enc, key_id FROM snmp_credentials WHERE id = '" + id + "'")) {
            rs.next();
            byte[] enc = rs.getBytes(1);
            assertFalse(new String(enc, StandardCharsets.ISO_8859_1).contains("s3cret"), "no plaintext at rest");
            assertEquals("k1", rs.getString(2));
        }

        // another key under the same id: a clear error naming the row and the key id, never the secret
        WardException wrong = assertThrows(WardException.class,
                () -> storage.snmpCredentials(SecretKeys.of("k1", Map.of("k1", k2))).load(id));
        assertTrue(wrong.getMessage().contains("key 'k1'") && wrong.getMessage().contains(id.toString()), wrong.getMessage());
        assertFalse(wrong.getMessage().contains("s3cret"));
        // a key id that is not configured
        WardException missing = assertThrows(WardException.class,
                () -> storage.snmpCredentials(SecretKeys.of("k2", Map.of("k2", k2))).load(id));
        assertTrue(missing.getMessage().contains("key id 'k1' is not configured"), missing.getMessage());

        // a ciphertext moved to another row does not decrypt
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE snmp_credentials SET community_enc = "
                     + "(SELECT community_enc FROM snmp_credentials WHERE id = ?), version = 'v2c' WHERE id = ?")) {
            ps.setObject(1, id);
            ps.setObject(2, other);
            ps.executeUpdate();
        }
        WardException moved = assertThrows(WardException.class, () -> store.load(other));
        assertTrue(moved.getMessage().contains("moved from another row"), moved.getMessage());
        // one bad row does not hide the others: names without decrypting, one name at a time
        assertThrows(WardException.class, store::loadAll);
        assertEquals(List.of("branch-routers", "v3-core"), List.copyOf(store.names().keySet()));
        assertEquals(other, store.names().get("v3-core"));
        assertEquals(Secret.of("s3cret-community"), store.loadByName("branch-routers").orElseThrow().community());
        assertThrows(WardException.class, () -> store.loadByName("v3-core"));
        assertTrue(store.loadByName("nobody").isEmpty());
        store.delete(store.names().get("v3-core"));

        // rotation: add k2 as current, keep k1 to read, re-encrypt, then k1 can go
        SnmpCredentialStore rotated = storage.snmpCredentials(SecretKeys.of("k2", Map.of("k1", k1, "k2", k2)));
        assertEquals(1, rotated.reencryptAll());
        SnmpCredentialStore onlyK2 = storage.snmpCredentials(SecretKeys.of("k2", Map.of("k2", k2)));
        assertEquals(Secret.of("s3cret-community"), onlyK2.load(id).orElseThrow().community());
    }
}
