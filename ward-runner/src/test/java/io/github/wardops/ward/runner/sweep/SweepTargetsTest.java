package io.github.wardops.ward.runner.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.InvalidConfigurationException;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepTargetsTest {
    @TempDir
    Path dir;

    private static List<String> texts(List<InetAddress> list) {
        return list.stream().map(InetAddress::getHostAddress).toList();
    }

    @Test
    void plainAddressesAndRangesInOrderWithDuplicates() {
        List<InetAddress> t = SweepTargets.parse(List.of("127.0.0.9", "127.0.0.0/30", "127.0.0.9", "::1"), 100);
        assertEquals(List.of("127.0.0.9", "127.0.0.1", "127.0.0.2", "127.0.0.9", "0:0:0:0:0:0:0:1"), texts(t));
    }

    @Test
    void slash31And32KeepEveryAddress() {
        assertEquals(List.of("127.0.0.4", "127.0.0.5"), texts(SweepTargets.parse(List.of("127.0.0.4/31"), 10)));
        assertEquals(List.of("127.0.0.4"), texts(SweepTargets.parse(List.of("127.0.0.4/32"), 10)));
        assertEquals(4, SweepTargets.parse(List.of("::4/126"), 10).size());
    }

    @Test
    void fileWithCommentsBlankLinesAndRanges() throws IOException {
        Path f = dir.resolve("targets.txt");
        Files.writeString(f, """
                # loopback targets
                127.0.0.1

                127.0.1.0/30   # a range
                   127.0.0.2
                \t
                ::1
                """);
        assertEquals(List.of("127.0.0.1", "127.0.1.1", "127.0.1.2", "127.0.0.2", "0:0:0:0:0:0:0:1"),
                texts(SweepTargets.parse(List.of(f.toString()), 100)));
    }

    @Test
    void everyMalformedLineIsReportedWithItsLineNumber() throws IOException {
        Path f = dir.resolve("bad.txt");
        Files.writeString(f, """
                127.0.0.1
                127.0.0.256
                not-an-address
                127.0.0.1 127.0.0.2
                127.0.0.0/33
                127.0.0.0/x
                ::1
                1.2.3
                """);
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> SweepTargets.parse(List.of(f.toString()), 100));
        List<String> p = e.problems();
        assertEquals(6, p.size(), p.toString());
        assertTrue(p.get(0).startsWith(f + ":2: not an IP address: '127.0.0.256'"), p.get(0));
        assertTrue(p.get(1).startsWith(f + ":3: "), p.get(1));
        assertTrue(p.get(2).startsWith(f + ":4: one address or CIDR range per line"), p.get(2));
        assertTrue(p.get(3).startsWith(f + ":5: prefix length 33 out of range"), p.get(3));
        assertTrue(p.get(4).startsWith(f + ":6: bad prefix length"), p.get(4));
        assertTrue(p.get(5).startsWith(f + ":8: "), p.get(5));
    }

    @Test
    void badOperandsAreAllReported() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> SweepTargets.parse(List.of("127.0.0.1", "no/such/file.txt", "host.example", "127.0.0.1/-1", ""), 100));
        List<String> p = e.problems();
        assertEquals(4, p.size(), p.toString());
        assertEquals("'no/such/file.txt' is not a readable file, an IP address or a CIDR range", p.get(0));
        assertEquals("'host.example' is not a readable file, an IP address or a CIDR range", p.get(1));
        assertTrue(p.get(2).startsWith("'127.0.0.1/-1': prefix length -1 out of range"), p.get(2));
        assertTrue(p.get(3).contains("empty target") || p.get(3).contains("not a readable file"), p.get(3));
    }

    @Test
    void aTooLargeRangeIsRejectedBeforeItIsExpanded() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> SweepTargets.parse(List.of("127.0.0.0/8", "::/0"), 1_000));
        assertEquals(2, e.problems().size());
        assertTrue(e.problems().get(0).contains("this adds 16777214 addresses to 0, over the limit of 1000 (--max-targets)"),
                e.problems().get(0));
        assertTrue(e.problems().get(1).contains("this adds " + BigInteger.TWO.pow(128) + " addresses"), e.problems().get(1));
    }

    @Test
    void theLimitCountsEveryOperandTogether() {
        assertEquals(254, SweepTargets.parse(List.of("127.0.0.0/24"), 254).size());
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> SweepTargets.parse(List.of("127.0.0.0/24", "127.0.1.1"), 254));
        assertTrue(e.problems().getFirst().contains("this adds 1 addresses to 254, over the limit of 254"), e.problems().toString());
    }

    @Test
    void noOperandsIsAProblem() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> SweepTargets.parse(List.of(), 10));
        assertTrue(e.problems().getFirst().startsWith("no targets"));
    }

    @Test
    void problemsStopAtABound() throws IOException {
        Path f = dir.resolve("garbage.txt");
        Files.writeString(f, "x\n".repeat(5_000));
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> SweepTargets.parse(List.of(f.toString()), 10));
        assertEquals(101, e.problems().size());
        assertTrue(e.problems().getLast().startsWith("... stopped after 100 problems"));
    }

    @Test
    void overlongLinesAreRejectedWithoutParsing() throws IOException {
        Path f = dir.resolve("long.txt");
        Files.writeString(f, "127.0.0.1\n" + "1".repeat(2_000) + "\n");
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> SweepTargets.parse(List.of(f.toString()), 10));
        assertEquals(List.of(f + ":2: longer than 1024 bytes"), e.problems());
    }

    @Test
    void rangeSizeCountsWithoutExpanding() {
        assertEquals(BigInteger.valueOf(254), SweepTargets.rangeSize("127.0.0.0/24"));
        assertEquals(BigInteger.ONE, SweepTargets.rangeSize("127.0.0.7"));
        assertEquals(BigInteger.TWO.pow(64), SweepTargets.rangeSize("::/64"));
    }

    @Test
    void addressesWardNeverProbesAreRefusedAloneInsideARangeAndInAFile() throws IOException {
        Path f = Files.writeString(dir.resolve("targets.txt"), "127.0.0.1\n224.0.0.1\nff02::1\n169.254.1.1\n::ffff:255.255.255.255\n"
                + "127.0.0.\u001b[2J\n");
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> SweepTargets.parse(
                List.of("0.0.0.0", "::", "255.255.255.255", "239.255.255.0/30", "169.254.0.0/30", "::/126", "fe80::/126",
                        "127.0.0.0/30", f.toString()), 100));
        List<String> p = e.problems();
        assertEquals(12, p.size(), String.join("\n", p));
        assertTrue(p.get(0).startsWith("'0.0.0.0': address 0.0.0.0 is unspecified"), p.get(0));
        assertTrue(p.get(1).startsWith("'::': address 0:0:0:0:0:0:0:0 is the unspecified address"), p.get(1));
        assertTrue(p.get(2).startsWith("'255.255.255.255': address 255.255.255.255 is the broadcast address"), p.get(2));
        assertTrue(p.get(3).startsWith("'239.255.255.0/30': the range holds addresses ward never probes: address 239.255.255.1 "
                + "is multicast"), p.get(3));
        assertTrue(p.get(4).startsWith("'169.254.0.0/30': the range holds addresses ward never probes: address 169.254.0.1 is "
                + "link-local"), p.get(4));
        assertTrue(p.get(5).startsWith("'::/126': the range holds addresses ward never probes: address 0:0:0:0:0:0:0:0 is the "
                + "unspecified address"), p.get(5));
        assertTrue(p.get(6).startsWith("'fe80::/126': the range holds"), p.get(6));
        assertTrue(p.get(7).startsWith(f + ":2: address 224.0.0.1 is multicast"), p.get(7));
        assertTrue(p.get(8).startsWith(f + ":3: address ff02:0:0:0:0:0:0:1 is multicast"), p.get(8));
        assertTrue(p.get(9).startsWith(f + ":4: address 169.254.1.1 is link-local"), p.get(9));
        assertTrue(p.get(10).startsWith(f + ":5: address 255.255.255.255 is the broadcast address"), p.get(10));
        assertEquals(f + ":6: the control character U+001B at character 9 is not allowed", p.get(11));
        // Link-local when asked for; the rest never.
        assertEquals(List.of("169.254.0.1", "169.254.0.2", "fe80:0:0:0:0:0:0:1"),
                texts(SweepTargets.parse(List.of("169.254.0.0/30", "fe80::1"), 100, true)));
        assertThrows(InvalidConfigurationException.class, () -> SweepTargets.parse(List.of("224.0.0.1"), 100, true));
    }

    @Test
    void aTargetFileWithAHugeLineOrBytesThatAreNotUtf8IsReportedByLine() throws IOException {
        Path f = dir.resolve("huge.txt");
        try (var out = Files.newOutputStream(f)) {
            out.write("127.0.0.1\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            byte[] chunk = "1".repeat(1 << 20).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            for (int i = 0; i < 20; i++) {
                out.write(chunk);
            }
            out.write(new byte[] {'\n', '1', '2', '7', (byte) 0xe9, '\n', '1', '2', '7', '.', '0', '.', '0', '.', '2'});
        }
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> SweepTargets.parse(List.of(f.toString()), 10));
        assertEquals(List.of(f + ":2: longer than 1024 bytes", f + ":3: not UTF-8 text; save the file as UTF-8"), e.problems());
        Files.writeString(f, "127.0.0.1\n127.0.0.2");
        assertEquals(List.of("127.0.0.1", "127.0.0.2"), texts(SweepTargets.parse(List.of(f.toString()), 10)), "no final newline");
    }
}
