package io.github.wardops.ward.simulator.snmp;

import io.github.wardops.ward.snmp.SnmpCredentials;
import io.github.wardops.ward.snmp.SnmpOid;
import io.github.wardops.ward.snmp.SnmpValue;
import io.github.wardops.ward.snmp.SnmpVersion;
import io.github.wardops.ward.snmp.poller.internal.Snmp4jValues;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.snmp4j.CommandResponder;
import org.snmp4j.CommandResponderEvent;
import org.snmp4j.MessageDispatcherImpl;
import org.snmp4j.MessageException;
import org.snmp4j.PDU;
import org.snmp4j.TransportStateReference;
import org.snmp4j.mp.MPv1;
import org.snmp4j.mp.MPv2c;
import org.snmp4j.mp.MPv3;
import org.snmp4j.mp.MessageProcessingModel;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.mp.StatusInformation;
import org.snmp4j.security.SecurityLevel;
import org.snmp4j.security.SecurityModels;
import org.snmp4j.security.SecurityProtocols;
import org.snmp4j.security.USM;
import org.snmp4j.smi.Address;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.Null;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.smi.VariableBinding;
import org.snmp4j.transport.UdpTransportMapping;

/**
 * A fleet of simulated SNMP agents built on SNMP4J: one non-blocking UDP socket per device (any
 * number of addresses in 127.0.0.0/8), one or a few selector threads, SNMP4J's message dispatcher with
 * v1, v2c and v3 (USM) decoding, and a {@link CommandResponder} that answers from each device's
 * computed MIB. Devices can be silent, slow, send garbage or truncated packets, answer with
 * wrong varbinds or loop in walks, and restart.
 *
 * <p>All devices share one SNMPv3 engine ID and user table. Thread-safe; {@link #close()} stops
 * the thread and closes every socket.
 *
 * <p>Arguments must not be {@code null}; nothing it returns is {@code null}.
 */
public final class SnmpSimulator implements AutoCloseable {
    private final InstantSource clock;
    private final Set<SnmpVersion> versions;
    private final List<SimulatedDevice> devices = new ArrayList<>();
    private final List<DatagramChannel> channels = new ArrayList<>();
    private final Map<SimulatedDevice, Integer> ports = new java.util.IdentityHashMap<>();
    private final List<Selector> selectors = new ArrayList<>();
    private final MessageDispatcherImpl dispatcher = new MessageDispatcherImpl();
    private final ScheduledExecutorService slow;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong dropped = new AtomicLong();
    private final int maxDelayed;
    private volatile boolean running = true;

    private SnmpSimulator(Builder b) throws IOException {
        this.clock = b.clock;
        this.versions = Set.copyOf(b.versions);
        this.maxDelayed = b.maxDelayed;
        SecurityProtocols protocols = Snmp4jValues.securityProtocols();
        byte[] engineId = MPv3.createLocalEngineID(new OctetString("ward-sim-" + System.nanoTime()));
        USM usm = new USM(protocols, new OctetString(engineId), 1);
        for (SnmpCredentials.Usm u : b.users) {
            usm.addUser(Snmp4jValues.usmUser(u), new OctetString(engineId));
        }
        SecurityModels models = new SecurityModels();
        models.addSecurityModel(usm);
        dispatcher.addMessageProcessingModel(new MPv1());
        dispatcher.addMessageProcessingModel(new MPv2c());
        dispatcher.addMessageProcessingModel(new MPv3(engineId, null, protocols, models, org.snmp4j.mp.CounterSupport.getInstance()));
        dispatcher.addCommandResponder(new Responder());
        for (int i = 0; i < b.threads; i++) {
            selectors.add(Selector.open());
        }
        SimulatedDevice.SnmpSimulatorClock c = clock::instant;
        Instant boot = clock.instant();
        try {
            java.util.Set<InetSocketAddress> taken = new java.util.HashSet<>();
            for (SimulatedDevice.Builder db : b.devices) {
                SimulatedDevice d = db.build(c, boot);
                DatagramChannel ch = DatagramChannel.open();
                channels.add(ch);
                InetSocketAddress at = new InetSocketAddress(d.address(), d.configuredPort());
                try {
                    ch.bind(at);
                } catch (IOException e) {
                    // say which it is: two of these devices, or another process (named when ss can tell)
                    String why = d.configuredPort() != 0 && taken.contains(at) ? "two simulated devices on one address and port"
                            : "held by " + io.github.wardops.ward.internal.support.PortHolder.of(d.address(), d.configuredPort(), false)
                                    .orElse("another process");
                    throw new IOException("cannot bind a simulated device to " + d.address().getHostAddress() + ":"
                            + d.configuredPort() + " (" + why + "): " + e.getMessage(), e);
                }
                taken.add(at);
                ch.configureBlocking(false);
                int port = ((InetSocketAddress) ch.getLocalAddress()).getPort();
                ChannelTransport t = new ChannelTransport(new UdpAddress(d.address(), port), ch, d);
                ch.register(selectors.get(devices.size() % selectors.size()), SelectionKey.OP_READ, t);
                devices.add(d);
                ports.put(d, port);
            }
        } catch (IOException | RuntimeException e) {
            closeChannels();
            for (Selector sel : selectors) {
                sel.close();
            }
            throw e;
        }
        ScheduledThreadPoolExecutor s = (ScheduledThreadPoolExecutor) Executors.newScheduledThreadPool(1, r -> {
            Thread th = new Thread(r, "ward-snmp-sim-slow");
            th.setDaemon(true);
            return th;
        });
        s.setRemoveOnCancelPolicy(true);
        slow = s;
        for (int i = 0; i < selectors.size(); i++) {
            Selector sel = selectors.get(i);
            Thread th = new Thread(() -> loop(sel), "ward-snmp-sim-" + i);
            th.setDaemon(true);
            threads.add(th);
            th.start();
        }
    }

    /**
     * Starts a simulator.
     *
     * @return a builder; not thread-safe
     */
    public static Builder builder() {
        return new Builder();
    }

    /**

     * Returns the devices, in the order added.

     *

     * @return the devices, in the order added

     */
    public List<SimulatedDevice> devices() {
        return List.copyOf(devices);
    }

    /**
     * The UDP port a device listens on.
     *
     * @param d the device
     * @return the port
     */
    public int port(SimulatedDevice d) {
        Integer p = ports.get(d);
        if (p == null) {
            throw new IllegalArgumentException("not a device of this simulator");
        }
        return p;
    }

    /**

     * Returns requests dropped because too many slow answers were waiting.

     *

     * @return requests dropped because too many slow answers were waiting

     */
    public long dropped() {
        return dropped.get();
    }

    private void loop(Selector selector) {
        ByteBuffer buf = ByteBuffer.allocateDirect(65_536);
        while (running) {
            try {
                selector.select(200);
                for (SelectionKey key : selector.selectedKeys()) {
                    ChannelTransport t = (ChannelTransport) key.attachment();
                    while (true) {
                        buf.clear();
                        SocketAddress from = t.channel.receive(buf);
                        if (from == null) {
                            break;
                        }
                        buf.flip();
                        byte[] msg = new byte[buf.remaining()];
                        buf.get(msg);
                        handle(t, (InetSocketAddress) from, msg);
                    }
                }
                selector.selectedKeys().clear();
            } catch (IOException | RuntimeException e) {
                if (!running) {
                    return;
                }
            }
        }
    }

    private void handle(ChannelTransport t, InetSocketAddress from, byte[] msg) {
        SimulatedDevice d = t.device;
        d.countRequest();
        switch (d.behaviour()) {
            case SILENT -> {
            }
            case GARBAGE -> send(t, from, new byte[] {0x30, 0x05, 0x02, 0x01, 0x01, 0x04, 0x7F, 'w', 'a', 'r', 'd'});
            case SLOW -> {
                if (((ScheduledThreadPoolExecutor) slow).getQueue().size() >= maxDelayed) {
                    dropped.incrementAndGet();
                    return;
                }
                slow.schedule(() -> dispatch(t, from, msg), d.delay().toNanos(), TimeUnit.NANOSECONDS);
            }
            default -> dispatch(t, from, msg);
        }
    }

    private void dispatch(ChannelTransport t, InetSocketAddress from, byte[] msg) {
        UdpAddress peer = new UdpAddress(from.getAddress(), from.getPort());
        try {
            dispatcher.processMessage(t, peer, ByteBuffer.wrap(msg),
                    new TransportStateReference(t, peer, null, SecurityLevel.undefined, SecurityLevel.undefined, false, null));
        } catch (RuntimeException e) {
            // a request the dispatcher cannot handle is dropped, as a real agent would
        }
    }

    private static void send(ChannelTransport t, InetSocketAddress to, byte[] msg) {
        try {
            t.channel.send(ByteBuffer.wrap(msg), to);
        } catch (IOException e) {
            // the peer went away; UDP has no one to tell
        }
    }

    private void closeChannels() {
        for (DatagramChannel ch : channels) {
            try {
                ch.close();
            } catch (IOException e) {
                // closing
            }
        }
    }

    @Override
    public void close() {
        running = false;
        selectors.forEach(Selector::wakeup);
        try {
            for (Thread th : threads) {
                th.join(2_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        slow.shutdownNow();
        closeChannels();
        for (Selector sel : selectors) {
            try {
                sel.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** One device's socket as an SNMP4J transport, so the dispatcher can send responses through it. */
    private static final class ChannelTransport extends UdpTransportMapping {
        final DatagramChannel channel;
        final SimulatedDevice device;

        ChannelTransport(UdpAddress address, DatagramChannel channel, SimulatedDevice device) {
            super(address);
            this.channel = channel;
            this.device = device;
        }

        @Override
        public void sendMessage(UdpAddress address, byte[] message, TransportStateReference ref, long timeout,
                                int retries) throws IOException {
            byte[] out = device.behaviour() == SimulatedBehaviour.TRUNCATED
                    ? java.util.Arrays.copyOf(message, message.length / 2) : message;
            channel.send(ByteBuffer.wrap(out), new InetSocketAddress(address.getInetAddress(), address.getPort()));
        }

        @Override
        public void close() {
        }

        @Override
        public void listen() {
        }

        @Override
        public boolean isListening() {
            return true;
        }
    }

    /** Answers requests from a device's MIB. Runs on the selector (or slow) thread. */
    private final class Responder implements CommandResponder {
        @Override
        public <A extends Address> void processPdu(CommandResponderEvent<A> e) {
            e.setProcessed(true);
            if (!(e.getTransportMapping() instanceof ChannelTransport t)) {
                return;
            }
            SimulatedDevice d = t.device;
            int mp = e.getMessageProcessingModel();
            SnmpVersion v = mp == MessageProcessingModel.MPv1 ? SnmpVersion.V1
                    : mp == MessageProcessingModel.MPv2c ? SnmpVersion.V2C : SnmpVersion.V3;
            if (!versions.contains(v)) {
                return;
            }
            if (v != SnmpVersion.V3 && !new String(e.getSecurityName(), java.nio.charset.StandardCharsets.UTF_8)
                    .equals(d.community())) {
                return;
            }
            PDU req = e.getPDU();
            PDU resp = (PDU) req.clone();
            resp.setType(PDU.RESPONSE);
            resp.setErrorStatus(0);
            resp.setErrorIndex(0);
            List<VariableBinding> out = new ArrayList<>();
            int max = e.getMaxSizeResponsePDU();
            switch (req.getType()) {
                case PDU.GET -> {
                    if (req.size() > d.maxGetVarbinds()) {
                        resp.setErrorStatus(SnmpConstants.SNMP_ERROR_TOO_BIG);
                        out.addAll(nullBindings(req));
                        break;
                    }
                    int i = 0;
                    for (VariableBinding vb : req.getVariableBindings()) {
                        i++;
                        SnmpOid oid = Snmp4jValues.fromOid(vb.getOid());
                        SnmpValue value = oid == null ? new SnmpValue.NoSuchObject() : d.get(oid);
                        if (value.isException() && v == SnmpVersion.V1) {
                            resp.setErrorStatus(SnmpConstants.SNMP_ERROR_NO_SUCH_NAME);
                            resp.setErrorIndex(i);
                            out.clear();
                            out.addAll(nullBindings(req));
                            break;
                        }
                        OID respOid = vb.getOid();
                        if (d.behaviour() == SimulatedBehaviour.WRONG_VARBINDS && i == 1) {
                            respOid = new OID("1.3.6.1.2.1.1.1.0");
                        }
                        out.add(new VariableBinding(respOid, Snmp4jValues.toVariable(value)));
                    }
                }
                case PDU.GETNEXT -> {
                    int i = 0;
                    for (VariableBinding vb : req.getVariableBindings()) {
                        i++;
                        VariableBinding n = next(d, vb.getOid(), v);
                        if (n == null) {
                            resp.setErrorStatus(SnmpConstants.SNMP_ERROR_NO_SUCH_NAME);
                            resp.setErrorIndex(i);
                            out.clear();
                            out.addAll(nullBindings(req));
                            break;
                        }
                        out.add(n);
                    }
                }
                case PDU.GETBULK -> {
                    if (v == SnmpVersion.V1) {
                        return;
                    }
                    List<? extends VariableBinding> vbs = req.getVariableBindings();
                    int nonRep = Math.max(0, Math.min(req.getNonRepeaters(), vbs.size()));
                    int reps = Math.max(0, req.getMaxRepetitions());
                    for (int i = 0; i < nonRep; i++) {
                        out.add(nextOrEnd(d, vbs.get(i).getOid(), v));
                    }
                    List<OID> cursor = new ArrayList<>();
                    for (int i = nonRep; i < vbs.size(); i++) {
                        cursor.add(vbs.get(i).getOid());
                    }
                    int size = PDU.getBERLength(out);
                    outer:
                    for (int r = 0; r < reps && !cursor.isEmpty(); r++) {
                        boolean allEnd = true;
                        for (int c = 0; c < cursor.size(); c++) {
                            VariableBinding n = nextOrEnd(d, cursor.get(c), v);
                            size += n.getBERLength();
                            if (size + 64 > max || out.size() >= 10_000) {
                                break outer;
                            }
                            out.add(n);
                            cursor.set(c, n.getOid());
                            if (!(n.getVariable() instanceof Null)) {
                                allEnd = false;
                            }
                        }
                        if (allEnd) {
                            break;
                        }
                    }
                }
                default -> {
                    resp.setErrorStatus(v == SnmpVersion.V1 ? SnmpConstants.SNMP_ERROR_NO_SUCH_NAME
                            : SnmpConstants.SNMP_ERROR_NOT_WRITEABLE);
                    resp.setErrorIndex(1);
                    out.addAll(nullBindings(req));
                }
            }
            resp.setVariableBindings(out);
            if (req.getType() == PDU.GET && resp.getErrorStatus() == 0 && resp.getBERLength() > max) {
                resp.setErrorStatus(SnmpConstants.SNMP_ERROR_TOO_BIG);
                resp.setVariableBindings(nullBindings(req));
            }
            try {
                e.getMessageDispatcher().returnResponsePdu(mp, e.getSecurityModel(), e.getSecurityName(),
                        e.getSecurityLevel(), resp, max, e.getStateReference(), new StatusInformation());
            } catch (MessageException ex) {
                // cannot answer (too big even when empty): drop, as an agent would
            }
        }
    }

    private static List<VariableBinding> nullBindings(PDU req) {
        List<VariableBinding> l = new ArrayList<>();
        for (VariableBinding vb : req.getVariableBindings()) {
            l.add(new VariableBinding(vb.getOid()));
        }
        return l;
    }

    private static VariableBinding next(SimulatedDevice d, OID oid, SnmpVersion v) {
        SnmpOid from = Snmp4jValues.fromOid(oid);
        if (d.behaviour() == SimulatedBehaviour.NON_INCREASING_WALK) {
            return new VariableBinding(oid, new Integer32(1));
        }
        Map.Entry<SnmpOid, SnmpValue> n = from == null ? d.next(SnmpOid.of(0)) : d.next(from);
        while (n != null && v == SnmpVersion.V1 && n.getValue() instanceof SnmpValue.Counter64) {
            n = d.next(n.getKey());
        }
        return n == null ? null : new VariableBinding(Snmp4jValues.toOid(n.getKey()), Snmp4jValues.toVariable(n.getValue()));
    }

    private static VariableBinding nextOrEnd(SimulatedDevice d, OID oid, SnmpVersion v) {
        VariableBinding n = next(d, oid, v);
        return n != null ? n : new VariableBinding(oid, Null.endOfMibView);
    }

    /** Builds and starts a {@link SnmpSimulator}. Not thread-safe. */
    public static final class Builder {
        private InstantSource clock = InstantSource.system();
        private final Set<SnmpVersion> versions = EnumSet.allOf(SnmpVersion.class);
        private final List<SnmpCredentials.Usm> users = new ArrayList<>();
        private final List<SimulatedDevice.Builder> devices = new ArrayList<>();
        private int maxDelayed = 100_000;
        private int threads = 1;

        private Builder() {
        }

        /**
         * Sets how many selector threads answer (devices are spread over them); default 1.
         *
         * @param n 1-64
         * @return this builder
         */
        public Builder threads(int n) {
            if (n < 1 || n > 64) {
                throw new IllegalArgumentException("threads must be 1-64");
            }
            this.threads = n;
            return this;
        }

        /**
         * Sets the clock counters and sysUpTime follow (default: the system clock).
         *
         * @param c the clock
         * @return this builder
         */
        public Builder clock(InstantSource c) {
            this.clock = Objects.requireNonNull(c);
            return this;
        }

        /**
         * Sets the versions answered (default all).
         *
         * @param v the versions
         * @return this builder
         */
        public Builder versions(Set<SnmpVersion> v) {
            versions.clear();
            versions.addAll(v);
            return this;
        }

        /**
         * Adds an SNMPv3 user every device accepts.
         *
         * @param u the user
         * @return this builder
         */
        public Builder user(SnmpCredentials.Usm u) {
            users.add(Objects.requireNonNull(u));
            return this;
        }

        /**
         * Adds a device.
         *
         * @param d the device's builder
         * @return this builder
         */
        public Builder device(SimulatedDevice.Builder d) {
            devices.add(Objects.requireNonNull(d));
            return this;
        }

        /**
         * Sets the most slow answers waiting at once; more are dropped and counted.
         *
         * @param n 1 or more
         * @return this builder
         */
        public Builder maxDelayed(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxDelayed must be positive");
            }
            this.maxDelayed = n;
            return this;
        }

        /**
         * Binds every device's socket and starts answering.
         *
         * @return the running simulator; close it
         * @throws UncheckedIOException when a socket cannot be bound
         */
        public SnmpSimulator start() {
            try {
                return new SnmpSimulator(this);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the SNMP simulator: " + e.getMessage(), e);
            }
        }
    }
}
