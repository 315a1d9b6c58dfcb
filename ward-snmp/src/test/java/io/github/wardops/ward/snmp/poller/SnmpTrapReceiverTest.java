package io.github.wardops.ward.snmp.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.Secret;
import io.github.wardops.ward.WardException;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.snmp.SnmpAuthProtocol;
import io.github.wardops.ward.snmp.SnmpCredentials;
import io.github.wardops.ward.snmp.SnmpOid;
import io.github.wardops.ward.snmp.SnmpPrivProtocol;
import io.github.wardops.ward.snmp.SnmpValue;
import io.github.wardops.ward.snmp.SnmpVersion;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.snmp4j.CommunityTarget;
import org.snmp4j.PDU;
import org.snmp4j.PDUv1;
import org.snmp4j.Snmp;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.IpAddress;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.TimeTicks;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.smi.VariableBinding;
import org.snmp4j.transport.DefaultUdpTransportMapping;

/**
 * The trap receiver with notifications sent by SNMP4J and raw datagrams, over UDP on 127.0.0.1:
 * bounds (bindings, value bytes, queue, unknown-source rate), malformed input, a slow and a
 * throwing listener, close, and options.
 */
class SnmpTrapReceiverTest {
    private static final DeviceId DEVICE = DeviceId.fromKey("router-1");
    private static final OID LINK_UP = new OID("1.3.6.1.6.3.1.1.5.4");

    private final List<SnmpTrapReceiver> receivers = new ArrayList<>();
    private Snmp snmp;

    @BeforeEach
    void sender() throws Exception {
        snmp = new Snmp(new DefaultUdpTransportMapping(new UdpAddress(InetAddress.getByName("127.0.0.1"), 0)));
        snmp.listen();
    }

    @AfterEach
    void closeAll() throws Exception {
        receivers.forEach(SnmpTrapReceiver::close);
        snmp.close();
    }

    private static SnmpTrapOptions.Builder options() throws Exception {
        return SnmpTrapOptions.builder().bindAddress(InetAddress.getByName("127.0.0.1")).port(0)
                .community(Secret.of("public"));
    }

    private SnmpTrapReceiver start(SnmpTrapOptions o, TrapSourceResolver resolver, TrapListener l) {
        SnmpTrapReceiver r = SnmpTrapReceiver.start(o, resolver, l);
        receivers.add(r);
        return r;
    }

    private static TrapSourceResolver knowsLoopback() {
        return a -> a.getHostAddress().equals("127.0.0.1") ? Optional.of(DEVICE) : Optional.empty();
    }

    private void v2cTrap(SnmpTrapReceiver r, String community, OID trap, VariableBinding... more) throws Exception {
        PDU pdu = new PDU();
        pdu.setType(PDU.TRAP);
        pdu.add(new VariableBinding(SnmpConstants.sysUpTime, new TimeTicks(4242)));
        pdu.add(new VariableBinding(SnmpConstants.snmpTrapOID, trap));
        for (VariableBinding vb : more) {
            pdu.add(vb);
        }
        snmp.send(pdu, target(r, community, SnmpConstants.version2c));
    }

    private static CommunityTarget<UdpAddress> target(SnmpTrapReceiver r, String community, int version) {
        CommunityTarget<UdpAddress> t = new CommunityTarget<>(
                new UdpAddress(r.localAddress().getAddress(), r.localAddress().getPort()), new OctetString(community));
        t.setVersion(version);
        return t;
    }

    private static void await(String what, LongSupplier actual, long expected) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (actual.getAsLong() < expected) {
            if (System.nanoTime() > until) {
                fail(what + ": " + actual.getAsLong() + " of " + expected);
            }
            Thread.sleep(5);
        }
    }

    private record Got(DeviceId device, TrapEvent event) {
    }

    @Test
    void v2cTrapBecomesAnEventWithItsBindings() throws Exception {
        LinkedBlockingQueue<Got> got = new LinkedBlockingQueue<>();
        SnmpTrapReceiver r = start(options().build(), knowsLoopback(), (d, e) -> got.add(new Got(d, e)));
        v2cTrap(r, "public", LINK_UP, new VariableBinding(new OID("1.3.6.1.2.1.2.2.1.1.5"), new Integer32(5)),
                new VariableBinding(new OID("1.3.6.1.2.1.2.2.1.2.5"), new OctetString("ge-0/0/5")));
        Got g = got.poll(10, TimeUnit.SECONDS);
        assertNotNull(g, "no event");
        assertEquals(DEVICE, g.device());
        TrapEvent e = g.event();
        assertEquals(SnmpVersion.V2C, e.version());
        assertFalse(e.inform());
        assertEquals(SnmpOid.parse("1.3.6.1.6.3.1.1.5.4"), e.trapOid());
        assertEquals("linkUp", e.wellKnownName());
        assertEquals(5, e.ifIndex());
        assertEquals(4242, e.sysUpTime());
        assertNull(e.agentAddress(), "no snmpTrapAddress.0 binding");
        assertEquals(InetAddress.getByName("127.0.0.1"), e.source().getAddress());
        assertEquals(2, e.varbinds().size(), "sysUpTime.0 and snmpTrapOID.0 are fields, not bindings: " + e.varbinds());
        assertEquals(SnmpValue.OctetString.of("ge-0/0/5"), e.value(SnmpOid.parse("1.3.6.1.2.1.2.2.1.2.5")).orElseThrow());
        assertEquals(1, r.count("accepted"));
        assertThrows(IllegalArgumentException.class, () -> r.count("bogus"));
    }

    @Test
    void v1EnterpriseTrapIsTranslatedAndItsAgentAddressTriedFirst() throws Exception {
        DeviceId agentDevice = DeviceId.fromKey("agent");
        LinkedBlockingQueue<Got> got = new LinkedBlockingQueue<>();
        TrapSourceResolver resolver = a -> a.getHostAddress().equals("127.0.0.9") ? Optional.of(agentDevice)
                : knowsLoopback().resolve(a);
        SnmpTrapReceiver r = start(options().build(), resolver, (d, e) -> got.add(new Got(d, e)));
        PDUv1 pdu = new PDUv1();
        pdu.setType(PDU.V1TRAP);
        pdu.setEnterprise(new OID("1.3.6.1.4.1.8072.2.3"));
        pdu.setGenericTrap(PDUv1.ENTERPRISE_SPECIFIC);
        pdu.setSpecificTrap(7);
        pdu.setTimestamp(777);
        pdu.setAgentAddress(new IpAddress("127.0.0.9"));
        snmp.send(pdu, target(r, "public", SnmpConstants.version1));
        Got g = got.poll(10, TimeUnit.SECONDS);
        assertNotNull(g, "no event");
        assertEquals(agentDevice, g.device(), "the agent address is tried before the source address");
        assertEquals(SnmpOid.parse("1.3.6.1.4.1.8072.2.3.0.7"), g.event().trapOid());
        assertNull(g.event().wellKnownName());
        assertNull(g.event().ifIndex());
        assertEquals(777, g.event().sysUpTime());
        assertEquals(InetAddress.getByName("127.0.0.9"), g.event().agentAddress());
    }

    @Test
    void bindingsAndValuesAreBoundedAndCounted() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        LinkedBlockingQueue<Got> got = new LinkedBlockingQueue<>();
        SnmpTrapReceiver r = start(options().maxVarbinds(3).maxValueBytes(8).meterRegistry(registry).build(),
                knowsLoopback(), (d, e) -> got.add(new Got(d, e)));
        List<VariableBinding> vbs = new ArrayList<>();
        vbs.add(new VariableBinding(new OID("1.3.6.1.4.1.99.1"), new OctetString("a value longer than eight bytes")));
        for (int i = 2; i <= 6; i++) {
            vbs.add(new VariableBinding(new OID("1.3.6.1.4.1.99." + i), new Integer32(i)));
        }
        v2cTrap(r, "public", new OID("1.3.6.1.4.1.99.0.1"), vbs.toArray(VariableBinding[]::new));
        Got g = got.poll(10, TimeUnit.SECONDS);
        assertNotNull(g, "no event");
        assertEquals(3, g.event().varbinds().size());
        assertEquals(3, g.event().varbindsDropped());
        assertEquals(1, g.event().valuesTruncated());
        assertEquals(SnmpValue.OctetString.of("a value "), g.event().varbinds().get(0).value());
        assertEquals(3.0, registry.get("ward.snmp.traps.varbinds.dropped").counter().count());
        assertEquals(1.0, registry.get("ward.snmp.traps.values.truncated").counter().count());
        assertEquals(1.0, registry.get("ward.snmp.traps").tag("outcome", "accepted").counter().count());
    }

    @Test
    void wrongCommunityIsCountedAndDropped() throws Exception {
        LinkedBlockingQueue<Got> got = new LinkedBlockingQueue<>();
        SnmpTrapReceiver r = start(options().build(), knowsLoopback(), (d, e) -> got.add(new Got(d, e)));
        v2cTrap(r, "private", LINK_UP);
        await("bad_community", () -> r.count("bad_community"), 1);
        v2cTrap(r, "public", LINK_UP);
        assertNotNull(got.poll(10, TimeUnit.SECONDS));
        assertTrue(got.isEmpty(), "only the trap with the allowed community is an event");
    }

    @Test
    void unknownSourceFloodStaysBounded() throws Exception {
        int rate = 5;
        AtomicInteger handedOn = new AtomicInteger();
        AtomicInteger matched = new AtomicInteger();
        SnmpTrapReceiver r = start(options().unknownSourcesPerSecond(rate).queueCapacity(100)
                .unknownSourceListener(e -> handedOn.incrementAndGet()).build(), a -> Optional.empty(),
                (d, e) -> matched.incrementAndGet());
        int total = 10_000;
        long start = System.nanoTime();
        for (int i = 0; i < total; i++) {
            v2cTrap(r, "public", LINK_UP);
            if (i % 100 == 99) {
                // paced so the socket buffer (net.core.rmem_max) never overflows: every datagram must be counted
                int sent = i + 1;
                await("unknown_source", () -> r.count("unknown_source"), sent);
            }
        }
        await("unknown_source", () -> r.count("unknown_source"), total);
        double seconds = (System.nanoTime() - start) / 1e9;
        Thread.sleep(300);
        assertEquals(total, r.count("unknown_source"));
        assertEquals(0, matched.get());
        long maxHandedOn = (long) rate * ((long) Math.ceil(seconds) + 1);
        assertTrue(handedOn.get() >= 1 && handedOn.get() <= maxHandedOn,
                handedOn.get() + " unknown-source events handed on in " + seconds + " s at " + rate + "/s");
        assertEquals(total - handedOn.get(), r.unknownSourcesSuppressed());
    }

    @Test
    void slowListenerWithASmallQueueDropsAndCountsAndTheReceiverKeepsWorking() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        LinkedBlockingQueue<Got> got = new LinkedBlockingQueue<>();
        SnmpTrapReceiver r = start(options().queueCapacity(2).build(), knowsLoopback(), (d, e) -> {
            try {
                release.await();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            got.add(new Got(d, e));
        });
        for (int i = 0; i < 20; i++) {
            v2cTrap(r, "public", LINK_UP, new VariableBinding(new OID("1.3.6.1.4.1.99.1"), new Integer32(i)));
        }
        await("accepted + dropped", () -> r.count("accepted") + r.count("dropped"), 20);
        long accepted = r.count("accepted");
        assertTrue(accepted >= 2 && accepted <= 3, "one in the listener's hands, two queued: " + accepted);
        assertEquals(20 - accepted, r.count("dropped"));
        release.countDown();
        for (int i = 0; i < accepted; i++) {
            assertNotNull(got.poll(10, TimeUnit.SECONDS));
        }
        v2cTrap(r, "public", LINK_UP, new VariableBinding(new OID("1.3.6.1.4.1.99.1"), new Integer32(99)));
        Got later = got.poll(10, TimeUnit.SECONDS);
        assertNotNull(later, "the receiver works after the queue overflowed");
        assertEquals(new SnmpValue.Integer32(99), later.event().value(SnmpOid.parse("1.3.6.1.4.1.99.1")).orElseThrow());
    }

    @Test
    void throwingListenerIsCountedAndKeepsReceiving() throws Exception {
        LinkedBlockingQueue<Got> got = new LinkedBlockingQueue<>();
        AtomicInteger calls = new AtomicInteger();
        SnmpTrapReceiver r = start(options().build(), knowsLoopback(), (d, e) -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("listener bug");
            }
            got.add(new Got(d, e));
        });
        v2cTrap(r, "public", LINK_UP);
        await("listener errors", r::listenerErrors, 1);
        v2cTrap(r, "public", LINK_UP);
        assertNotNull(got.poll(10, TimeUnit.SECONDS), "the receiver delivers after a listener threw");
        assertEquals(1, r.listenerErrors());
    }

    /** A valid v2c trap's bytes, as SNMP4J encodes them. */
    private byte[] validTrapBytes() throws Exception {
        try (DatagramSocket catcher = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            catcher.setSoTimeout(5_000);
            PDU pdu = new PDU();
            pdu.setType(PDU.TRAP);
            pdu.add(new VariableBinding(SnmpConstants.sysUpTime, new TimeTicks(1)));
            pdu.add(new VariableBinding(SnmpConstants.snmpTrapOID, LINK_UP));
            pdu.add(new VariableBinding(new OID("1.3.6.1.2.1.2.2.1.1.4"), new Integer32(4)));
            CommunityTarget<UdpAddress> t = new CommunityTarget<>(new UdpAddress(catcher.getLocalAddress(),
                    catcher.getLocalPort()), new OctetString("public"));
            t.setVersion(SnmpConstants.version2c);
            snmp.send(pdu, t);
            DatagramPacket p = new DatagramPacket(new byte[65_535], 65_535);
            catcher.receive(p);
            return Arrays.copyOf(p.getData(), p.getLength());
        }
    }

    @Test
    void malformedDatagramsAreCountedAndNeverStopTheReceiver() throws Exception {
        LinkedBlockingQueue<Got> got = new LinkedBlockingQueue<>();
        SnmpTrapReceiver r = start(options().build(), knowsLoopback(), (d, e) -> got.add(new Got(d, e)));
        byte[] valid = validTrapBytes();
        List<byte[]> bad = new ArrayList<>();
        Random random = new Random(19);
        for (int i = 0; i < 200; i++) {
            byte[] b = new byte[1 + random.nextInt(300)];
            random.nextBytes(b);
            if (i % 2 == 0) {
                b[0] = 0x30; // a SEQUENCE, to get past the first check
            }
            bad.add(b);
        }
        for (int n = 1; n < valid.length; n++) {
            bad.add(Arrays.copyOf(valid, n)); // truncated BER
        }
        assertEquals(0x30, valid[0]);
        assertEquals(0x02, valid[2], "short-form length, then the version INTEGER");
        for (int version : new int[] {2, 4, 99}) {
            byte[] b = valid.clone();
            b[4] = (byte) version; // wrong version
            bad.add(b);
        }
        bad.add(new byte[0]);
        bad.add(new byte[] {0x04, 0x00});
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            int sent = 0;
            for (byte[] b : bad) {
                s.send(new DatagramPacket(b, b.length, r.localAddress()));
                sent++;
                if (sent % 100 == 0) {
                    int n = sent;
                    await("malformed", () -> r.count("malformed"), n);
                }
            }
            await("malformed", () -> r.count("malformed"), bad.size());
            // a get request is no notification
            PDU get = new PDU();
            get.setType(PDU.GET);
            get.add(new VariableBinding(SnmpConstants.sysUpTime));
            snmp.send(get, target(r, "public", SnmpConstants.version2c), null, new org.snmp4j.event.ResponseListener() {
                @Override
                public <A extends org.snmp4j.smi.Address> void onResponse(org.snmp4j.event.ResponseEvent<A> event) {
                }
            });
            await("malformed", () -> r.count("malformed"), bad.size() + 1L);
            // a v1 trap with an undefined generic-trap code
            PDUv1 v1 = new PDUv1();
            v1.setType(PDU.V1TRAP);
            v1.setEnterprise(new OID("1.3.6.1.4.1.8072"));
            v1.setGenericTrap(9);
            snmp.send(v1, target(r, "public", SnmpConstants.version1));
            await("malformed", () -> r.count("malformed"), bad.size() + 2L);
            s.send(new DatagramPacket(valid, valid.length, r.localAddress()));
        }
        Got g = got.poll(10, TimeUnit.SECONDS);
        assertNotNull(g, "a valid trap after the garbage is still received");
        assertEquals(4, g.event().ifIndex());
        assertEquals(bad.size() + 2L, r.count("malformed"));
        assertEquals(1, r.count("accepted"));
        assertTrue(got.isEmpty());
    }

    @Test
    void closeIsIdempotentBoundedAndReleasesThePort() throws Exception {
        SnmpTrapReceiver r = SnmpTrapReceiver.start(options().closeTimeout(Duration.ofSeconds(1)).build(),
                knowsLoopback(), (d, e) -> { });
        InetSocketAddress bound = r.localAddress();
        assertTrue(bound.getPort() > 0, "port 0 took a free port: " + bound);
        long t0 = System.nanoTime();
        r.close();
        r.close();
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(2), "close took too long");
        LinkedBlockingQueue<Got> got = new LinkedBlockingQueue<>();
        SnmpTrapReceiver again = start(options().port(bound.getPort()).build(), knowsLoopback(),
                (d, e) -> got.add(new Got(d, e)));
        assertEquals(bound.getPort(), again.localAddress().getPort());
        v2cTrap(again, "public", LINK_UP);
        assertNotNull(got.poll(10, TimeUnit.SECONDS), "the new receiver on the same port works");
        // the port is taken now: a clear error naming it
        WardException e = assertThrows(WardException.class, () -> SnmpTrapReceiver.start(
                options().port(bound.getPort()).build(), knowsLoopback(), (d, ev) -> { }));
        assertTrue(e.getMessage().contains("127.0.0.1:" + bound.getPort()), e.getMessage());
    }

    @Test
    void closeRemovesItsOwnGaugesOnly() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SnmpTrapReceiver first = start(options().meterRegistry(registry).build(), knowsLoopback(), (d, e) -> { });
        SnmpTrapReceiver second = SnmpTrapReceiver.start(options().meterRegistry(registry).build(), knowsLoopback(),
                (d, e) -> { });
        second.close();
        assertNotNull(registry.find("ward.snmp.traps.queue").gauge(), "the first receiver's gauge stays");
        first.close();
        assertNull(registry.find("ward.snmp.traps.queue").gauge(), "a closed receiver leaves no gauge reading it");
        assertNull(registry.find("ward.snmp.traps.engineids").gauge());
        assertNotNull(registry.find("ward.snmp.traps").tag("outcome", "accepted").counter(), "counters stay");
    }

    @Test
    void closeDoesNotWaitForeverForABlockedListener() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        CountDownLatch inListener = new CountDownLatch(1);
        SnmpTrapReceiver r = SnmpTrapReceiver.start(options().closeTimeout(Duration.ofMillis(300)).build(),
                knowsLoopback(), (d, e) -> {
                    inListener.countDown();
                    try {
                        never.await();
                    } catch (InterruptedException ex) {
                        // close interrupts a blocked listener after its timeout
                        Thread.currentThread().interrupt();
                        while (true) {
                            // a listener that ignores the interrupt still cannot hold close
                            if (never.getCount() == 0) {
                                return;
                            }
                            Thread.onSpinWait();
                        }
                    }
                });
        v2cTrap(r, "public", LINK_UP);
        assertTrue(inListener.await(10, TimeUnit.SECONDS));
        long t0 = System.nanoTime();
        r.close();
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        never.countDown();
        assertTrue(ms < 1_500, "close took " + ms + " ms with a 300 ms timeout");
    }

    @Test
    void optionsAreValidatedAllAtOnceWithoutNamingSecrets() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> SnmpTrapOptions.builder()
                .port(70_000).community(Secret.of("")).maxVarbinds(0).maxValueBytes(0).queueCapacity(0)
                .unknownSourcesPerSecond(-1).maxEngineIds(0).receiveBufferBytes(1).closeTimeout(Duration.ofMinutes(5))
                .localEngineId(new byte[2]).bindAddress(null).clock(null)
                .user(SnmpCredentials.v3("dup", SnmpAuthProtocol.SHA1, Secret.of("authsecret1")))
                .user(SnmpCredentials.v3("dup", SnmpAuthProtocol.SHA1, Secret.of("authsecret2")))
                .build());
        assertEquals(13, e.problems().size(), e.getMessage());
        assertFalse(e.getMessage().contains("authsecret"), e.getMessage());
    }

    @Test
    void secretsAreInNoStringTheReceiverMakes() throws Exception {
        SnmpTrapOptions o = options().community(Secret.of("c0mmunity-s3cret"))
                .user(SnmpCredentials.v3("trapuser", SnmpAuthProtocol.SHA256, Secret.of("auth-s3cret-pass"),
                        SnmpPrivProtocol.AES128, Secret.of("priv-s3cret-pass"))).build();
        SnmpTrapReceiver r = start(o, knowsLoopback(), (d, e) -> { });
        for (String s : List.of(o.toString(), r.toString(), o.communities().toString(), o.users().toString())) {
            assertFalse(s.contains("s3cret"), s);
            assertFalse(s.contains("public"), s);
        }
        assertTrue(r.toString().contains("trapuser"), r.toString());
    }

    @Test
    void unknownSourcesAreLoggedWithoutTheCommunityWhenNoCallbackIsSet() throws Exception {
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            SnmpTrapReceiver r = start(options().community(Secret.of("c0mmunity-s3cret")).build(), a -> Optional.empty(),
                    (d, e) -> fail("no device is known"));
            v2cTrap(r, "c0mmunity-s3cret", LINK_UP);
            await("unknown_source", () -> r.count("unknown_source"), 1);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!captured.toString(java.nio.charset.StandardCharsets.UTF_8).contains("unknown source")
                    && System.nanoTime() < until) {
                Thread.sleep(10);
            }
        } finally {
            System.setErr(err);
        }
        String log = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(log.contains("SNMP trap from an unknown source 127.0.0.1"), log);
        assertTrue(log.contains("linkUp"), log);
        assertFalse(log.contains("s3cret"), log);
    }

    @Test
    void defaultsListenOnLoopbackPort162() {
        SnmpTrapOptions o = SnmpTrapOptions.builder().build();
        assertEquals(162, o.port());
        assertEquals("127.0.0.1", o.bindAddress().getHostAddress());
        assertTrue(o.communities().isEmpty() && o.users().isEmpty(), "nothing is accepted unless configured");
    }

    @Test
    void ipv6LoopbackWorks() throws Exception {
        LinkedBlockingQueue<Got> got = new LinkedBlockingQueue<>();
        SnmpTrapReceiver r;
        try {
            r = start(SnmpTrapOptions.builder().bindAddress(InetAddress.getByName("::1")).port(0)
                    .community(Secret.of("public")).build(), a -> Optional.of(DEVICE), (d, e) -> got.add(new Got(d, e)));
        } catch (WardException e) {
            org.junit.jupiter.api.Assumptions.abort("no IPv6 loopback here: " + e.getMessage());
            return;
        }
        Snmp six = new Snmp(new DefaultUdpTransportMapping(new UdpAddress(InetAddress.getByName("::1"), 0)));
        try {
            six.listen();
            PDU pdu = new PDU();
            pdu.setType(PDU.TRAP);
            pdu.add(new VariableBinding(SnmpConstants.sysUpTime, new TimeTicks(1)));
            pdu.add(new VariableBinding(SnmpConstants.snmpTrapOID, LINK_UP));
            six.send(pdu, target(r, "public", SnmpConstants.version2c));
            Got g = got.poll(10, TimeUnit.SECONDS);
            assertNotNull(g);
            assertEquals(InetAddress.getByName("::1"), g.event().source().getAddress());
        } finally {
            six.close();
        }
    }
}
