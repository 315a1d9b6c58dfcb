package io.github.wardops.ward.internal.icmp;

import io.github.wardops.ward.Ticker;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

/**
 * The one thread that sends a prober's echoes. A probe hands over all its echoes at once, each
 * with its offset ({@code i × spacing}), and then waits only for its replies; the sender keeps
 * them by release time, spaces them to the {@link Pacer}'s rate and writes the due ones in a
 * burst.
 *
 * <p>Before, each probe's virtual thread slept between its echoes and again for its pacer slot:
 * four or five park and unpark cycles a probe, which at 100,000 devices cost more CPU (futex
 * calls on the carrier threads) than the echoes themselves. Now a probe parks once.
 *
 * <p>Bounded: an echo is handed over only after {@link OutstandingEchoes#register} admitted it,
 * so the hand-over queue and the release heap together never hold more than the prober's
 * outstanding-echo limit.
 *
 * <p>Time. Deadlines stay on the prober's {@link Ticker}. Releases and pacing are rates on the
 * wire, so the sender's clock moves with real time, and jumps ahead with the ticker when a test
 * ticker does: a ticker that stands still never holds an echo back.
 *
 * <p>The sender sleeps at most {@link #MAX_SLEEP_NANOS} while echoes are pending, so a new echo
 * waits at most that long for its burst without the probe having to wake the sender; an idle
 * sender (nothing pending) sleeps until a probe hands over an echo and wakes it.
 */
final class EchoSender extends IcmpThread {
    /** The longest sleep while echoes are pending: the granularity of releases and pacing. */
    static final long MAX_SLEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** Slots up to this far ahead are taken now: pacing is kept per millisecond, not per echo. */
    static final long PACE_TOLERANCE_NANOS = MAX_SLEEP_NANOS;
    /** A send refused for lack of buffers (EAGAIN, ENOBUFS) is tried again after this long. */
    static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /** The most echoes written in one go ({@code sendmmsg}). */
    static final int BURST = 16;

    /** What the sender does with due echoes. */
    interface Transmit {
        /**
         * Sends {@code echoes[0..n)} in order, settling as a send error any the kernel refuses
         * for good.
         *
         * @return how many from the start it is done with (sent or settled); the echoes from there
         *     on met a kernel with no room for now (EAGAIN, ENOBUFS) and are to be tried again shortly
         */
        int send(Echo[] echoes, int n);
    }

    private final Ticker ticker;
    private final Pacer pacer;
    private final Transmit transmit;
    private final LongConsumer behind;
    private final long behindNanos;
    private final OutstandingEchoes echoes;
    private final ConcurrentLinkedQueue<Echo> handedOver = new ConcurrentLinkedQueue<>();
    /** The sender's own; by release time on the sender's clock. */
    private final PriorityQueue<Echo> pending = new PriorityQueue<>((a, b) -> Long.compare(a.release - b.release, 0));
    private final Echo[] burst = new Echo[BURST];
    private volatile boolean idle;
    /** How long the oldest due echo has waited for its slot, nanoseconds; 0 when none waits. */
    private volatile long backlogNanos;
    private long clock;
    private long lastTicker;
    private long lastReal;

    EchoSender(Ticker ticker, Pacer pacer, OutstandingEchoes echoes, Transmit transmit, LongConsumer behind, long behindNanos) {
        super("sender");
        this.ticker = ticker;
        this.pacer = pacer;
        this.echoes = echoes;
        this.transmit = transmit;
        this.behind = behind;
        this.behindNanos = behindNanos;
        this.lastTicker = ticker.read();
        this.lastReal = System.nanoTime();
        this.clock = lastTicker;
    }

    long backlogNanos() {
        return backlogNanos;
    }

    /**
     * Hands an admitted echo over, to go out {@code offsetNanos} after the sender next looks.
     * Any thread.
     */
    void submit(Echo e, long offsetNanos) {
        e.release = offsetNanos; // an offset until the sender takes it
        handedOver.add(e);
        if (idle) {
            LockSupport.unpark(thread);
        }
    }

    void close() {
        close(TimeUnit.SECONDS.toMillis(5));
    }

    @Override
    void wake() {
        LockSupport.unpark(thread);
    }

    /** The sender's clock: at least as fast as real time and as the ticker. Sender thread only. */
    private long now() {
        long t = ticker.read();
        long r = System.nanoTime();
        clock += Math.max(0, Math.max(t - lastTicker, r - lastReal));
        lastTicker = t;
        lastReal = r;
        return clock;
    }

    private void takeHandedOver(long now) {
        Echo e;
        while ((e = handedOver.poll()) != null) {
            e.release = now + e.release;
            pending.add(e);
        }
    }

    @Override
    void loop() {
        while (running()) {
            injectedFailure();
            long now = now();
            takeHandedOver(now);
            while (true) {
                int n = 0;
                Echo head;
                while (n < BURST && (head = pending.peek()) != null && head.release - now <= 0) {
                    if (head.result.isDone()) {
                        pending.poll(); // settled before it went out: the probe was interrupted, or the prober closed
                        continue;
                    }
                    if (!pacer.take(now, PACE_TOLERANCE_NANOS)) {
                        break;
                    }
                    pending.poll();
                    long waited = now - head.release;
                    if (waited > behindNanos && head.attempts == 0) {
                        behind.accept(waited);
                    }
                    burst[n++] = head;
                }
                if (n == 0) {
                    break;
                }
                int done = transmit.send(burst, n);
                for (int i = done; i < n; i++) {
                    Echo e = burst[i];
                    if (i == done) {
                        e.attempts++;
                    }
                    e.release = now + RETRY_NANOS;
                    pending.add(e);
                }
                java.util.Arrays.fill(burst, 0, n, null);
                if (n < BURST) {
                    break;
                }
                now = now();
                takeHandedOver(now);
            }
            Echo head = pending.peek();
            backlogNanos = head != null && head.release - now < 0 ? now - head.release : 0;
            if (head == null) {
                idle = true;
                if (handedOver.isEmpty() && running()) {
                    LockSupport.parkNanos(this, TimeUnit.SECONDS.toNanos(1));
                }
                idle = false;
            } else {
                long wait = Math.max(head.release - now, pacer.waitNanos(now) - PACE_TOLERANCE_NANOS);
                if (wait > 0) {
                    LockSupport.parkNanos(this, Math.min(wait, MAX_SLEEP_NANOS));
                }
            }
        }
    }

    @Override
    void settle() {
        // nothing here went out: the probes waiting for these echoes learn nothing of their device
        Echo e;
        while ((e = handedOver.poll()) != null) {
            echoes.finish(e, Echo.Outcome.IMPAIRED);
        }
        while ((e = pending.poll()) != null) {
            echoes.finish(e, Echo.Outcome.IMPAIRED);
        }
        for (int i = 0; i < burst.length; i++) {
            if (burst[i] != null) {
                // taken for a burst when the sender failed: sent or not, nobody will sweep it
                echoes.finish(burst[i], Echo.Outcome.IMPAIRED);
                burst[i] = null;
            }
        }
    }
}
