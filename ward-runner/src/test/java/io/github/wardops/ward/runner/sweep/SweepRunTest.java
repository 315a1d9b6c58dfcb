package io.github.wardops.ward.runner.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.wardops.ward.WardException;
import io.github.wardops.ward.internal.icmp.SweepSocket;
import io.github.wardops.ward.probe.IcmpOptions;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** How a sweep counts the replies its socket matched: once per echo, none after the timeout. */
class SweepRunTest {
    @Test
    void everyEchoCountsOnceAndLateRepliesNotAtAll() throws Exception {
        List<InetAddress> targets = List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("127.0.0.2"));
        Sweep sweep = new Sweep(IcmpOptions.defaults(), new Sweep.Options(2, Duration.ZERO, Duration.ofMillis(100), 10, 1000));
        SweepSocket socket;
        try {
            socket = SweepSocket.open(IcmpOptions.defaults(), targets, 2, true);
        } catch (WardException e) {
            Assumptions.abort("no ICMP socket here: " + e.getMessage());
            return;
        }
        try (socket) {
            Sweep.Run run = sweep.new Run(socket, targets);
            run.reply(0, 0, 2_000_000);
            run.reply(0, 0, 3_000_000); // a duplicate of echo 0
            run.reply(0, 1, 4_000_000);
            run.reply(1, 1, 200_000_000); // after the 100 ms timeout
            assertEquals(2, run.received[0]);
            assertEquals(2_000_000, run.min[0]);
            assertEquals(4_000_000, run.max[0]);
            assertEquals(6_000_000, run.sum[0]);
            assertEquals(0, run.received[1]);
            assertEquals(1, run.duplicates);
            assertEquals(1, run.late);
        }
    }
}
