package io.github.wardops.ward.internal.icmp;

import static io.github.wardops.ward.internal.nativeio.Libc.*;

import io.github.wardops.ward.Ticker;
import io.github.wardops.ward.WardException;
import io.github.wardops.ward.probe.DownReason;
import io.github.wardops.ward.probe.IcmpOptions;
import io.github.wardops.ward.probe.IcmpProber;
import io.github.wardops.ward.probe.IcmpSettings;
import io.github.wardops.ward.probe.IcmpSocketMode;
import io.github.wardops.ward.probe.PingStats;
import io.github.wardops.ward.probe.ProbeRequest;
import io.github.wardops.ward.probe.ProbeResult;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ICMP echo over one socket per address family, through the FFM API: the {@link IcmpProber}
 * that turns a probe's echoes into a result.
 *
 * <p>Probes run on virtual threads. Each echo is registered in {@link OutstandingEchoes} under a
 * random 64-bit cookie carried in its payload; a probe hands all its echoes, with their offsets,
 * to the {@link EchoSender} thread, which paces them with the shared {@link Pacer} and writes them
 * in bursts with {@code sendmmsg} on a socket of {@link IcmpSockets}. The {@link IcmpReceiver},
 * one platform thread, reads the answers, settles each echo by cookie, and sweeps those whose
 * deadline passed. On datagram sockets the kernel rewrites the echo id, which is why the id is
 * never used alone. Deadlines, pacing and round trips without a kernel timestamp are measured on
 * the {@link Ticker} the prober was opened with.
 */
public final class IcmpEchoProber implements IcmpProber, MeterBinder {
    private static final Logger LOG = LoggerFactory.getLogger(IcmpEchoProber.class);
    private static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final IcmpOptions options;
    private final Ticker ticker;
    private final IcmpSockets sockets;
    private final int rawId = ThreadLocalRandom.current().nextInt(1, 0x10000);
    private final IcmpCounters counters = new IcmpCounters();
    private final OutstandingEchoes echoes;
    private final Pacer pacer;
    private final IcmpReceiver receiver;
    private final EchoSender sender;
    private volatile boolean running = true;
    /** The largest payload {@link IcmpSettings} accepts: every echo fits a burst slot. */
    static final int MAX_PAYLOAD_BYTES = 1400;
    /** What the schedule plans, echoes per second; negative until a plan is reported. */
    private volatile double plannedRate = -1;
    private volatile int pacedRate;
    private final io.github.wardops.ward.internal.support.LogLimiter behindLog;
    /** The pacer backlog above which an echo counts as delayed and a warning is due. */
    static final long BEHIND_NANOS = TimeUnit.SECONDS.toNanos(1);

    private IcmpEchoProber(IcmpOptions options, Ticker ticker, IcmpSockets sockets) {
        this.options = options;
        this.ticker = ticker;
        this.sockets = sockets;
        this.echoes = new OutstandingEchoes(ticker, options.maxOutstandingEchoes(), counters);
        this.pacer = new Pacer(ticker, options.packetsPerSecond());
        this.pacedRate = options.packetsPerSecond();
        this.behindLog = new io.github.wardops.ward.internal.support.LogLimiter(TimeUnit.MINUTES.toNanos(1), ticker);
        this.receiver = new IcmpReceiver(sockets, echoes, counters, rawId, ticker);
        this.sender = new EchoSender(ticker, pacer, echoes, this::transmitAll, this::behind, BEHIND_NANOS);
    }

    /**
     * Opens the sockets and starts the receiver, timing echoes on the system ticker.
     *
     * @param options the options
     * @return the prober
     * @throws WardException when no IPv4 ICMP socket can be opened, saying why and how to fix it
     */
    public static IcmpEchoProber open(IcmpOptions options) {
        return open(options, Ticker.system());
    }

    /**
     * Opens the sockets and starts the receiver, with deadlines, pacing and round trips (where
     * the kernel gives no receive timestamp) measured on {@code ticker}.
     *
     * @param options the options
     * @param ticker the monotonic time the prober measures with; a fake one lets a test decide
     *     when echoes time out
     * @return the prober
     * @throws WardException when no IPv4 ICMP socket can be opened, saying why and how to fix it
     */
    public static IcmpEchoProber open(IcmpOptions options, Ticker ticker) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(ticker, "ticker");
        IcmpSockets sockets = IcmpSockets.open(options);
        if (sockets.v6() == null) {
            LOG.warn("ICMP for IPv6 is unavailable: {}; IPv6 devices will be UNKNOWN", sockets.v6Problem());
        }
        IcmpEchoProber p;
        try {
            p = new IcmpEchoProber(options, ticker, sockets);
            p.receiver.start();
            try {
                p.sender.start();
            } catch (RuntimeException | Error e) {
                p.receiver.close();
                throw e;
            }
        } catch (RuntimeException | Error e) {
            sockets.close();
            throw e;
        }
        LOG.info("ICMP prober ready: IPv4 {} socket, IPv6 {}, pacing {} echoes/s{}",
                sockets.v4().mode.name().toLowerCase(Locale.ROOT),
                sockets.v6() == null ? "unavailable" : sockets.v6().mode.name().toLowerCase(Locale.ROOT) + " socket",
                options.packetsPerSecond(),
                options.networkNamespace().map(n -> ", network namespace " + n).orElse(""));
        return p;
    }

    /** The receiver, for tests that stall or fail it. */
    IcmpReceiver receiver() {
        return receiver;
    }

    /** The sender, for tests that fail it. */
    EchoSender sender() {
        return sender;
    }

    /** What the prober counted, for tests. */
    IcmpCounters counters() {
        return counters;
    }

    // ------------------------------------------------------------------ API

    @Override
    public synchronized void planRate(double echoesPerSecond) {
        IcmpProber.super.planRate(echoesPerSecond);
        int cap = options.packetsPerSecond();
        long want = Math.max(IcmpOptions.MIN_PLANNED_PACKETS_PER_SECOND, (long) Math.ceil(2 * echoesPerSecond));
        int rate = (int) Math.min(cap, want);
        double before = plannedRate;
        plannedRate = echoesPerSecond;
        if (rate != pacedRate) {
            pacer.rate(rate);
            pacedRate = rate;
            LOG.info("ICMP pace {} echoes/s: the schedule plans {} echoes/s (cap {})", rate, Math.round(echoesPerSecond), cap);
        }
        if (echoesPerSecond > cap && !(before > cap)) {
            LOG.warn("the schedule plans {} ICMP echoes per second but the ICMP rate is capped at {}: probes will queue behind "
                    + "the pacer and run late; raise the cap (icmp-pps, IcmpOptions.packetsPerSecond) or lengthen the "
                    + "intervals", Math.round(echoesPerSecond), cap);
        }
    }

    /** The pace now, echoes per second. */
    public int pacedRate() {
        return pacedRate;
    }

    /** What the schedule plans, echoes per second, or a negative number before a plan. */
    public double plannedRate() {
        return plannedRate;
    }

    /** How far behind the pacer is: how long the oldest due echo has waited for its turn, in nanoseconds. */
    long pacerBacklogNanos() {
        return sender.backlogNanos();
    }

    @Override
    public String type() {
        return IcmpSettings.TYPE;
    }

    @Override
    public IcmpSocketMode mode() {
        return sockets.v4().mode;
    }

    @Override
    public int outstandingEchoes() {
        return echoes.size();
    }

    @Override
    public ProbeResult probe(ProbeRequest request) throws InterruptedException {
        IcmpSettings s = request.settings(IcmpSettings.class);
        InetAddress address = request.device().address();
        boolean isV6 = address instanceof Inet6Address;
        var id = request.device().id();
        String check = request.check().name();
        Instant at = Instant.now();
        IcmpSocket sock = sockets.forFamily(isV6);
        if (!running) {
            return new ProbeResult.Unknown(id, check, type(), at, "the ICMP prober is closed");
        }
        if (sock == null) {
            return new ProbeResult.Unknown(id, check, type(), at, sockets.v6Problem());
        }
        if (!receiver.alive()) {
            return new ProbeResult.Unknown(id, check, type(), at, "ward's ICMP receiver stopped (" + receiver.stopReason()
                    + "): the device was not judged");
        }
        if (!sender.alive()) {
            return new ProbeResult.Unknown(id, check, type(), at, "ward's ICMP sender stopped (" + sender.stopReason()
                    + "): the device was not judged");
        }
        byte[] target = address.getAddress();
        int count = s.count();
        List<Echo> mine = new ArrayList<>(count);
        try {
            // every echo goes to the sender at once, with its offset; this thread then parks once,
            // for the replies, instead of sleeping between echoes and for the pacer
            long spacing = s.spacing().toNanos();
            for (int i = 0; i < count; i++) {
                Echo e = echoes.register(target, isV6, s.replyTimeout());
                mine.add(e);
                if (!e.result.isDone()) {
                    e.sock = sock;
                    e.payload = s.payloadBytes();
                    sender.submit(e, spacing * i);
                }
            }
            if (!sender.alive()) {
                // the sender stopped while these were handed over: what it did not take is ours to settle
                for (Echo e : mine) {
                    echoes.finish(e, Echo.Outcome.IMPAIRED);
                }
            }
            Echo.Outcome[] outcomes = new Echo.Outcome[count];
            for (int i = count - 1; i >= 0; i--) {
                outcomes[i] = await(mine.get(i)); // the last settles last, as a rule: one wait
            }
            long[] rtts = new long[mine.size()];
            int received = 0;
            Echo.Outcome firstError = null;
            Echo.Outcome firstSendError = null;
            EchoErrors.Verdict unreachable = null;
            int sendFailures = 0;
            int impaired = 0;
            for (Echo.Outcome o : outcomes) {
                switch (o.status()) {
                    case REPLY -> rtts[received++] = o.rttNanos();
                    case ICMP_ERROR -> firstError = firstError == null ? o : firstError;
                    case SEND_ERROR -> {
                        sendFailures++;
                        firstSendError = firstSendError == null ? o : firstSendError;
                        EchoErrors.Verdict v = EchoErrors.judge(o.errno(), options.maxOutstandingEchoes());
                        unreachable = unreachable == null && v.down() ? v : unreachable;
                    }
                    case TIMEOUT -> {
                    }
                    case IMPAIRED -> impaired++;
                }
            }
            int sentCount = mine.size() - sendFailures;
            PingStats stats = PingStats.of(mine.size(), rtts, received);
            if (received > 0) {
                return new ProbeResult.Up(id, check, type(), at, stats.rttAvg(), stats);
            }
            if (impaired > 0) {
                // ward's receiver stopped while these echoes were out: a reply may have come
                // unread, so this says nothing about the device
                boolean senderGone = !sender.alive() && receiver.alive();
                return new ProbeResult.Unknown(id, check, type(), at, senderGone
                        ? "ward's ICMP sender stopped (" + sender.stopReason() + "): the device was not judged"
                        : "ward's ICMP receiver stopped (" + receiver.stopReason() + "): the device was not judged");
            }
            if (firstError != null) {
                return down(request, at, stats, firstError.icmpType(), firstError.icmpCode(), isV6);
            }
            if (unreachable != null) {
                // the local stack said the echo cannot reach the device (a packet filter, no
                // route): a failed probe, every echo counted lost, as fping counts it
                return new ProbeResult.Down(id, check, type(), at, unreachable.reason(), unreachable.detail(), stats);
            }
            if (sentCount == 0) {
                // only ward's own trouble stopped the echoes (buffers, the outstanding limit...)
                return new ProbeResult.Unknown(id, check, type(), at, firstSendError == null ? "no echo could be sent: nothing sent"
                        : EchoErrors.judge(firstSendError.errno(), options.maxOutstandingEchoes()).detail());
            }
            return new ProbeResult.Down(id, check, type(), at, DownReason.TIMEOUT,
                    "no reply to " + sentCount + " echoes within " + s.replyTimeout().toMillis() + " ms", stats);
        } finally {
            for (Echo e : mine) {
                if (!e.result.isDone()) {
                    // the probe ended early (interrupted): an echo that never went out is no timeout
                    echoes.finish(e, e.sentNano == 0 ? Echo.Outcome.IMPAIRED : Echo.Outcome.TIMEOUT);
                }
            }
        }
    }

    private void behind(long waitedNanos) {
        counters.delayed.increment();
        long suppressed = behindLog.permit("behind");
        if (suppressed >= 0) {
            double planned = plannedRate;
            LOG.warn("the ICMP pacer is {} ms behind at {} echoes/s{}: echoes wait for their turn and probes run late; "
                    + "raise icmp-pps (IcmpOptions.packetsPerSecond) or lengthen the intervals (counted in "
                    + "ward_icmp_delayed_total; {} more such warnings suppressed in the last minute)",
                    TimeUnit.NANOSECONDS.toMillis(waitedNanos), pacedRate,
                    planned < 0 ? "" : ", the schedule plans " + Math.round(planned), suppressed);
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

    private Echo.Outcome await(Echo e) throws InterruptedException {
        try {
            if (receiver.alive()) {
                // Untimed: the receiver settles every echo by its deadline (reply, error or sweep),
                // and settles them all if it ever stops. A timed wait would cost a timer task per
                // echo on the virtual-thread scheduler.
                return e.result.get();
            }
            long wait = e.deadline + GRACE_NANOS - ticker.read();
            return e.result.get(Math.max(1, wait), TimeUnit.NANOSECONDS);
        } catch (TimeoutException te) {
            // only reached when the receiver is not running: nobody read the socket
            echoes.finish(e, Echo.Outcome.IMPAIRED);
            return e.result.getNow(Echo.Outcome.IMPAIRED);
        } catch (ExecutionException ee) {
            return new Echo.Outcome(Echo.Status.SEND_ERROR, 0, 0, 0, EINVAL);
        }
    }

    /**
     * The sender's buffers for one burst: {@link EchoSender#BURST} slots, each a sockaddr and a
     * packet of up to {@link #MAX_PAYLOAD_BYTES}; written by the sender thread only, freed with the
     * prober.
     */
    private final MemorySegment burstErr = errnoSegment(Arena.ofAuto());
    private final MsgVector burst = new MsgVector(Arena.ofAuto(), EchoSender.BURST, 8 + MAX_PAYLOAD_BYTES, 0);

    /**
     * The sender's: writes due echoes, those to one socket with one {@code sendmmsg}. The sweep
     * measured one {@code sendmmsg} a burst against one {@code sendto} an echo at 1.2 s against
     * 1.6 s for 100,000 echoes: the system call, not the packet, was a quarter of the cost.
     */
    private int transmitAll(Echo[] es, int n) {
        int i = 0;
        while (i < n) {
            IcmpSocket sock = es[i].sock;
            int end = i + 1;
            while (end < n && es[end].sock == sock) {
                end++;
            }
            int stopped = sendBurst(sock, es, i, end);
            if (stopped < end) {
                return stopped;
            }
            i = end;
        }
        return n;
    }

    /** Sends {@code es[from..to)} on one socket; returns where a lack of room stopped it, or {@code to}. */
    private int sendBurst(IcmpSocket sock, Echo[] es, int from, int to) {
        int nameLen = sock.v6 ? 28 : 16;
        for (int i = from; i < to; i++) {
            Echo e = es[i];
            int k = i - from;
            MemorySegment sa = burst.name(k);
            sa.fill((byte) 0);
            sockaddr(sa, e.target, sock.v6);
            int len = IcmpPacket.writeEcho(burst.data(k), sock.v6, rawId, e.seq, e.cookie, e.payload, sock.mode == IcmpSocketMode.RAW);
            burst.toSend(k, nameLen, len);
        }
        int off = from;
        int stale = 0;
        while (off < to) {
            Instant now = Instant.now();
            long wall = now.getEpochSecond() * 1_000_000_000L + now.getNano();
            long nano = ticker.read();
            for (int i = off; i < to; i++) {
                Echo e = es[i];
                e.sentWall = wall;
                e.sentNano = nano;
                e.deadline = nano + e.timeoutNanos;
            }
            int sent = sendmmsg(burstErr, sock.fd, burst.from(off - from), to - off, 0);
            if (sent > 0) {
                for (int i = off; i < off + sent; i++) {
                    counters.sent.increment();
                    echoes.sent(es[i]);
                }
                off += sent;
                stale = 0;
                continue;
            }
            int errno = errno(burstErr);
            // On a datagram socket an ICMP error for an earlier echo (to another host) sets the
            // socket's pending error, which the next send returns and clears: retry, so it is not
            // taken for this destination's error.
            boolean pendingError = sock.mode == IcmpSocketMode.DATAGRAM
                    && (errno == EHOSTUNREACH || errno == ENETUNREACH || errno == ECONNREFUSED || errno == EPROTO);
            if (pendingError && ++stale < 5) {
                continue;
            }
            if ((errno == EAGAIN || errno == ENOBUFS || errno == EINTR) && es[off].attempts < 4) {
                return off;
            }
            counters.sendErrors.increment();
            echoes.finish(es[off], new Echo.Outcome(Echo.Status.SEND_ERROR, 0, 0, 0, errno));
            off++;
            stale = 0;
        }
        return to;
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

    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        sender.close();
        receiver.close();
        echoes.finishAll(Echo.Outcome.TIMEOUT);
        sockets.close();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        counters.bindTo(registry, echoes, sockets.v4().mode, this);
    }
}
