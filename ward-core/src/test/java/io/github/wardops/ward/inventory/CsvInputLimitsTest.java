package io.github.wardops.ward.inventory;

import static org.junit.jupiter.api.Assertions.*;

import io.github.wardops.ward.InvalidConfigurationException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.StringReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a CSV inventory may hold (issue 12): bounded lines checked while streaming, UTF-8 only,
 * no control characters, no address ward never probes; each rejected with its line (and column).
 */
class CsvInputLimitsTest {
    static final Function<Device, List<Check>> ICMP = d -> List.of(Check.icmp(Duration.ofSeconds(30)));
    static final String A = "b28054ed-930a-4913-a509-0f3b616e3371";
    static final String B = "7624d23c-c318-4ed3-88b0-ef3f146d6abe";
    static final String C = "a3555a7e-3168-408d-9e2e-9e3efb98b21f";

    @TempDir
    Path dir;

    private static List<String> problems(String csv, CsvOptions options) {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> CsvInventory.read(new StringReader(csv), "t.csv", ICMP, options));
        return e.problems();
    }

    @Test
    void controlCharactersAreRejectedInEveryColumnWithLineAndColumn() {
        String csv = "id,name,address,region\n"
                + A + ",ok,127.0.0.1,west\n"
                + B + ",bad\u0000name,127.0.0.2,west\n"
                + C + ",esc,127.0.0.3,\u001b[31mred\n"
                + "8cde4671-63bc-40b9-ab62-bad983d74c19,tab\there,127.0.0.4,west\n"
                + "8cde4671-63bc-40b9-ab62-bad983d74c10,c1,127.0.0.5\u009b,west\n"
                + "8cde4671-63bc-40b9-ab62-bad983d74c11\u007f,del,127.0.0.6,west\n"
                + "8cde4671-63bc-40b9-ab62-bad983d74c12,\"bell\u0007 and backspace\b\",127.0.0.7,west\n"
                + "8cde4671-63bc-40b9-ab62-bad983d74c13,cr\rin the middle,127.0.0.8,west\r\n";
        String rule = "; control characters (U+0000-U+001F, U+007F-U+009F) are not allowed";
        assertEquals(List.of(
                "line 3, column 'name': holds the control character U+0000 at character 4" + rule,
                "line 4, column 'region': holds the control character U+001B at character 1" + rule,
                "line 5, column 'name': holds the control character U+0009 at character 4" + rule,
                "line 6, column 'address': holds the control character U+009B at character 10" + rule,
                "line 7, column 'id': holds the control character U+007F at character 37" + rule,
                "line 8, column 'name': holds the control character U+0007 at character 5" + rule,
                "line 9, column 'name': holds the control character U+000D at character 3" + rule),
                problems(csv, CsvOptions.defaults()));
    }

    @Test
    void aControlCharacterInTheHeaderNamesItsColumn() {
        List<String> p = problems("id,name,address,re\u001bgion\n" + A + ",a,127.0.0.1,x\n", CsvOptions.defaults());
        assertEquals(List.of("line 1, column 4: the column name holds the control character U+001B at character 3; "
                + "control characters (U+0000-U+001F, U+007F-U+009F) are not allowed"), p);
    }

    @Test
    void crlfLineEndingsAndWhitespaceOnlyLinesAreStillFine() throws Exception {
        List<Device> ds = CsvInventory.read(new StringReader("id,name,address\r\n" + A + ",a,127.0.0.1\r\n\r\n \t\r\n"
                + B + ",b,::1\r\n"), "t.csv", ICMP, CsvOptions.defaults());
        assertEquals(List.of("a", "b"), ds.stream().map(Device::name).toList());
    }

    @Test
    void bytesThatAreNotUtf8AreReportedWithTheirLineTheSameWayForFilesStreamsAndReaders() throws Exception {
        byte[] bad = ("id,name,address\n" + A + ",caf").getBytes(StandardCharsets.UTF_8);
        byte[] rest = (",127.0.0.1\n" + B + ",ok,127.0.0.2\n" + C + ",,127.0.0.3\n").getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[bad.length + 1 + rest.length];
        System.arraycopy(bad, 0, all, 0, bad.length);
        all[bad.length] = (byte) 0xe9;  // Latin-1 'é'
        System.arraycopy(rest, 0, all, bad.length + 1, rest.length);
        List<String> expected = List.of("line 2: not UTF-8 text (byte 41 of the line); save the file as UTF-8",
                "line 4: missing name");
        Path file = Files.write(dir.resolve("latin1.csv"), all);
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> CsvInventory.read(file, ICMP));
        assertEquals(expected, e.problems(), "every other line is still checked");
        e = assertThrows(InvalidConfigurationException.class, () -> CsvInventory.read(new ByteArrayInputStream(all), "s",
                ICMP, CsvOptions.defaults()));
        assertEquals(expected, e.problems());
        // Text with a lone surrogate (it cannot be UTF-8 either): the same message, at its line.
        String text = "id,name,address\n" + A + ",ok,127.0.0.1\n" + B + ",x\ud800y,127.0.0.2\n";
        assertEquals(List.of("line 3: not UTF-8 text (byte 39 of the line); save the file as UTF-8"),
                problems(text, CsvOptions.defaults()));
        // Multi-byte UTF-8 and a byte order mark are fine.
        List<Device> ds = CsvInventory.read(new ByteArrayInputStream(("\uFEFFid,name,address\n" + A + ",Tbilisi – თბილისი 🛰,127.0.0.1\n")
                .getBytes(StandardCharsets.UTF_8)), "s", ICMP, CsvOptions.defaults());
        assertEquals("Tbilisi – თბილისი 🛰", ds.getFirst().name());
    }

    @Test
    void linesOverTheLimitAreReportedWithTheirNumberAndTheRestIsRead() {
        CsvOptions small = CsvOptions.defaults().withMaxLineBytes(100);
        String longName = "n".repeat(80);
        String csv = "id,name,address\n" + A + "," + longName + ",127.0.0.1\n" + B + ",ok,127.0.0.2\n"
                + C + ",,127.0.0.3\n";
        assertEquals(List.of("line 2: longer than 100 bytes, the limit of a line", "line 4: missing name"), problems(csv, small));
        // Exactly at the limit (the line break not counted) is fine; the limit counts UTF-8 bytes.
        String fits = A + "," + "n".repeat(100 - (A.length() + 2 + "127.0.0.1".length())) + ",127.0.0.1";
        assertEquals(100, fits.length());
        assertDoesNotThrow(() -> CsvInventory.read(new StringReader("id,name,address\n" + fits + "\n"), "t", ICMP, small));
        String twoByteChars = A + "," + "é".repeat(30) + ",127.0.0.1";  // 36 + 1 + 60 + 10 bytes
        assertEquals(List.of("line 2: longer than 100 bytes, the limit of a line"),
                problems("id,name,address\n" + twoByteChars + "\n", small));
        assertEquals(List.of("line 1 (the header): longer than 100 bytes, the limit of a line"),
                problems("id,name,address," + "x".repeat(100) + "\n" + A + ",a,127.0.0.1\n", small));
    }

    @Test
    void optionsAreCheckedTogether() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> new CsvOptions(0, 10, false));
        assertEquals(List.of("maxRows = 0: must be 1-10000000", "maxLineBytes = 10: must be 64-16777216"), e.problems());
        assertEquals(65_536, CsvOptions.defaults().maxLineBytes());
        assertFalse(CsvOptions.defaults().allowLinkLocal());
    }

    @Test
    void addressesWardNeverProbesAreRejectedWithTheirLineAndWhy() throws Exception {
        String[] refused = {"224.0.0.1", "239.255.255.250", "ff02::1", "255.255.255.255", "0.0.0.0", "0.1.2.3", "::",
            "::ffff:224.0.0.1", "::ffff:0.0.0.0", "::ffff:255.255.255.255"};
        StringBuilder csv = new StringBuilder("id,name,address\n");
        for (int i = 0; i < refused.length; i++) {
            csv.append(DeviceId.fromKey("r" + i)).append(",r").append(i).append(',').append(refused[i]).append('\n');
        }
        List<String> p = problems(csv.toString(), CsvOptions.defaults().withAllowLinkLocal(true));
        assertEquals(refused.length, p.size(), String.join("\n", p));
        assertTrue(p.get(0).startsWith("line 2: address 224.0.0.1 is multicast (224.0.0.0/4): an echo to it reaches"), p.get(0));
        assertTrue(p.get(2).startsWith("line 4: address ff02:0:0:0:0:0:0:1 is multicast (ff00::/8)"), p.get(2));
        assertTrue(p.get(3).startsWith("line 5: address 255.255.255.255 is the broadcast address"), p.get(3));
        assertTrue(p.get(4).startsWith("line 6: address 0.0.0.0 is unspecified (0.0.0.0/8"), p.get(4));
        assertTrue(p.get(6).startsWith("line 8: address 0:0:0:0:0:0:0:0 is the unspecified address"), p.get(6));
        assertTrue(p.get(7).startsWith("line 9: address 224.0.0.1 is multicast"), "IPv4-mapped, judged as IPv4: " + p.get(7));
        for (String s : p) {
            assertTrue(s.endsWith("never one device, so ward never probes it"), s);
        }
    }

    @Test
    void linkLocalNeedsTheOptIn() throws Exception {
        String csv = "id,name,address\n" + A + ",a,169.254.10.1\n" + B + ",b,fe80::1\n" + C + ",c,::ffff:169.254.0.9\n"
                + "8cde4671-63bc-40b9-ab62-bad983d74c19,lo,127.0.0.1\n8cde4671-63bc-40b9-ab62-bad983d74c10,lo6,::1\n";
        List<String> p = problems(csv, CsvOptions.defaults());
        assertEquals(3, p.size(), String.join("\n", p));
        assertTrue(p.get(0).startsWith("line 2: address 169.254.10.1 is link-local (169.254.0.0/16): it names a different "
                + "host on every network segment, so ward probes it only when allowed explicitly (allow-link-local)"), p.get(0));
        assertTrue(p.get(1).startsWith("line 3: address fe80:0:0:0:0:0:0:1 is link-local (fe80::/10)"), p.get(1));
        assertTrue(p.get(2).startsWith("line 4: address 169.254.0.9 is link-local"), p.get(2));
        List<Device> ds = CsvInventory.read(new StringReader(csv), "t.csv", ICMP, CsvOptions.defaults().withAllowLinkLocal(true));
        assertEquals(5, ds.size(), "allowed explicitly; loopback always");
    }

    /** An input of {@code header}, then one line of {@code size} bytes, then a good row, made as it is read. */
    static InputStream hugeLine(String header, long size, String after) {
        byte[] head = header.getBytes(StandardCharsets.UTF_8);
        byte[] tail = after.getBytes(StandardCharsets.UTF_8);
        return new InputStream() {
            long pos;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                long total = head.length + size + tail.length;
                if (pos >= total) {
                    return -1;
                }
                int n = 0;
                while (n < len && pos < total) {
                    if (pos < head.length) {
                        b[off + n] = head[(int) pos];
                    } else if (pos < head.length + size) {
                        b[off + n] = 'a';
                    } else {
                        b[off + n] = tail[(int) (pos - head.length - size)];
                    }
                    n++;
                    pos++;
                }
                return n;
            }
        };
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void aLineOf200MegabytesIsRejectedWithoutEverBeingHeldInMemory() throws Exception {
        long size = 200L * 1024 * 1024;
        long before = allocatedBytes();
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> CsvInventory.read(
                hugeLine("id,name,address\n", size, "\n" + A + ",,127.0.0.1\n"), "huge.csv", ICMP, CsvOptions.defaults()));
        long allocated = allocatedBytes() - before;
        assertEquals(List.of("line 2: longer than 65536 bytes, the limit of a line", "line 3: missing name"), e.problems());
        // Reading 200 MB allocated a few buffers, not the line: reading it whole took 400 MB and more.
        assertTrue(allocated < 16L * 1024 * 1024, "allocated " + allocated + " bytes while reading a 200 MB line");
    }

    @Test
    void aHeaderOf200MegabytesIsRejectedWithoutEverBeingHeldInMemory() {
        long before = allocatedBytes();
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> CsvInventory.read(
                hugeLine("id,name,address,", 200L * 1024 * 1024, "\n" + A + ",a,127.0.0.1\n"), "huge.csv", ICMP,
                CsvOptions.defaults()));
        long allocated = allocatedBytes() - before;
        assertEquals(List.of("line 1 (the header): longer than 65536 bytes, the limit of a line"), e.problems());
        assertTrue(allocated < 16L * 1024 * 1024, "allocated " + allocated + " bytes while reading a 200 MB header");
    }
}
