package io.github.wardops.ward.internal.icmp;

import io.github.wardops.ward.Ticker;
import java.time.Duration;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The echoes awaiting an answer, keyed by the random 64-bit cookie in their payload, and their
 * deadlines on the prober's ticker.
 *
 * <p>The cookie is the key, so the 16-bit sequence space may wrap any number of times while
 * echoes are outstanding: a reply is matched by its cookie, then checked against the echo's
 * sequence number. At most {@code limit} echoes are outstanding; an echo over the limit is
 * settled at once as a {@code SEND_ERROR} with errno {@code -1} and counted.
 *
 * <p>{@link #register}, {@link #sent}, {@link #match}, {@link #finish} and {@link #size} are
 * thread-safe. The deadline sweep ({@link #admitSent}, {@link #pollTimeoutMillis},
 * {@link #expire}) belongs to one thread, the receiver.
 */
final class OutstandingEchoes {
    private final Ticker ticker;
    private final int limit;
    private final IcmpCounters counters;
    private final ConcurrentHashMap<Long, Echo> pending = new ConcurrentHashMap<>();
    /** Echoes sent since the receiver last looked; it moves them into {@link #deadlines}. */
    private final ConcurrentLinkedQueue<Echo> fresh = new ConcurrentLinkedQueue<>();
    private final AtomicInteger outstanding = new AtomicInteger();
    private final AtomicInteger seq = new AtomicInteger();
    /** The receiver's own; holds each sent echo until its deadline, settled or not. */
    private final PriorityQueue<Echo> deadlines = new PriorityQueue<>((a, b) -> Long.compare(a.deadline - b.deadline, 0));

    OutstandingEchoes(Ticker ticker, int limit, IcmpCounters counters) {
        this.ticker = ticker;
        this.limit = limit;
        this.counters = counters;
    }

    /**
     * Takes the next sequence number and a fresh cookie for an echo due within {@code timeout}.
     *
     * @return the echo, outstanding; or, when {@code limit} echoes already are, one settled as
     *     a {@code SEND_ERROR} with errno {@code -1}
     */
    Echo register(byte[] target, boolean v6, Duration timeout) {
        int sq = seq.getAndIncrement() & 0xffff;
        long deadline = ticker.read() + timeout.toNanos();
        if (outstanding.incrementAndGet() > limit) {
            outstanding.decrementAndGet();
            counters.overLimit.increment();
            Echo e = new Echo(0, sq, target, v6, deadline);
            e.result.complete(new Echo.Outcome(Echo.Status.SEND_ERROR, 0, 0, 0, -1));
            return e;
        }
        while (true) {
            long cookie = ThreadLocalRandom.current().nextLong();
            if (cookie == 0) {
                continue; // 0 marks an echo that was never registered
            }
            Echo e = new Echo(cookie, sq, target, v6, deadline);
            e.timeoutNanos = timeout.toNanos();
            if (pending.putIfAbsent(cookie, e) == null) {
                return e;
            }
        }
    }

    /** The echo went out: from now on the receiver sweeps it at its deadline. */
    void sent(Echo e) {
        fresh.add(e);
    }

    /**
     * The outstanding echo with this cookie.
     *
     * @return the echo, or {@code null} when none is (never sent by this prober, or already settled)
     */
    Echo match(long cookie) {
        return pending.get(cookie);
    }

    /**
     * Settles an echo once: the first outcome wins; the map entry and the count go with it.
     *
     * @return whether this call settled it
     */
    boolean finish(Echo e, Echo.Outcome o) {
        if (e.cookie != 0 && pending.remove(e.cookie, e)) {
            outstanding.decrementAndGet();
            if (o.status() == Echo.Status.TIMEOUT) {
                counters.timeouts.increment();
            }
        }
        return e.result.complete(o);
    }

    /** Settles every outstanding echo with {@code o}. */
    void finishAll(Echo.Outcome o) {
        for (Echo e : pending.values()) {
            finish(e, o);
        }
    }

    int size() {
        return outstanding.get();
    }

    // ------------------------------------------------------------------ the receiver's sweep

    /** Receiver only: takes the echoes sent since the last call into the deadline sweep. */
    void admitSent() {
        Echo f;
        while ((f = fresh.poll()) != null) {
            if (!f.result.isDone()) {
                deadlines.add(f);
            }
        }
    }

    /**
     * Receiver only: how long it may wait for packets before the next deadline.
     *
     * @param max the longest wait
     * @return milliseconds, at least {@code 0} and at most {@code max}
     */
    int pollTimeoutMillis(int max) {
        Echo head;
        while ((head = deadlines.peek()) != null && head.result.isDone()) {
            deadlines.poll();
        }
        if (head == null) {
            return max;
        }
        long left = head.deadline - ticker.read();
        return (int) Math.max(0, Math.min(max, TimeUnit.NANOSECONDS.toMillis(left) + 1));
    }

    /**
     * Receiver only: settles as {@code TIMEOUT} every echo whose deadline is not after {@code cutoff}.
     *
     * @param cutoff a ticker reading taken before the socket was last read to its end, so a reply
     *     already waiting there is never taken for a loss
     * @return how many echoes timed out
     */
    int expire(long cutoff) {
        int n = 0;
        Echo head;
        while ((head = deadlines.peek()) != null && (head.result.isDone() || head.deadline - cutoff <= 0)) {
            deadlines.poll();
            if (!head.result.isDone() && finish(head, Echo.Outcome.TIMEOUT)) {
                n++;
            }
        }
        return n;
    }
}
