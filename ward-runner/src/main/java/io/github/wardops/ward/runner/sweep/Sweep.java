package io.github.wardops.ward.runner.sweep;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.internal.icmp.SweepSocket;
import io.github.wardops.ward.internal.nativeio.Libc;
import io.github.wardops.ward.probe.IcmpOptions;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pings a list of addresses ({@code count} echoes each) with no thread, future or object per
 * target or echo: the calling thread sends, pacing echoes at the packets-per-second rate over the
 * target list (echo 0 in target order, each later echo {@code spacing} after the one before), and
 * one platform thread receives through {@link SweepSocket}, which names each echo by its target
 * index and echo number. Replies are counted once per echo (duplicates and replies after the
 * timeout are ignored); a target is finished when all its echoes are answered or its last one's
 * timeout passed, found by a scan in target order rather than a timer per target. At most
 * {@code maxInFlight} targets are unfinished at once.
 *
 * <p>Memory is bounded by the target count: about 60 bytes of primitive arrays per target (plus
 * 8 bytes per 64 echoes). Not thread-safe: one sweep at a time per instance.
 */
public final class Sweep {
    private static final Logger LOG = LoggerFactory.getLogger(Sweep.class);
    /** The most echoes sent at once after the sender was held up: a millisecond's worth. */
    private static final long MAX_BURST_NANOS = 1_000_000;

    /**
     * How to sweep.
     *
     * @param count echoes per address, 1-100
     * @param spacing time between the echoes to one address, 0-10 s
     * @param replyTimeout how long to wait for each reply, 1 ms-60 s
     * @param maxInFlight the most addresses with an echo still unanswered and not timed out, 1-1,000,000
     * @param packetsPerSecond the most echoes sent per second, 1-1,000,000
     */
    public record Options(int count, Duration spacing, Duration replyTimeout, int maxInFlight, int packetsPerSecond) {
        /**
         * Validates every value at once.
         */
        public Options {
            List<String> p = new ArrayList<>();
            if (count < 1 || count > 100) {
                p.add("count = " + count + ": must be 1-100");
            }
            if (spacing == null || spacing.isNegative() || spacing.compareTo(Duration.ofSeconds(10)) > 0) {
                p.add("interval = " + (spacing == null ? null : spacing.toMillis() + " ms") + ": must be 0-10000 ms");
            }
            if (replyTimeout == null || replyTimeout.toMillis() < 1 || replyTimeout.compareTo(Duration.ofSeconds(60)) > 0) {
                p.add("timeout = " + (replyTimeout == null ? null : replyTimeout.toMillis() + " ms") + ": must be 1-60000 ms");
            }
            if (maxInFlight < 1 || maxInFlight > 1_000_000) {
                p.add("max-in-flight = " + maxInFlight + ": must be 1-1000000");
            }
            if (packetsPerSecond < 1 || packetsPerSecond > 1_000_000) {
                p.add("pps = " + packetsPerSecond + ": must be 1-1000000");
            }
            if (!p.isEmpty()) {
                throw new InvalidConfigurationException("ward sweep", p);
            }
        }
    }

    /**
     * What a sweep found. Per-target arrays are indexed like the target list.
     *
     * @param targets the addresses, in order
     * @param sent echoes sent per target
     * @param received replies per target
     * @param minNanos fastest reply per target (0 when none)
     * @param avgNanos mean reply per target (0 when none)
     * @param maxNanos slowest reply per target (0 when none)
     * @param elapsed the sweep's wall-clock time
     */
    public record Report(List<InetAddress> targets, int[] sent, int[] received, long[] minNanos, long[] avgNanos,
                         long[] maxNanos, Duration elapsed) {

        /**
         * Echoes sent in total.
         *
         * @return the sum
         */
        public long totalSent() {
            long n = 0;
            for (int s : sent) {
                n += s;
            }
            return n;
        }

        /**
         * Replies received in total.
         *
         * @return the sum
         */
        public long totalReceived() {
            long n = 0;
            for (int r : received) {
                n += r;
            }
            return n;
        }

        /**
         * Targets that answered at least once.
         *
         * @return the count
         */
        public int answered() {
            int n = 0;
            for (int r : received) {
                if (r > 0) {
                    n++;
                }
            }
            return n;
        }

        /**
         * Whether every target answered at least once (fping's exit status 0).
         *
         * @return {@code true} when all answered
         */
        public boolean allAnswered() {
            return answered() == targets.size();
        }
    }

    private final IcmpOptions icmp;
    private final Options options;

    /**
     * A sweep over sockets opened with {@code icmp}'s socket mode, receive buffer and namespace.
     *
     * @param icmp the socket options
     * @param options the options
     */
    public Sweep(IcmpOptions icmp, Options options) {
        this.icmp = icmp;
        this.options = options;
    }

    /**
     * Runs the sweep and returns when every target has its result.
     *
     * @param targets the addresses
     * @return the report
     * @throws InterruptedException when interrupted
     * @throws io.github.wardops.ward.WardException when no ICMP socket can be opened
     */
    public Report run(List<InetAddress> targets) throws InterruptedException {
        try (SweepSocket socket = SweepSocket.open(icmp, targets, options.count(), BATCHED)) {
            return new Run(socket, targets).run();
        }
    }

    /** Whether echoes go out with one sendmmsg per burst; see docs/benchmarks.md. */
    static final boolean BATCHED = !Boolean.getBoolean("ward.sweep.sendto");

    /** One sweep's state: primitive arrays indexed like the targets, one sender (the caller) and one receiver thread. */
    final class Run implements SweepSocket.Replies {
        private final SweepSocket socket;
        private final List<InetAddress> targets;
        private final int n;
        private final int count;
        private final long timeout;
        private final long spacing;
        final int[] sent;
        final int[] received;
        final long[] min;
        final long[] sum;
        final long[] max;
        /** Ticker time of the latest echo sent to each target. */
        final long[] lastSend;
        /** Bit k of word t*words+k/64: echo k of target t was answered. */
        final long[] answered;
        private final int words;
        /** Targets whose every echo was sent, published to the receiver (volatile write after lastSend). */
        private volatile int allSentBelow;
        /** The sender stopped before sending everything: the receiver stops too. */
        private volatile boolean abandoned;
        /** Targets finished (all answered, or their last deadline passed); written by the receiver only. */
        private volatile int finished;
        /** Receiver only: the lowest target not yet finished by the deadline scan. */
        private int doneBelow;
        long duplicates;
        long late;
        private volatile Throwable receiverFailure;

        Run(SweepSocket socket, List<InetAddress> targets) {
            this.socket = socket;
            this.targets = targets;
            this.n = targets.size();
            this.count = options.count();
            this.timeout = options.replyTimeout().toNanos();
            this.spacing = options.spacing().toNanos();
            sent = new int[n];
            received = new int[n];
            min = new long[n];
            sum = new long[n];
            max = new long[n];
            lastSend = new long[n];
            words = (count + 63) / 64;
            answered = new long[n * words];
        }

        Report run() throws InterruptedException {
            long start = System.nanoTime();
            Thread receiver = Thread.ofPlatform().name("ward-sweep-receiver").daemon(true).start(this::receive);
            boolean complete = false;
            try {
                send(start);
                complete = true;
            } finally {
                // a sender that stopped early (interrupted) leaves targets that never finish
                abandoned = !complete;
                receiver.join();
            }
            if (receiverFailure instanceof Error e) {
                throw e;   // an Error ends the process as it is, not as a runtime failure
            }
            if (receiverFailure != null) {
                throw new IllegalStateException("the sweep's receiver failed", receiverFailure);
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            if (socket.sendErrors() > 0) {
                LOG.warn("{} echoes could not be sent (the first: {}); they count as lost", socket.sendErrors(),
                        Libc.errnoName(socket.firstSendErrno()));
            }
            LOG.info("ignored: {} foreign, {} malformed, {} duplicate, {} late packets; {} ICMP errors",
                    socket.ignoredForeign(), socket.ignoredMalformed(), duplicates, late, socket.icmpErrors());
            for (int i = 0; i < n; i++) {
                sum[i] = received[i] > 0 ? sum[i] / received[i] : 0;
            }
            return new Report(targets, sent, received, min, sum, max, elapsed);
        }

        /** The sender: paces echoes at the pps rate over the targets, echo 0 first, each later echo spacing after the one before. */
        private void send(long start) throws InterruptedException {
            long period = 1_000_000_000L / options.packetsPerSecond();
            long burst = Math.max(period, MAX_BURST_NANOS);
            int[] cursor = new int[count]; // cursor[k]: the next target to get echo k
            long nextSlot = start;
            int unreachable = 0;
            while (cursor[count - 1] < n) {
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                long now = System.nanoTime();
                if (nextSlot < now - burst) {
                    nextSlot = now - burst; // no catching up after a stall beyond one burst
                }
                int budget = (int) Math.min(64, (now - nextSlot) / period + 1);
                if (nextSlot > now) {
                    budget = 0;
                }
                int sentNow = 0;
                long wake = nextSlot;
                while (sentNow < budget) {
                    // the echo whose time came first: a later echo of a started target, else a new target
                    int pick = -1;
                    long pickDue = Long.MAX_VALUE;
                    for (int k = count - 1; k >= 1; k--) {
                        int t = cursor[k];
                        if (t < cursor[k - 1]) {
                            long due = lastSend[t] + spacing;
                            if (due <= now && due < pickDue) {
                                pick = k;
                                pickDue = due;
                            } else if (due > now) {
                                wake = Math.min(wake, due);
                            }
                        }
                    }
                    if (pick < 0 && cursor[0] < n && cursor[0] - finished < options.maxInFlight()) {
                        pick = 0;
                    }
                    if (pick < 0) {
                        break;
                    }
                    int t = cursor[pick]++;
                    if (socket.reachable(t)) {
                        socket.send(t, pick);
                    } else if (unreachable++ == 0) {
                        LOG.warn("{} cannot be pinged: {}", targets.get(t).getHostAddress(), socket.v6Problem());
                    }
                    sent[t] = pick + 1;
                    lastSend[t] = now;
                    sentNow++;
                }
                if (sentNow > 0) {
                    socket.flush();
                    nextSlot += sentNow * period;
                    allSentBelow = cursor[count - 1];
                    continue;
                }
                long sleep = Math.min(Math.max(wake, nextSlot) - now, 1_000_000);
                LockSupport.parkNanos(Math.max(sleep, 20_000));
            }
            socket.flush();
            allSentBelow = n;
        }

        /** The receiver: reads replies, then finishes targets whose last deadline passed. */
        private void receive() {
            try {
                while (finished < n && !abandoned) {
                    int wait = 10;
                    int below = allSentBelow;
                    if (doneBelow < below) {
                        long left = lastSend[doneBelow] + timeout - System.nanoTime();
                        wait = (int) Math.max(0, Math.min(10, left / 1_000_000 + 1));
                    }
                    // replies that reached the socket before this instant are read before any deadline is judged
                    long cutoff = System.nanoTime();
                    if (!socket.receive(wait, this)) {
                        continue;
                    }
                    below = allSentBelow;
                    int done = finished;
                    while (doneBelow < below && (received[doneBelow] == count || lastSend[doneBelow] + timeout < cutoff)) {
                        if (received[doneBelow] < count) {
                            done++;
                        }
                        doneBelow++;
                    }
                    finished = done;
                }
            } catch (Throwable t) {
                receiverFailure = t;
                finished = n;
            }
        }

        @Override
        public void reply(int t, int echo, long rtt) {
            if (t < doneBelow || rtt > timeout) {
                late++;
                return;
            }
            int w = t * words + (echo >> 6);
            long bit = 1L << (echo & 63);
            if ((answered[w] & bit) != 0) {
                duplicates++;
                return;
            }
            answered[w] |= bit;
            int r = ++received[t];
            sum[t] += rtt;
            if (r == 1 || rtt < min[t]) {
                min[t] = rtt;
            }
            if (rtt > max[t]) {
                max[t] = rtt;
            }
            if (r == count) {
                finished = finished + 1; // single writer: the receiver
            }
        }
    }
}
