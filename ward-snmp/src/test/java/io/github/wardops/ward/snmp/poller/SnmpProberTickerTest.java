package io.github.wardops.ward.snmp.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.github.wardops.ward.Secret;
import io.github.wardops.ward.Ticker;
import io.github.wardops.ward.inventory.Addresses;
import io.github.wardops.ward.inventory.Check;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.probe.DownReason;
import io.github.wardops.ward.probe.ProbeRequest;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.snmp.SnmpCredentials;
import io.github.wardops.ward.snmp.SnmpSettings;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The SNMP prober measures its check's timeout on the ticker it is given, not on System.nanoTime(). */
class SnmpProberTickerTest {

    /** A clock that is also a ticker, as ward-testkit's ManualClock is. */
    private record ClockAndTicker(InstantSource clock, Ticker ticker) implements InstantSource, Ticker {
        @Override
        public Instant instant() {
            return clock.instant();
        }

        @Override
        public long read() {
            return ticker.read();
        }
    }

    @Test
    void theTickerDefaultsToTheClockWhenItIsOneElseToTheSystemTicker() {
        ClockAndTicker both = new ClockAndTicker(InstantSource.system(), () -> 42);
        assertSame(both, SnmpOptions.builder().clock(both).build().ticker());
        assertSame(Ticker.system(), SnmpOptions.defaults().ticker());
        Ticker own = () -> 7;
        assertSame(own, SnmpOptions.builder().clock(both).ticker(own).build().ticker());
    }

    @Test
    void aCheckTimeoutPassedOnTheTickerStopsThePollBeforeItsFirstRequest() throws Exception {
        // the first reading sets the deadline; every later one is an hour on, long past the check's 10 s
        AtomicLong reads = new AtomicLong();
        Ticker jumping = () -> reads.getAndIncrement() == 0 ? 0 : Duration.ofHours(1).toNanos();
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        // an agent that never answers: on real time the poll would send and wait out the request timeout
        try (DatagramSocket silent = new DatagramSocket(0, loopback);
             SnmpProber prober = SnmpProbers.create(SnmpOptions.builder().bindAddress(loopback).ticker(jumping).build())) {
            SnmpSettings s = SnmpSettings.builder().credentials(SnmpCredentials.v2c(Secret.of("public")))
                    .port(silent.getLocalPort()).requestTimeout(Duration.ofMillis(200)).retries(0).build();
            Check check = new Check("snmp", s, Duration.ofSeconds(60), Duration.ofSeconds(10));
            Device device = Device.builder(new DeviceId(new UUID(0, 1)), "r1", Addresses.parse("127.0.0.1")).check(check).build();
            ProbeResult r = prober.probe(new ProbeRequest(device, check, Instant.EPOCH));
            ProbeResult.Down down = assertInstanceOf(ProbeResult.Down.class, r);
            assertEquals(DownReason.TIMEOUT, down.reason());
            assertEquals("the check's timeout was reached", down.detail());
        }
    }
}
