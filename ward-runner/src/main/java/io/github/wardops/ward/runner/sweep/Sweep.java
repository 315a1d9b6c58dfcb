package io.github.wardops.ward.runner.sweep;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.inventory.Check;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.probe.IcmpSettings;
import io.github.wardops.ward.probe.PingStats;
import io.github.wardops.ward.probe.ProbeRequest;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.probe.Prober;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pings a list of addresses once each ({@code count} echoes per address) through an ICMP
 * {@link Prober}, with at most {@code maxInFlight} addresses being probed at once, each on its
 * own virtual thread. Probes are started at the packets-per-second rate (so threads are not
 * created long before they can send), and the prober paces every echo as well.
 *
 * <p>Memory is bounded by the target count: results are kept in a few primitive arrays (about
 * 40 bytes per target) and at most {@code maxInFlight} probes, each with its own virtual thread,
 * exist at once. Not thread-safe: one sweep per instance.
 */
public final class Sweep {
    private static final Logger LOG = LoggerFactory.getLogger(Sweep.class);
    /** How far ahead of its slot a probe may start: bursts stay within a millisecond of sends. */
    private static final long PACE_SLACK_NANOS = 1_000_000;

    /**
     * How to sweep.
     *
     * @param count echoes per address, 1-100
     * @param spacing time between the echoes to one address, 0-10 s
     * @param replyTimeout how long to wait for each reply, 1 ms-60 s
     * @param maxInFlight the most addresses probed at once, 1-1,000,000
     * @param packetsPerSecond how many probes start per second, 1-1,000,000 (the prober paces
     *     every echo on its own as well)
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

    private final Prober prober;
    private final Options options;

    /**
     * A sweep through a prober.
     *
     * @param prober an ICMP prober; not closed by the sweep
     * @param options the options
     */
    public Sweep(Prober prober, Options options) {
        this.prober = prober;
        this.options = options;
    }

    /**
     * Runs the sweep and returns when every target has its result.
     *
     * @param targets the addresses
     * @return the report
     * @throws InterruptedException when interrupted; probes in flight finish on their own
     */
    public Report run(List<InetAddress> targets) throws InterruptedException {
        int n = targets.size();
        int[] sent = new int[n];
        int[] received = new int[n];
        long[] min = new long[n];
        long[] avg = new long[n];
        long[] max = new long[n];
        IcmpSettings settings = new IcmpSettings(options.count(), options.spacing(), options.replyTimeout(), 56);
        Duration timeout = settings.minimumTimeout();
        Check check = new Check("icmp", settings, timeout.compareTo(Check.MIN_INTERVAL) < 0 ? Check.MIN_INTERVAL : timeout, timeout);
        List<Check> checks = List.of(check);
        Semaphore permits = new Semaphore(options.maxInFlight());
        AtomicLong unknowns = new AtomicLong();
        long start = System.nanoTime();
        long period = 1_000_000_000L / options.packetsPerSecond();
        for (int i = 0; i < n; i++) {
            // Start probes at the send rate rather than all at once: a probe thread started ahead
            // of its send slot only waits, and thousands of them crowd out the receiver thread.
            long ahead = start + i * period - System.nanoTime();
            if (ahead > PACE_SLACK_NANOS) {
                Thread.sleep(Duration.ofNanos(ahead));
            }
            permits.acquire();
            int idx = i;
            Device d = new Device(new DeviceId(new UUID(0x5EE9L, i)), "sweep", targets.get(i), Map.of(), null, true, checks);
            Thread.ofVirtual().name("ward-sweep").start(() -> {
                try {
                    ProbeResult r = prober.probe(new ProbeRequest(d, check, Instant.now()));
                    if (r.measurement() instanceof PingStats p) {
                        sent[idx] = p.sent();
                        received[idx] = p.received();
                        if (p.received() > 0) {
                            min[idx] = p.rttMin().toNanos();
                            avg[idx] = p.rttAvg().toNanos();
                            max[idx] = p.rttMax().toNanos();
                        }
                    } else if (r instanceof ProbeResult.Unknown u && unknowns.getAndIncrement() < 10) {
                        LOG.warn("{} could not be probed: {}", d.address().getHostAddress(), u.detail());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    if (unknowns.getAndIncrement() < 10) {
                        LOG.warn("{} could not be probed: {}", d.address().getHostAddress(), e.toString());
                    }
                } finally {
                    permits.release();
                }
            });
        }
        permits.acquire(options.maxInFlight());
        permits.release(options.maxInFlight());
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        if (unknowns.get() > 10) {
            LOG.warn("{} targets could not be probed in all (only the first 10 are logged)", unknowns.get());
        }
        // Acquiring every permit is a happens-before edge with each probe's release: the arrays are complete.
        return new Report(targets, sent, received, min, avg, max, elapsed);
    }
}
