package io.github.wardops.ward.snmp.poller;

import io.github.wardops.ward.WardException;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.snmp.poller.internal.TrapDecoder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives SNMP traps and informs: v1 traps, v2c traps and informs, and SNMPv3 (USM, authNoPriv
 * and authPriv) traps and informs, on one UDP socket. Each accepted notification becomes a
 * {@link TrapEvent}, is matched to a device by the caller's {@link TrapSourceResolver} (agent
 * address first, then source address), and is handed to the {@link TrapListener} on a delivery
 * thread through a bounded queue.
 *
 * <p>Every datagram is counted exactly once in {@code ward.snmp.traps{outcome}}: {@code accepted}
 * (queued for the listener), {@code unknown_source}, {@code bad_community}, {@code auth_failure},
 * {@code malformed}, {@code dropped} (the queue was full) or {@code report} (a v3 engine-ID
 * discovery or time synchronisation answered with a USM report). Nothing a sender does makes
 * it throw, block or grow without bound.
 *
 * <p>Two threads: {@code ward-snmp-trap-socket} reads and decodes, {@code ward-snmp-trap-delivery}
 * calls the listener. {@link #close()} is idempotent, releases the port at once and returns
 * within the close timeout. Thread-safe. No community or passphrase is ever logged or printed.
 * Arguments must not be {@code null}; nothing it returns is {@code null}.
 */
public final class SnmpTrapReceiver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SnmpTrapReceiver.class);
    private static final int MAX_DATAGRAM = 65_535;

    /** How each datagram ended; the {@code outcome} tag of {@code ward.snmp.traps}. */
    private enum Outcome {
        ACCEPTED, UNKNOWN_SOURCE, BAD_COMMUNITY, AUTH_FAILURE, MALFORMED, DROPPED, REPORT;

        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private record Delivery(DeviceId device, TrapEvent event) {
    }

    private final SnmpTrapOptions options;
    private final TrapSourceResolver resolver;
    private final TrapListener listener;
    private final Consumer<TrapEvent> unknownListener;
    private final DatagramChannel channel;
    private final InetSocketAddress localAddress;
    private final TrapDecoder decoder;
    private final BlockingQueue<Delivery> queue;
    private final Map<Outcome, Counter> outcomes = new EnumMap<>(Outcome.class);
    private final Counter varbindsDropped;
    private final Counter valuesTruncated;
    private final Counter unknownSuppressed;
    private final Counter listenerErrors;
    private final MeterRegistry registry;
    private final java.util.List<io.micrometer.core.instrument.Meter> gauges = new java.util.ArrayList<>();
    private final Thread socketThread;
    private final Thread deliveryThread;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean running = true;
    // unknown-source rate limit: a fixed one-second window, socket thread only
    private long windowSecond = Long.MIN_VALUE;
    private int windowCount;
    private long lastListenerErrorLog;

    private SnmpTrapReceiver(SnmpTrapOptions options, TrapSourceResolver resolver, TrapListener listener)
            throws IOException {
        this.options = options;
        this.resolver = resolver;
        this.listener = listener;
        this.unknownListener = options.unknownSourceListener();
        MeterRegistry r = options.meterRegistry() == null ? new SimpleMeterRegistry() : options.meterRegistry();
        registry = r;
        for (Outcome o : Outcome.values()) {
            outcomes.put(o, Counter.builder("ward.snmp.traps").tag("outcome", o.tag())
                    .description("SNMP trap receiver datagrams by outcome").register(r));
        }
        varbindsDropped = Counter.builder("ward.snmp.traps.varbinds.dropped")
                .description("Variable bindings beyond maxVarbinds, not kept").register(r);
        valuesTruncated = Counter.builder("ward.snmp.traps.values.truncated")
                .description("Values cut to maxValueBytes").register(r);
        unknownSuppressed = Counter.builder("ward.snmp.traps.unknown.suppressed")
                .description("Unknown-source events beyond the rate limit, counted only").register(r);
        listenerErrors = Counter.builder("ward.snmp.traps.listener.errors")
                .description("Listener calls that threw").register(r);
        queue = new ArrayBlockingQueue<>(options.queueCapacity());
        gauge(Gauge.builder("ward.snmp.traps.queue", queue, BlockingQueue::size)
                .description("Trap events waiting for the listener"));
        decoder = new TrapDecoder(options.communities(), options.users(), options.localEngineId(),
                options.maxEngineIds(), options.maxVarbinds(), options.maxValueBytes(), this::offer);
        gauge(Gauge.builder("ward.snmp.traps.engineids", decoder, TrapDecoder::remoteEngineIds)
                .description("Remote SNMPv3 engines whose clocks are kept (at most maxEngineIds)"));
        gauge(Gauge.builder("ward.snmp.traps.localized.users", decoder, TrapDecoder::localizedUsers)
                .description("SNMPv3 users localized for remote engines (at most maxEngineIds)"));
        InetAddress bind = options.bindAddress();
        channel = DatagramChannel.open(bind instanceof java.net.Inet6Address ? StandardProtocolFamily.INET6
                : StandardProtocolFamily.INET);
        try {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, options.receiveBufferBytes());
            channel.bind(new InetSocketAddress(bind, options.port()));
            localAddress = (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        decoder.bind(channel, localAddress);
        deliveryThread = new Thread(this::deliver, "ward-snmp-trap-delivery");
        deliveryThread.setDaemon(true);
        socketThread = new Thread(this::receive, "ward-snmp-trap-socket");
        socketThread.setDaemon(true);
        deliveryThread.start();
        socketThread.start();
    }

    /** Registers a gauge of this receiver; a registry that has one by that name already keeps the first (and its owner removes it). */
    private void gauge(Gauge.Builder<?> b) {
        int before = registry.getMeters().size();
        Gauge g = b.register(registry);
        if (registry.getMeters().size() > before) {
            gauges.add(g);
        }
    }

    /**
     * Binds the socket and starts receiving.
     *
     * @param options the options
     * @param resolver tells the device of an agent or source address
     * @param listener receives the events of known devices
     * @return the running receiver; close it
     * @throws WardException when the socket cannot be bound; the message names the address and
     *         port, and for a port below 1024 the privilege it needs
     */
    public static SnmpTrapReceiver start(SnmpTrapOptions options, TrapSourceResolver resolver, TrapListener listener) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(resolver, "resolver");
        Objects.requireNonNull(listener, "listener");
        try {
            return new SnmpTrapReceiver(options, resolver, listener);
        } catch (IOException | RuntimeException e) {
            String hint = options.port() > 0 && options.port() < 1024
                    ? " (a port below 1024 needs CAP_NET_BIND_SERVICE, or a lower net.ipv4.ip_unprivileged_port_start)"
                    : "";
            throw new WardException("cannot listen for SNMP traps on udp " + options.bindAddress().getHostAddress()
                    + ":" + options.port() + hint + ": " + e.getMessage(), e);
        }
    }

    /**
     * Returns the bound address and port (the actual port when the options asked for 0).
     *
     * @return the local address
     */
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /**
     * Returns the receiver's SNMPv3 engine ID, which senders of v3 informs discover.
     *
     * @return a copy
     */
    public byte[] localEngineId() {
        return decoder.localEngineId();
    }

    /**
     * Returns how many datagrams ended with an outcome so far (the counter of
     * {@code ward.snmp.traps{outcome}}, which other receivers on the same registry share).
     *
     * @param outcome accepted, unknown_source, bad_community, auth_failure, malformed, dropped or report
     * @return the count
     * @throws IllegalArgumentException for another outcome
     */
    public long count(String outcome) {
        for (Outcome o : Outcome.values()) {
            if (o.tag().equals(outcome)) {
                return (long) outcomes.get(o).count();
            }
        }
        throw new IllegalArgumentException("no trap outcome '" + outcome + "'");
    }

    /**
     * Returns how many unknown-source events were only counted because of the rate limit.
     *
     * @return the count
     */
    public long unknownSourcesSuppressed() {
        return (long) unknownSuppressed.count();
    }

    /**
     * Returns how many listener calls threw.
     *
     * @return the count
     */
    public long listenerErrors() {
        return (long) listenerErrors.count();
    }

    private void receive() {
        ByteBuffer buf = ByteBuffer.allocate(MAX_DATAGRAM);
        while (running) {
            SocketAddress from;
            buf.clear();
            try {
                from = channel.receive(buf);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!running) {
                    return;
                }
                LOG.warn("SNMP trap socket {}: {}", localAddress, e.toString());
                continue;
            }
            if (!(from instanceof InetSocketAddress peer)) {
                continue;
            }
            buf.flip();
            byte[] message = new byte[buf.remaining()];
            buf.get(message);
            try {
                TrapDecoder.Outcome o = decoder.decode(peer, message, options.clock().instant());
                switch (o) {
                    case HANDLED -> {
                        // offer() counted it
                    }
                    case BAD_COMMUNITY -> outcomes.get(Outcome.BAD_COMMUNITY).increment();
                    case AUTH_FAILURE -> outcomes.get(Outcome.AUTH_FAILURE).increment();
                    case REPORT -> outcomes.get(Outcome.REPORT).increment();
                    case MALFORMED -> outcomes.get(Outcome.MALFORMED).increment();
                }
            } catch (RuntimeException e) {
                // the decoder catches everything it knows; anything else is still one bad datagram
                outcomes.get(Outcome.MALFORMED).increment();
            }
        }
    }

    /** Called by the decoder on the socket thread with each accepted notification. */
    private boolean offer(TrapEvent event) {
        if (event.varbindsDropped() > 0) {
            varbindsDropped.increment(event.varbindsDropped());
        }
        if (event.valuesTruncated() > 0) {
            valuesTruncated.increment(event.valuesTruncated());
        }
        Optional<DeviceId> device = event.agentAddress() == null ? Optional.empty() : resolve(event.agentAddress());
        if (device.isEmpty()) {
            device = resolve(event.source().getAddress());
        }
        if (device.isPresent()) {
            // the socket thread is the queue's only producer: room now is room for this offer, and
            // counting first means the count already includes an event when the listener sees it
            if (queue.remainingCapacity() > 0) {
                outcomes.get(Outcome.ACCEPTED).increment();
                queue.add(new Delivery(device.get(), event));
                return true;
            }
            outcomes.get(Outcome.DROPPED).increment();
            return false;
        }
        outcomes.get(Outcome.UNKNOWN_SOURCE).increment();
        long second = System.nanoTime() / 1_000_000_000L;
        if (second != windowSecond) {
            windowSecond = second;
            windowCount = 0;
        }
        if (windowCount < options.unknownSourcesPerSecond() && queue.offer(new Delivery(null, event))) {
            windowCount++;
        } else {
            unknownSuppressed.increment();
        }
        // an inform from an unknown source was received and counted: acknowledge it, so its sender stops
        return true;
    }

    private Optional<DeviceId> resolve(InetAddress address) {
        try {
            Optional<DeviceId> d = resolver.resolve(address);
            return d == null ? Optional.empty() : d;
        } catch (RuntimeException e) {
            LOG.warn("SNMP trap source resolver failed for {}: {}", address.getHostAddress(), e.toString());
            return Optional.empty();
        }
    }

    private void deliver() {
        while (running || !queue.isEmpty()) {
            Delivery d;
            try {
                d = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (d == null) {
                continue;
            }
            if (!running) {
                return;
            }
            try {
                if (d.device() != null) {
                    listener.onTrap(d.device(), d.event());
                } else if (unknownListener != null) {
                    unknownListener.accept(d.event());
                } else {
                    TrapEvent e = d.event();
                    LOG.info("SNMP trap from an unknown source {} (agent {}): {} {}", e.source().getAddress().getHostAddress(),
                            e.agentAddress() == null ? "-" : e.agentAddress().getHostAddress(), e.version(),
                            e.wellKnownName() != null ? e.wellKnownName() : e.trapOid().toString());
                }
            } catch (RuntimeException | LinkageError | AssertionError e) {
                listenerErrors.increment();
                long now = System.nanoTime();
                if (lastListenerErrorLog == 0 || now - lastListenerErrorLog > 1_000_000_000L) {
                    lastListenerErrorLog = now;
                    LOG.warn("SNMP trap listener threw (counted in ward.snmp.traps.listener.errors; logged at most once a second)", e);
                }
            }
        }
    }

    /**
     * Stops receiving: closes the socket (its port is free when this returns), discards events
     * not yet delivered, and waits at most the close timeout for the listener's current call.
     * Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        running = false;
        try {
            channel.close();
        } catch (IOException e) {
            // closing a UDP socket: nothing useful to do
        }
        long deadline = System.nanoTime() + options.closeTimeout().toNanos();
        try {
            socketThread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            queue.clear();
            if (Thread.currentThread() != deliveryThread) {
                // (a listener may close its own receiver: it then returns to a loop that ends)
                deliveryThread.interrupt();
                deliveryThread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            // the gauges read this receiver's queue and tables: a shared registry must not keep them
            gauges.forEach(registry::remove);
        }
    }

    /**
     * The receiver's address and engine ID; never a secret.
     *
     * @return a description
     */
    @Override
    public String toString() {
        return "SnmpTrapReceiver[udp " + localAddress.getAddress().getHostAddress() + ":" + localAddress.getPort()
                + ", engineId=" + HexFormat.of().formatHex(decoder.localEngineId()) + ", " + options + "]";
    }
}
