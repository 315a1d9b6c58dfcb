package io.github.wardops.ward.inventory;

import static org.junit.jupiter.api.Assertions.*;

import io.github.wardops.ward.InvalidConfigurationException;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class CsvInventoryTest {
    static final Function<Device, List<Check>> ICMP = d -> List.of(Check.icmp(Duration.ofSeconds(30)));

    static List<Device> read(String csv) throws Exception {
        return CsvInventory.read(new StringReader(csv), "test.csv", ICMP, 1000);
    }

    @Test
    void readsTheBundledFleet() throws Exception {
        Path p = Path.of(getClass().getResource("/fleet/credobank-875.csv").toURI());
        List<Device> ds = CsvInventory.read(p, ICMP);
        assertEquals(875, ds.size());
        assertEquals(873, ds.stream().filter(Device::enabled).count());
        Device first = ds.getFirst();
        assertEquals("Batumi-1-NVR -", first.name(), "names kept as given, trailing dash included");
        assertEquals("127.199.87.141", first.address().getHostAddress());
        assertEquals("NVR", first.labels().get("device_type"));
        assertEquals("Achara", first.labels().get("region"));
        assertFalse(first.labels().containsKey("snmp_version"), "empty values are not labels");
        assertFalse(first.labels().containsKey("enabled"));
        assertEquals(1, first.checks().size());
        assertTrue(ds.stream().allMatch(d -> d.address().getHostAddress().startsWith("127.")));
    }

    @Test
    void reportsEveryBadRowWithItsLineNumber() {
        String csv = """
                id,name,address,region,enabled
                b28054ed-930a-4913-a509-0f3b616e3371,ok,127.0.0.1,A,true
                not-a-uuid,x,127.0.0.2,A,true
                7624d23c-c318-4ed3-88b0-ef3f146d6abe,,127.0.0.3,A,true
                a3555a7e-3168-408d-9e2e-9e3efb98b21f,y,10.0.0.300,A,true
                b28054ed-930a-4913-a509-0f3b616e3371,dup,127.0.0.4,A,true
                8cde4671-63bc-40b9-ab62-bad983d74c19,z,127.0.0.5,A,maybe
                8cde4671-63bc-40b9-ab62-bad983d74c10,w,localhost,A,true
                8cde4671-63bc-40b9-ab62-bad983d74c11,"unterminated,127.0.0.6,A,true
                8cde4671-63bc-40b9-ab62-bad983d74c12,short,127.0.0.7
                """;
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> read(csv));
        List<String> p = e.problems();
        assertEquals(List.of(
                "line 3: bad id: not a UUID: 'not-a-uuid'",
                "line 4: missing name",
                "line 5: bad address: not an IP address: '10.0.0.300'",
                "line 6: duplicate id b28054ed-930a-4913-a509-0f3b616e3371 (first on line 2)",
                "line 7: bad enabled value 'maybe' (expected true or false)",
                "line 8: bad address: not an IP address: 'localhost'",
                "line 9: an unterminated quote in field 2",
                "line 10: has 3 fields, the header has 5"), p);
        assertTrue(e.getMessage().startsWith("test.csv: 8 invalid settings"));
    }

    @Test
    void headerProblemsAreReported() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> read("name,addr\n"));
        assertTrue(e.problems().contains("line 1: required column 'id' is missing (found: name,addr)"), e.getMessage());
        assertTrue(e.problems().contains("line 1: required column 'address' is missing (found: name,addr)"));
        assertThrows(InvalidConfigurationException.class, () -> read(""));
        assertThrows(InvalidConfigurationException.class, () -> read("id,id,name,address\n"));
    }

    @Test
    void quotingParentsAndIpv6() throws Exception {
        String csv = """
                \uFEFFid,name,address,parent_id,tags
                b28054ed-930a-4913-a509-0f3b616e3371,"Router, main",::1,,"a|b"
                7624d23c-c318-4ed3-88b0-ef3f146d6abe,"say \"\"hi\"\"",127.0.0.2,b28054ed-930a-4913-a509-0f3b616e3371,
                """;
        List<Device> ds = read(csv);
        assertEquals("Router, main", ds.get(0).name());
        assertEquals("say \"hi\"", ds.get(1).name());
        assertEquals(ds.get(0).id(), ds.get(1).parentId());
        assertEquals("a|b", ds.get(0).labels().get("tags"));
        assertTrue(ds.get(0).address() instanceof java.net.Inet6Address);
    }

    @Test
    void unknownParentIsAnError() {
        String csv = "id,name,address,parent_id\n"
                + "b28054ed-930a-4913-a509-0f3b616e3371,a,127.0.0.1,7624d23c-c318-4ed3-88b0-ef3f146d6abe\n";
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> read(csv));
        assertTrue(e.problems().getFirst().contains("parent_id 7624d23c-c318-4ed3-88b0-ef3f146d6abe is not a device in this file"));
    }

    @Test
    void rowLimitBoundsMemory() {
        StringBuilder sb = new StringBuilder("id,name,address\n");
        for (int i = 0; i < 20; i++) {
            sb.append(DeviceId.fromKey("k" + i)).append(",n,127.0.0.1\n");
        }
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> CsvInventory.read(new StringReader(sb.toString()), "big.csv", ICMP, 10));
        assertTrue(e.getMessage().contains("more than 10 rows"));
    }
}
