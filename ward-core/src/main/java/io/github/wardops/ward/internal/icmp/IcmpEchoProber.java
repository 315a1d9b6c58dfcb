package io.github.wardops.ward.internal.icmp;

import io.github.wardops.ward.internal.support.Guard;
import static io.github.wardops.ward.internal.nativeio.Libc.*;

import io.github.wardops.ward.WardException;
import io.github.wardops.ward.internal.nativeio.Libc;
import io.github.wardops.ward.probe.DownReason;
import io.github.wardops.ward.probe.IcmpOptions;
import io.github.wardops.ward.probe.IcmpProber;
import io.github.wardops.ward.probe.IcmpSettings;
import io.github.wardops.ward.probe.IcmpSocketMode;
import io.github.wardops.ward.probe.PingStats;
import io.github.wardops.ward.probe.ProbeRequest;
import io.github.wardops.ward.probe.ProbeResult;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ICMP echo over one socket per address family, through the FFM API.
 *
 * <p>Probes run on virtual threads and send their echoes with {@code sendto}, paced by a shared
 * token schedule. One platform thread, the receiver, waits in {@code poll}, reads replies and
 * ICMP errors with {@code recvmsg}, matches each to its echo by the random 64-bit cookie in the
 * payload (and the sequence number and source address), completes the echo's future, and
 * sweeps echoes whose deadline passed. The cookie is the key of the outstanding-echo map, so the
 * 16-bit sequence space may wrap any number of times while echoes are outstanding. On datagram
 * sockets the kernel rewrites the echo id, which is why the id is never used alone.
 */
public final class IcmpEchoProber implements IcmpProber, MeterBinder {
    private static final Logger LOG = LoggerFactory.getLogger(IcmpEchoProber.class);
    private static final int BUF = 4096;
    private static final int CONTROL = 512;
    private static final int MAX_POLL_MS = 50;
    private static final int MAX_READS_PER_WAKE = 8192;
    private static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

    enum Status {
        REPLY, ICMP_ERROR, TIMEOUT, SEND_ERROR,
        /** ward could not tell: its receiver stopped. Never a device failure. */
        IMPAIRED
    }

    record Outcome(Status status, long rttNanos, int icmpType, int icmpCode, int errno) {
    }

    static final class Echo {
        final long cookie;
        final int seq;
        final byte[] target;
        final boolean v6;
        final long deadline;
        long sentWall;
        long sentNano;
        final CompletableFuture<Outcome> result = new CompletableFuture<>();

        Echo(long cookie, int seq, byte[] target, boolean v6, long deadline) {
            this.cookie = cookie;
            this.seq = seq;
            this.target = target;
            this.v6 = v6;
            this.deadline = deadline;
        }
    }

    private final IcmpOptions options;
    private final IcmpSocket v4;
    private final IcmpSocket v6;
    private final String v6Problem;
    private final int rawId = ThreadLocalRandom.current().nextInt(1, 0x10000);
    private final ConcurrentHashMap<Long, Echo> pending = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Echo> fresh = new ConcurrentLinkedQueue<>();
    private final AtomicInteger outstanding = new AtomicInteger();
    private final AtomicInteger seq = new AtomicInteger();
    private final AtomicLong nextSend = new AtomicLong(System.nanoTime());
    private final long sendPeriodNanos;
    private final Thread receiver;
    private volatile boolean running = true;
    private volatile boolean receiverAlive = true;
    /** Why the receiver stopped, for the UNKNOWN results that follow; {@code null} while it runs. */
    private volatile String receiverStopped;
    /** A test seam: the receiver sleeps this long once, as if a GC pause or a busy CPU held it. */
    private volatile long stallOnceNanos;
    /** A test seam: the receiver throws this at its next turn, as if it ran out of memory. */
    private volatile Throwable failOnce;

    final LongAdder sent = new LongAdder();
    final LongAdder replies = new LongAdder();
    final LongAdder timeouts = new LongAdder();
    final LongAdder icmpErrors = new LongAdder();
    final LongAdder sendErrors = new LongAdder();
    final LongAdder overLimit = new LongAdder();
    final LongAdder ignoredForeign = new LongAdder();
    final LongAdder ignoredMalformed = new LongAdder();
    final LongAdder ignoredLate = new LongAdder();
    final LongAdder kernelTimestamps = new LongAdder();

    private IcmpEchoProber(IcmpOptions options, IcmpSocket v4, IcmpSocket v6, String v6Problem) {
        this.options = options;
        this.v4 = v4;
        this.v6 = v6;
        this.v6Problem = v6Problem;
        this.sendPeriodNanos = Math.max(1, 1_000_000_000L / options.packetsPerSecond());
        this.receiver = Thread.ofPlatform().name("ward-icmp-receiver").daemon(true).unstarted(this::receiveLoop);
    }

    /**
     * Opens the sockets and starts the receiver.
     *
     * @param options the options
     * @return the prober
     * @throws WardException when no IPv4 ICMP socket can be opened, saying why and how to fix it
     */
    public static IcmpEchoProber open(IcmpOptions options) {
        if (!Libc.supported()) {
            throw new WardException("ward's ICMP prober needs Linux on x86_64 or aarch64; this is "
                    + System.getProperty("os.name") + " on " + System.getProperty("os.arch"));
        }
        List<IcmpSocketMode> ladder = switch (options.socketMode()) {
            case AUTO -> List.of(IcmpSocketMode.DATAGRAM, IcmpSocketMode.RAW);
            case DATAGRAM -> List.of(IcmpSocketMode.DATAGRAM);
            case RAW -> List.of(IcmpSocketMode.RAW);
        };
        Object[] out = new Object[5];
        Runnable openAll = () -> {
            List<IcmpSocket.Attempt> a4 = new ArrayList<>();
            List<IcmpSocket.Attempt> a6 = new ArrayList<>();
            out[0] = IcmpSocket.open(false, ladder, options.receiveBufferBytes(), a4);
            out[1] = IcmpSocket.open(true, ladder, options.receiveBufferBytes(), a6);
            out[2] = a4;
            out[3] = a6;
            out[4] = readPingGroupRange();
        };
        runInNamespace(options.networkNamespace().orElse(null), openAll);
        IcmpSocket s4 = (IcmpSocket) out[0];
        IcmpSocket s6 = (IcmpSocket) out[1];
        @SuppressWarnings("unchecked")
        List<IcmpSocket.Attempt> a4 = (List<IcmpSocket.Attempt>) out[2];
        @SuppressWarnings("unchecked")
        List<IcmpSocket.Attempt> a6 = (List<IcmpSocket.Attempt>) out[3];
        String range = (String) out[4];
        if (s4 == null) {
            if (s6 != null) {
                s6.close();
            }
            throw new WardException(noSocketMessage(a4, range, options));
        }
        String v6Problem = null;
        if (s6 == null) {
            v6Problem = "no ICMPv6 socket could be opened (" + a6 + ")";
            LOG.warn("ICMP for IPv6 is unavailable: {}; IPv6 devices will be UNKNOWN", v6Problem);
        }
        IcmpEchoProber p = new IcmpEchoProber(options, s4, s6, v6Problem);
        p.receiver.start();
        LOG.info("ICMP prober ready: IPv4 {} socket, IPv6 {}, pacing {} echoes/s{}",
                s4.mode.name().toLowerCase(Locale.ROOT),
                s6 == null ? "unavailable" : s6.mode.name().toLowerCase(Locale.ROOT) + " socket",
                options.packetsPerSecond(),
                options.networkNamespace().map(n -> ", network namespace " + n).orElse(""));
        return p;
    }

    static String noSocketMessage(List<IcmpSocket.Attempt> attempts, String range, IcmpOptions options) {
        String nl = System.lineSeparator();
        StringBuilder sb = new StringBuilder("ward cannot open an ICMP socket (uid ")
                .append(Libc.getuid()).append(", gid ").append(Libc.getgid())
                .append(", net.ipv4.ping_group_range = \"").append(range).append("\", socket mode ")
                .append(options.socketMode()).append("):");
        for (IcmpSocket.Attempt a : attempts) {
            sb.append(nl).append("  - ").append(a);
        }
        sb.append(nl).append("Fix one of:")
                .append(nl).append("  - allow unprivileged ICMP datagram sockets for the process's group: ")
                .append("sysctl -w net.ipv4.ping_group_range=\"0 2147483647\" (persist it in /etc/sysctl.d/)")
                .append(nl).append("  - give the process CAP_NET_RAW for raw sockets: AmbientCapabilities=CAP_NET_RAW in its systemd unit, ")
                .append("or setcap cap_net_raw+ep on the java binary");
        return sb.toString();
    }

    private static String readPingGroupRange() {
        // sysctl files must be read in one read() from offset 0: a second read returns EOF.
        try (var in = Files.newInputStream(Path.of("/proc/sys/net/ipv4/ping_group_range"))) {
            byte[] buf = new byte[256];
            int n = in.read(buf);
            return n <= 0 ? "" : new String(buf, 0, n, StandardCharsets.US_ASCII).strip().replaceAll("\\s+", " ");
        } catch (IOException | RuntimeException e) {
            return "unreadable";
        }
    }

    /** Runs an action on a fresh platform thread that has joined a network namespace (or not). */
    private static void runInNamespace(Path ns, Runnable action) {
        if (ns == null) {
            action.run();
            return;
        }
        String[] problem = new String[1];
        Thread t = Thread.ofPlatform().name("ward-netns-open").unstarted(() -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment err = errnoSegment(arena);
                int self = Libc.open(err, arena.allocateFrom("/proc/thread-self/ns/net"), O_RDONLY | O_CLOEXEC);
                int target = Libc.open(err, arena.allocateFrom(ns.toString()), O_RDONLY | O_CLOEXEC);
                if (self < 0 || target < 0) {
                    problem[0] = "cannot open network namespace " + ns + ": " + errnoName(errno(err));
                    return;
                }
                try {
                    if (setns(err, target, CLONE_NEWNET) != 0) {
                        problem[0] = "cannot join network namespace " + ns + ": " + errnoName(errno(err))
                                + " (joining a namespace needs CAP_SYS_ADMIN)";
                        return;
                    }
                    try {
                        action.run();
                    } finally {
                        // The thread ends right after; returning only keeps it tidy.
                        setns(err, self, CLONE_NEWNET);
                    }
                } finally {
                    Libc.close(err, self);
                    Libc.close(err, target);
                }
            }
        });
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WardException("interrupted while opening ICMP sockets");
        }
        if (problem[0] != null) {
            throw new WardException(problem[0]);
        }
    }

    // ------------------------------------------------------------------ API

    @Override
    public String type() {
        return IcmpSettings.TYPE;
    }

    @Override
    public IcmpSocketMode mode() {
        return v4.mode;
    }

    @Override
    public int outstandingEchoes() {
        return outstanding.get();
    }

    @Override
    public ProbeResult probe(ProbeRequest request) throws InterruptedException {
        IcmpSettings s = request.settings(IcmpSettings.class);
        InetAddress address = request.device().address();
        boolean isV6 = address instanceof Inet6Address;
        var id = request.device().id();
        String check = request.check().name();
        Instant at = Instant.now();
        IcmpSocket sock = isV6 ? v6 : v4;
        if (!running) {
            return new ProbeResult.Unknown(id, check, type(), at, "the ICMP prober is closed");
        }
        if (sock == null) {
            return new ProbeResult.Unknown(id, check, type(), at, v6Problem);
        }
        if (!receiverAlive) {
            return new ProbeResult.Unknown(id, check, type(), at, "ward's ICMP receiver stopped (" + receiverStopped
                    + "): the device was not judged");
        }
        byte[] target = address.getAddress();
        List<Echo> echoes = new ArrayList<>(s.count());
        long start = System.nanoTime();
        try {
            for (int i = 0; i < s.count(); i++) {
                if (i > 0) {
                    long wait = start + s.spacing().toNanos() * i - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(Duration.ofNanos(wait));
                    }
                }
                pace();
                echoes.add(send(sock, target, s.payloadBytes(), s.replyTimeout()));
            }
            long[] rtts = new long[echoes.size()];
            int received = 0;
            Outcome firstError = null;
            Outcome firstSendError = null;
            int sendFailures = 0;
            int impaired = 0;
            for (Echo e : echoes) {
                Outcome o = await(e);
                switch (o.status()) {
                    case REPLY -> rtts[received++] = o.rttNanos();
                    case ICMP_ERROR -> firstError = firstError == null ? o : firstError;
                    case SEND_ERROR -> {
                        sendFailures++;
                        firstSendError = firstSendError == null ? o : firstSendError;
                    }
                    case TIMEOUT -> {
                    }
                    case IMPAIRED -> impaired++;
                }
            }
            int sentCount = echoes.size() - sendFailures;
            PingStats stats = PingStats.of(echoes.size(), rtts, received);
            if (received > 0) {
                return new ProbeResult.Up(id, check, type(), at, stats.rttAvg(), stats);
            }
            if (impaired > 0) {
                // ward's receiver stopped while these echoes were out: a reply may have come
                // unread, so this says nothing about the device
                return new ProbeResult.Unknown(id, check, type(), at, "ward's ICMP receiver stopped (" + receiverStopped
                        + "): the device was not judged");
            }
            if (firstError != null) {
                return down(request, at, stats, firstError.icmpType(), firstError.icmpCode(), isV6);
            }
            if (firstSendError != null && (firstSendError.errno() == EHOSTUNREACH || firstSendError.errno() == ENETUNREACH)) {
                DownReason r = firstSendError.errno() == EHOSTUNREACH ? DownReason.HOST_UNREACHABLE : DownReason.NETWORK_UNREACHABLE;
                return new ProbeResult.Down(id, check, type(), at, r, "sendto: " + errnoName(firstSendError.errno()), stats);
            }
            if (sentCount == 0) {
                String why = firstSendError == null ? "nothing sent" : firstSendError.errno() < 0
                        ? "over the limit of " + options.maxOutstandingEchoes() + " outstanding echoes"
                        : "sendto failed with " + errnoName(firstSendError.errno());
                return new ProbeResult.Unknown(id, check, type(), at, "no echo could be sent: " + why);
            }
            return new ProbeResult.Down(id, check, type(), at, DownReason.TIMEOUT,
                    "no reply to " + sentCount + " echoes within " + s.replyTimeout().toMillis() + " ms", stats);
        } finally {
            for (Echo e : echoes) {
                if (!e.result.isDone()) {
                    finish(e, new Outcome(Status.TIMEOUT, 0, 0, 0, 0));
                }
            }
        }
    }

    private ProbeResult down(ProbeRequest request, Instant at, PingStats stats, int type, int code, boolean isV6) {
        DownReason reason;
        String what;
        if (isV6) {
            if (type == IcmpPacket.TIME_EXCEEDED_V6) {
                reason = DownReason.OTHER;
                what = "hop limit exceeded in transit";
            } else {
                switch (code) {
                    case 0 -> { reason = DownReason.NETWORK_UNREACHABLE; what = "no route to destination"; }
                    case 1 -> { reason = DownReason.OTHER; what = "communication administratively prohibited"; }
                    case 3 -> { reason = DownReason.HOST_UNREACHABLE; what = "address unreachable"; }
                    case 4 -> { reason = DownReason.REFUSED; what = "port unreachable"; }
                    default -> { reason = DownReason.OTHER; what = "destination unreachable, code " + code; }
                }
            }
        } else if (type == IcmpPacket.TIME_EXCEEDED_V4) {
            reason = DownReason.OTHER;
            what = "TTL exceeded in transit";
        } else {
            switch (code) {
                case 0, 6 -> { reason = DownReason.NETWORK_UNREACHABLE; what = "network unreachable"; }
                case 1, 7 -> { reason = DownReason.HOST_UNREACHABLE; what = "host unreachable"; }
                case 3 -> { reason = DownReason.REFUSED; what = "port unreachable"; }
                case 9, 10, 13 -> { reason = DownReason.OTHER; what = "communication administratively prohibited"; }
                default -> { reason = DownReason.OTHER; what = "destination unreachable, code " + code; }
            }
        }
        return new ProbeResult.Down(request.device().id(), request.check().name(), type(), at, reason,
                what + " (ICMP type " + type + " code " + code + ")", stats);
    }

    private Outcome await(Echo e) throws InterruptedException {
        try {
            if (receiverAlive) {
                // Untimed: the receiver settles every echo by its deadline (reply, error or sweep),
                // and settles them all if it ever stops. A timed wait would cost a timer task per
                // echo on the virtual-thread scheduler.
                return e.result.get();
            }
            long wait = e.deadline + GRACE_NANOS - System.nanoTime();
            return e.result.get(Math.max(1, wait), TimeUnit.NANOSECONDS);
        } catch (TimeoutException te) {
            // only reached when the receiver is not running: nobody read the socket
            finish(e, new Outcome(Status.IMPAIRED, 0, 0, 0, 0));
            return e.result.getNow(new Outcome(Status.IMPAIRED, 0, 0, 0, 0));
        } catch (ExecutionException ee) {
            return new Outcome(Status.SEND_ERROR, 0, 0, 0, EINVAL);
        }
    }

    private void pace() throws InterruptedException {
        long now = System.nanoTime();
        long slot;
        while (true) {
            long cur = nextSend.get();
            slot = Math.max(cur, now);
            if (nextSend.compareAndSet(cur, slot + sendPeriodNanos)) {
                break;
            }
        }
        long wait = slot - now;
        if (wait > 50_000) {
            Thread.sleep(Duration.ofNanos(wait));
        }
    }

    private Echo send(IcmpSocket sock, byte[] target, int payload, Duration timeout) {
        int sq = seq.getAndIncrement() & 0xffff;
        long deadline = System.nanoTime() + timeout.toNanos();
        if (outstanding.incrementAndGet() > options.maxOutstandingEchoes()) {
            outstanding.decrementAndGet();
            overLimit.increment();
            Echo e = new Echo(0, sq, target, sock.v6, deadline);
            e.result.complete(new Outcome(Status.SEND_ERROR, 0, 0, 0, -1));
            return e;
        }
        Echo e;
        while (true) {
            long cookie = ThreadLocalRandom.current().nextLong();
            e = new Echo(cookie, sq, target, sock.v6, deadline);
            if (pending.putIfAbsent(cookie, e) == null) {
                break;
            }
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = errnoSegment(arena);
            // One allocation for the sockaddr (first 32 bytes) and the packet.
            MemorySegment block = arena.allocate(32 + 8 + payload, 8);
            MemorySegment sa = sockaddr(block.asSlice(0, sock.v6 ? 28 : 16), target, sock.v6);
            MemorySegment buf = block.asSlice(32, 8 + payload);
            int len = IcmpPacket.writeEcho(buf, sock.v6, rawId, sq, e.cookie, payload, sock.mode == IcmpSocketMode.RAW);
            int attempts = 0;
            while (true) {
                Instant now = Instant.now();
                e.sentWall = now.getEpochSecond() * 1_000_000_000L + now.getNano();
                e.sentNano = System.nanoTime();
                long n = sendto(err, sock.fd, buf, len, 0, sa, (int) sa.byteSize());
                if (n >= 0) {
                    sent.increment();
                    fresh.add(e);
                    return e;
                }
                int errno = errno(err);
                // On a datagram socket an ICMP error for an earlier echo (to another host) sets the
                // socket's pending error, which the next sendto returns and clears: retry, so it is
                // not taken for this destination's error.
                boolean stale = sock.mode == IcmpSocketMode.DATAGRAM
                        && (errno == EHOSTUNREACH || errno == ENETUNREACH || errno == ECONNREFUSED || errno == EPROTO);
                if ((errno == EAGAIN || errno == ENOBUFS || errno == EINTR || stale) && ++attempts < 5) {
                    if (stale) {
                        continue;
                    }
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        finish(e, new Outcome(Status.SEND_ERROR, 0, 0, 0, EINTR));
                        return e;
                    }
                    continue;
                }
                sendErrors.increment();
                finish(e, new Outcome(Status.SEND_ERROR, 0, 0, 0, errno));
                return e;
            }
        }
    }

    private static MemorySegment sockaddr(MemorySegment sa, byte[] addr, boolean v6) {
        if (v6) {
            sa.set(ValueLayout.JAVA_SHORT, 0, (short) AF_INET6);
            MemorySegment.copy(addr, 0, sa, ValueLayout.JAVA_BYTE, 8, 16);
            return sa;
        }
        sa.set(ValueLayout.JAVA_SHORT, 0, (short) AF_INET);
        MemorySegment.copy(addr, 0, sa, ValueLayout.JAVA_BYTE, 4, 4);
        return sa;
    }

    /** Settles an echo once: the first outcome wins; the map entry and the count go with it. */
    private boolean finish(Echo e, Outcome o) {
        if (e.cookie != 0 && pending.remove(e.cookie, e)) {
            outstanding.decrementAndGet();
            if (o.status() == Status.TIMEOUT) {
                timeouts.increment();
            }
            return e.result.complete(o);
        }
        return e.result.complete(o);
    }

    // ------------------------------------------------------------------ receiver

    private void receiveLoop() {
        PriorityQueue<Echo> deadlines = new PriorityQueue<>((a, b) -> Long.compare(a.deadline, b.deadline));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = errnoSegment(arena);
            MemorySegment data = arena.allocate(BUF, 8);
            MemorySegment name = arena.allocate(32, 8);
            MemorySegment control = arena.allocate(CONTROL, 8);
            MemorySegment iov = arena.allocate(IOVEC_SIZE, 8);
            MemorySegment msg = arena.allocate(MSGHDR_SIZE, 8);
            iov.set(ValueLayout.ADDRESS, 0, data);
            iov.set(ValueLayout.JAVA_LONG, 8, BUF);
            IcmpSocket[] socks = v6 == null ? new IcmpSocket[] {v4} : new IcmpSocket[] {v4, v6};
            MemorySegment fds = arena.allocate(8L * socks.length, 8);
            while (running) {
                Throwable fail = failOnce;
                if (fail != null) {
                    failOnce = null;
                    if (fail instanceof Error injected) {
                        throw injected;
                    }
                    throw (RuntimeException) fail;
                }
                long stall = stallOnceNanos;
                if (stall > 0) {
                    stallOnceNanos = 0;
                    Thread.sleep(Duration.ofNanos(stall));
                }
                Echo f;
                while ((f = fresh.poll()) != null) {
                    if (!f.result.isDone()) {
                        deadlines.add(f);
                    }
                }
                Echo head;
                while ((head = deadlines.peek()) != null && head.result.isDone()) {
                    deadlines.poll();
                }
                int timeout = MAX_POLL_MS;
                if (head != null) {
                    long left = head.deadline - System.nanoTime();
                    timeout = (int) Math.max(0, Math.min(MAX_POLL_MS, TimeUnit.NANOSECONDS.toMillis(left) + 1));
                }
                for (int i = 0; i < socks.length; i++) {
                    fds.set(ValueLayout.JAVA_INT, 8L * i, socks[i].fd);
                    fds.set(ValueLayout.JAVA_SHORT, 8L * i + 4, POLLIN);
                    fds.set(ValueLayout.JAVA_SHORT, 8L * i + 6, (short) 0);
                }
                int n = poll(err, fds, socks.length, timeout);
                // Every reply that reached a socket before this instant is read below, before any
                // echo is declared lost: a receiver that was late (a GC pause, a busy CPU) must
                // not turn replies waiting in the socket into timeouts.
                long cutoff = System.nanoTime();
                boolean emptied = true;
                if (n > 0) {
                    for (int i = 0; i < socks.length; i++) {
                        short revents = fds.get(ValueLayout.JAVA_SHORT, 8L * i + 6);
                        if ((revents & POLLERR) != 0) {
                            emptied &= drain(socks[i], true, err, data, name, control, iov, msg);
                        }
                        if ((revents & POLLIN) != 0) {
                            emptied &= drain(socks[i], false, err, data, name, control, iov, msg);
                        }
                    }
                }
                if (!emptied) {
                    continue; // more is waiting: read it before judging any deadline
                }
                while ((head = deadlines.peek()) != null && (head.result.isDone() || head.deadline - cutoff <= 0)) {
                    deadlines.poll();
                    if (!head.result.isDone()) {
                        finish(head, new Outcome(Status.TIMEOUT, 0, 0, 0, 0));
                    }
                }
            }
        } catch (Throwable t) {
            receiverStopped = t.getClass().getSimpleName();
            receiverAlive = false;
            LOG.error("the ICMP receiver stopped on an unexpected error; ICMP probes are UNKNOWN from now on, never DOWN",
                    t);
            if (t instanceof Error) {
                Guard.fatal("the ICMP receiver", t);
            }
        } finally {
            if (receiverStopped == null) {
                receiverStopped = "closed";
            }
            receiverAlive = false;
            for (Echo e : pending.values()) {
                finish(e, new Outcome(Status.IMPAIRED, 0, 0, 0, 0));
            }
        }
    }

    /** Reads what is queued on a socket; returns whether it was read to the end (EAGAIN). */
    private boolean drain(IcmpSocket sock, boolean errQueue, MemorySegment err, MemorySegment data, MemorySegment name,
                          MemorySegment control, MemorySegment iov, MemorySegment msg) {
        for (int reads = 0; reads < MAX_READS_PER_WAKE; reads++) {
            msg.set(ValueLayout.ADDRESS, MSG_NAME, name);
            msg.set(ValueLayout.JAVA_INT, MSG_NAMELEN, (int) name.byteSize());
            msg.set(ValueLayout.ADDRESS, MSG_IOV, iov);
            msg.set(ValueLayout.JAVA_LONG, MSG_IOVLEN, 1);
            msg.set(ValueLayout.ADDRESS, MSG_CONTROL, control);
            msg.set(ValueLayout.JAVA_LONG, MSG_CONTROLLEN, CONTROL);
            msg.set(ValueLayout.JAVA_INT, MSG_FLAGS, 0);
            long n = recvmsg(err, sock.fd, msg, MSG_DONTWAIT | (errQueue ? MSG_ERRQUEUE : 0));
            if (n < 0) {
                int e = errno(err);
                if (e == EINTR) {
                    continue;
                }
                return true; // EAGAIN: drained; anything else: try again on the next wake
            }
            long rxWall = -1;
            int eeOrigin = -1;
            int eeType = 0;
            int eeCode = 0;
            int eeErrno = 0;
            long clen = Math.min(msg.get(ValueLayout.JAVA_LONG, MSG_CONTROLLEN), CONTROL);
            long off = 0;
            while (off + CMSG_HDR <= clen) {
                long len = control.get(ValueLayout.JAVA_LONG, off);
                if (len < CMSG_HDR || off + len > clen) {
                    break;
                }
                int level = control.get(ValueLayout.JAVA_INT, off + 8);
                int type = control.get(ValueLayout.JAVA_INT, off + 12);
                if (level == SOL_SOCKET && type == SO_TIMESTAMPNS && len >= CMSG_HDR + 16) {
                    rxWall = control.get(ValueLayout.JAVA_LONG, off + 16) * 1_000_000_000L
                            + control.get(ValueLayout.JAVA_LONG, off + 24);
                } else if (((level == SOL_IP && type == IP_RECVERR) || (level == SOL_IPV6 && type == IPV6_RECVERR))
                        && len >= CMSG_HDR + 16) {
                    eeErrno = control.get(ValueLayout.JAVA_INT, off + 16);
                    eeOrigin = control.get(ValueLayout.JAVA_BYTE, off + 20) & 0xff;
                    eeType = control.get(ValueLayout.JAVA_BYTE, off + 21) & 0xff;
                    eeCode = control.get(ValueLayout.JAVA_BYTE, off + 22) & 0xff;
                }
                off += (len + 7) & ~7L;
            }
            int len = (int) Math.min(n, BUF);
            if (errQueue) {
                onError(sock, data, len, name, eeOrigin, eeType, eeCode, eeErrno);
            } else {
                onPacket(sock, data, len, name, rxWall);
            }
        }
        return false;
    }

    private void onPacket(IcmpSocket sock, MemorySegment data, int len, MemorySegment name, long rxWall) {
        IcmpPacket.Parsed p = IcmpPacket.parse(data, len, sock.v6, sock.ipHeader());
        if (p.kind() == IcmpPacket.Kind.IGNORE) {
            ignoredMalformed.increment();
            return;
        }
        if (sock.mode == IcmpSocketMode.RAW && p.id() != rawId) {
            ignoredForeign.increment();
            return;
        }
        Echo e = pending.get(p.cookie());
        if (e == null) {
            ignoredLate.increment();
            return;
        }
        if (p.seq() != e.seq) {
            ignoredForeign.increment();
            return;
        }
        if (p.kind() == IcmpPacket.Kind.REPLY) {
            if (!sourceMatches(name, e)) {
                ignoredForeign.increment();
                return;
            }
            long rtt;
            if (rxWall > 0 && rxWall - e.sentWall >= 0) {
                rtt = rxWall - e.sentWall;
                kernelTimestamps.increment();
            } else {
                rtt = System.nanoTime() - e.sentNano;
            }
            if (finish(e, new Outcome(Status.REPLY, rtt, 0, 0, 0))) {
                replies.increment();
            }
        } else if (finish(e, new Outcome(Status.ICMP_ERROR, 0, p.errType(), p.errCode(), 0))) {
            icmpErrors.increment();
        }
    }

    private void onError(IcmpSocket sock, MemorySegment data, int len, MemorySegment name, int origin, int type, int code, int errno) {
        IcmpPacket.Parsed p = IcmpPacket.parseEchoRequest(data, 0, len, sock.v6);
        if (p == null) {
            ignoredMalformed.increment();
            return;
        }
        Echo e = pending.get(p.cookie());
        if (e == null || e.seq != p.seq()) {
            ignoredLate.increment();
            return;
        }
        Outcome o = (origin == SO_EE_ORIGIN_ICMP || origin == SO_EE_ORIGIN_ICMP6)
                ? new Outcome(Status.ICMP_ERROR, 0, type, code, errno)
                : new Outcome(Status.SEND_ERROR, 0, 0, 0, errno);
        if (finish(e, o)) {
            icmpErrors.increment();
        }
    }

    private static boolean sourceMatches(MemorySegment name, Echo e) {
        int family = name.get(ValueLayout.JAVA_SHORT, 0);
        int off;
        if (e.v6) {
            if (family != AF_INET6) {
                return false;
            }
            off = 8;
        } else {
            if (family != AF_INET) {
                return false;
            }
            off = 4;
        }
        for (int i = 0; i < e.target.length; i++) {
            if (name.get(ValueLayout.JAVA_BYTE, off + i) != e.target[i]) {
                return false;
            }
        }
        return true;
    }

    /** Test seam: makes the receiver stall once, before its next poll. */
    void stallReceiverOnce(Duration d) {
        stallOnceNanos = d.toNanos();
    }

    /** Test seam: makes the receiver throw (an {@link Error} or a {@link RuntimeException}) at its next turn. */
    void failReceiverOnce(Throwable t) {
        if (!(t instanceof Error) && !(t instanceof RuntimeException)) {
            throw new IllegalArgumentException("an Error or a RuntimeException");
        }
        failOnce = t;
    }

    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        try {
            receiver.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Echo e : pending.values()) {
            finish(e, new Outcome(Status.TIMEOUT, 0, 0, 0, 0));
        }
        v4.close();
        if (v6 != null) {
            v6.close();
        }
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        counter(registry, "ward.icmp.echoes.sent", sent, "Echo requests sent");
        counter(registry, "ward.icmp.replies", replies, "Echo replies matched to an echo");
        counter(registry, "ward.icmp.timeouts", timeouts, "Echoes that got no answer in time");
        counter(registry, "ward.icmp.errors", icmpErrors, "Echoes answered by an ICMP error (unreachable...)", "kind", "icmp");
        counter(registry, "ward.icmp.errors", sendErrors, "Echoes that could not be sent", "kind", "send");
        counter(registry, "ward.icmp.errors", overLimit, "Echoes not sent: too many outstanding", "kind", "outstanding_limit");
        counter(registry, "ward.icmp.ignored", ignoredForeign, "Packets that were not ward's", "reason", "foreign");
        counter(registry, "ward.icmp.ignored", ignoredMalformed, "Packets too short, malformed or of another type", "reason", "malformed");
        counter(registry, "ward.icmp.ignored", ignoredLate, "Replies to echoes already settled", "reason", "late");
        Gauge.builder("ward.icmp.outstanding", outstanding, AtomicInteger::get)
                .description("Echoes awaiting a reply").register(registry);
        Gauge.builder("ward.icmp.socket.mode", () -> 1).tag("mode", v4.mode.name().toLowerCase(Locale.ROOT))
                .description("The ICMP socket mode in use (the tag; the value is 1)").register(registry);
    }

    private static void counter(MeterRegistry r, String name, LongAdder a, String desc, String... tags) {
        FunctionCounter.builder(name, a, LongAdder::sum).tags(tags).description(desc).register(r);
    }
}
