package io.github.wardops.ward.runner.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SweepOutputTest {

    @Test
    void roundTripsUseFpingsPrecision() {
        assertEquals("0.031", SweepOutput.ms(31_000));
        assertEquals("0.999", SweepOutput.ms(999_000));
        assertEquals("1.00", SweepOutput.ms(1_000_000));
        assertEquals("9.99", SweepOutput.ms(9_990_000));
        assertEquals("12.3", SweepOutput.ms(12_340_000));
        assertEquals("123", SweepOutput.ms(123_400_000));
    }

    @Test
    void fastFormattingMatchesTheFormatter() {
        java.util.Random rnd = new java.util.Random(42);
        for (int i = 0; i < 20_000; i++) {
            long nanos = i < 10_000 ? rnd.nextLong(2_000_000) : rnd.nextLong(2_000_000_000L);
            double t = nanos / 1e6;
            String expected = t < 1 ? String.format(java.util.Locale.ROOT, "%.3f", t)
                    : t < 10 ? String.format(java.util.Locale.ROOT, "%.2f", t)
                    : t < 100 ? String.format(java.util.Locale.ROOT, "%.1f", t)
                    : String.format(java.util.Locale.ROOT, "%.0f", t);
            assertEquals(expected, SweepOutput.ms(nanos), "nanos " + nanos);
        }
        assertEquals("0.000", SweepOutput.ms(0));
        assertEquals("1.000", SweepOutput.ms(999_999), "the bracket is chosen before rounding, as fping does");
    }

    @Test
    void linesLookLikeFpingsAndArePaddedToTheLongestName() {
        List<InetAddress> targets = List.of(InetAddress.ofLiteral("127.0.0.1"), InetAddress.ofLiteral("127.0.0.200"),
                InetAddress.ofLiteral("::1"));
        Sweep.Report r = new Sweep.Report(targets, new int[] {3, 2, 0}, new int[] {3, 1, 0},
                new long[] {25_000, 40_000, 0}, new long[] {31_000, 40_000, 0}, new long[] {36_000, 40_000, 0},
                Duration.ofMillis(1_500));
        StringWriter sw = new StringWriter();
        SweepOutput.write(r, new PrintWriter(sw));
        List<String> lines = sw.toString().lines().toList();
        assertEquals(4, lines.size());
        assertEquals("127.0.0.1   : xmt/rcv/%loss = 3/3/0%, min/avg/max = 0.025/0.031/0.036", lines.get(0));
        assertEquals("127.0.0.200 : xmt/rcv/%loss = 2/1/50%, min/avg/max = 0.040/0.040/0.040", lines.get(1));
        assertEquals("::1         : xmt/rcv/%loss = 0/0/0%", lines.get(2));
        assertEquals("3 targets, 2 answered, 5 sent, 4 received, 20.00% loss, elapsed 1.500 s, 3 echoes/s", lines.get(3));
        assertTrue(!r.allAnswered());
    }

    @Test
    void lossIsRoundedDownAsFpingDoes() {
        StringBuilder sb = new StringBuilder();
        SweepOutput.line(sb, 3, 1, 1, 1, 1);
        assertTrue(sb.toString().contains("3/1/66%"), sb.toString());
    }

    @Test
    void ipv6IsCompressedAsRfc5952Says() {
        assertEquals("::1", SweepOutput.format(InetAddress.ofLiteral("::1")));
        assertEquals("::", SweepOutput.format(InetAddress.ofLiteral("::")));
        assertEquals("2001:db8::1", SweepOutput.format(InetAddress.ofLiteral("2001:db8:0:0:0:0:0:1")));
        assertEquals("2001:db8:0:1:1:1:1:1", SweepOutput.format(InetAddress.ofLiteral("2001:db8:0:1:1:1:1:1")));
        assertEquals("2001:0:0:1::1", SweepOutput.format(InetAddress.ofLiteral("2001:0:0:1:0:0:0:1")));
        assertEquals("fe80::", SweepOutput.format(InetAddress.ofLiteral("fe80::")));
        assertEquals("127.0.0.1", SweepOutput.format(InetAddress.ofLiteral("127.0.0.1")));
    }
}
