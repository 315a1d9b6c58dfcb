package io.github.wardops.ward.internal.icmp;

import static org.junit.jupiter.api.Assertions.*;

import io.github.wardops.ward.inventory.Addresses;
import io.github.wardops.ward.inventory.Check;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.probe.*;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class IcmpSmokeTest {
    @Test
    void pingsLoopback() throws Exception {
        try (IcmpEchoProber p = IcmpEchoProber.open(IcmpOptions.defaults())) {
            for (String a : new String[] {"127.0.0.1", "127.3.4.5", "::1"}) {
                Device d = Device.builder(DeviceId.fromKey(a), a, Addresses.parse(a)).build();
                Check c = Check.icmp(Duration.ofSeconds(30));
                ProbeResult r = p.probe(new ProbeRequest(d, c, Instant.now()));
                System.out.println(p.mode() + " " + a + " -> " + r);
                assertInstanceOf(ProbeResult.Up.class, r);
            }
            System.out.println("kernel ts " + p.kernelTimestamps.sum() + " ignored " + p.ignoredMalformed.sum() + "/" + p.ignoredForeign.sum());
        }
    }
}
