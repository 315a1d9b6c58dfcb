package io.github.wardops.ward.internal.support;

import io.github.wardops.ward.Ticker;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * A bounded write-behind queue with one named worker thread: callers {@link #offer} values and
 * return at once; the worker hands them to a {@link BatchWriter} in batches. This is the one
 * "bounded queue + thread + drop counter" of ward; its users (the sink dispatchers, the
 * notification deliveries, PostgreSQL's state writer) keep their own metric names by mapping the
 * {@link Listener} callbacks onto them.
 *
 * <ul>
 *   <li><b>Bounded.</b> At most {@code capacity} units wait (one unit per value, or what the
 *       {@linkplain Builder#weigher weigher} says). An offer that does not fit is dropped and
 *       counted ({@link DropReason#QUEUE_FULL}); it never blocks. Storage grows with use: nothing
 *       is allocated up front for the whole capacity.</li>
 *   <li><b>FIFO or coalescing.</b> In {@linkplain Builder#coalescing coalescing} mode a value whose
 *       key is already queued is merged into the queued one (by default the newer value wins) and
 *       keeps its place in the queue, so the queue never grows for it; the pending data is then
 *       bounded by the number of keys.</li>
 *   <li><b>Batches.</b> The worker takes at most {@code batchSize} units at a time; when fewer are
 *       waiting it lingers up to {@code linger} for more (a {@link #flush} or {@link #close}
 *       cuts the linger short).</li>
 *   <li><b>Retry.</b> A batch whose write throws is put back at the head of the queue (a newer
 *       value for one of its keys is merged over it; what no longer fits is dropped as
 *       {@code QUEUE_FULL}) and retried after a backoff that doubles from {@code initialBackoff}
 *       up to {@code maxBackoff}; after {@code maxAttempts} consecutive failed attempts the batch
 *       is dropped ({@link DropReason#GAVE_UP}). Writes are never concurrent: values reach the
 *       writer in queue order.</li>
 *   <li><b>Errors.</b> A {@link Error} thrown by the writer is not retried: the batch is dropped
 *       ({@code GAVE_UP}) and the error goes to {@link Guard#fatal}, which hands it to the
 *       thread's uncaught-exception handler; if that handler returns, the worker goes on.</li>
 *   <li><b>Close.</b> {@link #close} stops taking values ({@link DropReason#CLOSED}) and lets the
 *       worker drain for at most the timeout; a retry whose backoff would end past that deadline
 *       is not waited for. What is left is dropped ({@link DropReason#SHUTDOWN}).</li>
 * </ul>
 * Time (linger, backoff, the close deadline) is read from a {@link Ticker}, so tests drive it
 * with a fake one. Thread-safe.
 *
 * @param <K> the key type of coalescing mode (unused in FIFO mode)
 * @param <V> the value type
 */
public final class WriteBehind<K, V> implements AutoCloseable {
    /** Longest single wait while a timed wait (linger, backoff) is running, so a fake ticker is seen. */
    private static final long MAX_WAIT_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    /** Why values were dropped. */
    public enum DropReason {
        /** The queue held {@code capacity} units, or a failed batch no longer fitted back. */
        QUEUE_FULL,
        /** Offered after {@link #close} began. */
        CLOSED,
        /** Still queued when {@link #close}'s timeout ran out (or its worker could not retry in time). */
        SHUTDOWN,
        /** The writer failed {@code maxAttempts} times in a row, or threw an {@link Error}. */
        GAVE_UP
    }

    /**
     * Writes one batch.
     *
     * @param <V> the value type
     */
    @FunctionalInterface
    public interface BatchWriter<V> {
        /**
         * Writes a batch; throws to have it retried (or dropped once the attempts are spent).
         *
         * @param batch the values, in queue order; unmodifiable, only valid during the call
         * @throws Exception when the batch was not written
         */
        void write(List<V> batch) throws Exception;
    }

    /**
     * What happened to the values, for the user's own meters and log lines. Called on the worker
     * thread (or the thread that called {@link #offer}, {@link #drainNow} or {@link #close}); must
     * not block or throw.
     *
     * @param <V> the value type
     */
    public interface Listener<V> {
        /**
         * Units were dropped.
         *
         * @param reason why
         * @param units how many units (values, or their weight)
         */
        default void dropped(DropReason reason, long units) {
        }

        /**
         * A batch was written.
         *
         * @param batch the batch
         * @param units its units
         * @param nanos how long the write took
         */
        default void written(List<V> batch, long units, long nanos) {
        }

        /**
         * An attempt to write a batch failed.
         *
         * @param batch the batch
         * @param error what the writer threw
         * @param attempt the number of consecutive failed attempts, from 1
         * @param retryInNanos the backoff before the next attempt, or {@code -1} when the batch is
         *     not retried (attempts spent, an {@link Error}, or closing)
         * @param nanos how long the attempt took
         */
        default void failed(List<V> batch, Throwable error, int attempt, long retryInNanos, long nanos) {
        }
    }

    private final String name;
    private final String label;
    private final BatchWriter<V> writer;
    private final int capacity;
    private final Function<? super V, ? extends K> keyOf;
    private final BinaryOperator<V> merge;
    private final ToIntFunction<? super V> weigher;
    private final int batchSize;
    private final long lingerNanos;
    private final int maxAttempts;
    private final long initialBackoffNanos;
    private final long maxBackoffNanos;
    private final Listener<V> listener;
    private final Ticker ticker;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /**
     * Held while a batch is taken, written and (on failure) put back: one writer at a time (and
     * one among the queues that share it, see {@link Builder#writeLock}).
     */
    private final ReentrantLock writeLock;
    // guarded by lock; exactly one of the two is used
    private final ArrayDeque<V> fifo;
    private final LinkedHashMap<K, V> byKey;
    private long queuedUnits;
    /** Units the worker dropped as {@code SHUTDOWN} while closing; part of what close returns. */
    private long shutdownUnits;
    private long inFlightUnits;
    private boolean closed;
    private boolean closeCalled;
    private boolean stopRequested;
    private long closeDeadline;
    /** When the queue last went from empty to not empty: lingering is counted from there. */
    private long firstQueuedAt;
    /** Callers waiting in {@link #flush}: no lingering while there are any. */
    private int flushers;
    /** Bumped by {@link #flush} and {@link #close}: a backoff that began before a bump ends early. */
    private long wakeups;
    private final Thread thread;

    private WriteBehind(Builder<K, V> b, boolean start) {
        this.name = b.name;
        this.writer = b.writer;
        this.capacity = b.capacity;
        this.keyOf = b.keyOf;
        this.merge = b.merge;
        this.weigher = b.weigher;
        this.batchSize = b.batchSize;
        this.lingerNanos = b.linger.toNanos();
        this.maxAttempts = b.maxAttempts;
        this.initialBackoffNanos = b.initialBackoff.toNanos();
        this.maxBackoffNanos = Math.max(initialBackoffNanos, b.maxBackoff.toNanos());
        this.listener = b.listener;
        this.ticker = b.ticker;
        this.writeLock = b.writeLock != null ? b.writeLock : new ReentrantLock();
        this.fifo = keyOf == null ? new ArrayDeque<>() : null;
        this.byKey = keyOf == null ? null : new LinkedHashMap<>();
        this.label = b.label == null ? name : b.label;
        this.thread = start ? Thread.ofPlatform().name(name).daemon(true).unstarted(this::run) : null;
    }

    /**
     * Starts the worker thread of a queue made by {@link Builder#build}. Values offered before
     * wait for it.
     *
     * @throws IllegalStateException when already started, or built without a thread
     */
    public void start() {
        if (thread == null) {
            throw new IllegalStateException(name + " has no worker thread");
        }
        thread.start();
    }

    /**
     * Starts describing a write-behind queue.
     *
     * @param <K> the key type (coalescing mode)
     * @param <V> the value type
     * @param name the worker thread's name, also used in log lines
     * @param writer writes a batch
     * @return a builder with capacity 1,000, FIFO, batches of one without linger, one attempt
     */
    public static <K, V> Builder<K, V> builder(String name, BatchWriter<V> writer) {
        return new Builder<>(name, writer);
    }

    /**
     * Queues a value; never blocks.
     *
     * @param value the value
     * @return {@code true} if it was queued (or merged into a queued value), {@code false} if it
     *     was dropped and counted
     */
    public boolean offer(V value) {
        Objects.requireNonNull(value, "value");
        DropReason drop;
        long units;
        lock.lock();
        try {
            if (closed) {
                drop = DropReason.CLOSED;
                units = weigh(value);
            } else if (fifo != null) {
                units = weigh(value);
                if (queuedUnits + units > capacity) {
                    drop = DropReason.QUEUE_FULL;
                } else {
                    if (queuedUnits == 0) {
                        firstQueuedAt = ticker.read();
                    }
                    fifo.addLast(value);
                    queuedUnits += units;
                    changed.signalAll();
                    return true;
                }
            } else {
                K key = keyOf.apply(value);
                V before = byKey.get(key);
                V after = before == null ? value : merge.apply(before, value);
                long delta = weigh(after) - (before == null ? 0 : weigh(before));
                if (delta > 0 && queuedUnits + delta > capacity) {
                    drop = DropReason.QUEUE_FULL;
                    units = weigh(value);
                } else {
                    if (queuedUnits == 0) {
                        firstQueuedAt = ticker.read();
                    }
                    byKey.put(key, after);
                    queuedUnits += delta;
                    changed.signalAll();
                    return true;
                }
            }
        } finally {
            lock.unlock();
        }
        listener.dropped(drop, units);
        return false;
    }

    /**
     * Units queued, not counting a batch being written.
     *
     * @return the count
     */
    public long queued() {
        lock.lock();
        try {
            return queuedUnits;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Units queued or being written.
     *
     * @return the count
     */
    public long pending() {
        lock.lock();
        try {
            return queuedUnits + inFlightUnits;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Asks the worker to write now (no linger, no waiting out a backoff) and waits until nothing
     * is pending, or the timeout passes.
     *
     * @param timeout how long to wait
     * @return whether nothing was pending when this returned
     * @throws InterruptedException when interrupted while waiting
     */
    public boolean flush(Duration timeout) throws InterruptedException {
        long deadline = ticker.read() + timeout.toNanos();
        lock.lock();
        try {
            flushers++;
            wakeups++;
            changed.signalAll();
            while (queuedUnits + inFlightUnits > 0) {
                if (thread == null || !thread.isAlive()) {
                    return false;
                }
                long left = deadline - ticker.read();
                if (left <= 0) {
                    return false;
                }
                changed.awaitNanos(Math.min(left, MAX_WAIT_SLICE_NANOS));
            }
            return true;
        } finally {
            flushers--;
            lock.unlock();
        }
    }

    /**
     * Writes everything pending on the calling thread, in batches, one attempt each. A batch whose
     * write fails is put back (as the worker does) and the failure propagates, leaving the rest
     * queued. Waits while the worker writes a batch, so values still reach the writer in order.
     *
     * @throws Exception what the writer threw
     */
    public void drainNow() throws Exception {
        writeLock.lock();
        try {
            // Bounded: everything that can be queued, in batches, and some for what comes meanwhile.
            long rounds = 4L * (capacity / batchSize + 1);
            for (long i = 0; i < rounds; i++) {
                Batch<V> b = take();
                if (b == null) {
                    return;
                }
                long t0 = ticker.read();
                try {
                    writer.write(b.view);
                } catch (Throwable e) {
                    putBack(b);
                    throw e;
                }
                listener.written(b.view, b.units, ticker.read() - t0);
                done(b);
            }
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Stops taking values, lets the worker drain for at most {@code timeout}, then drops and
     * counts what is left ({@link DropReason#SHUTDOWN}). Without a worker (see
     * {@link Builder#buildWithoutThread}) everything still queued is dropped at once. Idempotent:
     * a second call returns 0.
     *
     * @param timeout how long the worker may drain
     * @return the units dropped as {@code SHUTDOWN}, by the worker (a batch it could not retry
     *     in time, or whose write was interrupted) and by this call
     */
    public long close(Duration timeout) {
        long deadline;
        lock.lock();
        try {
            if (closeCalled) {
                return 0;
            }
            closeCalled = true;
            closed = true;
            deadline = ticker.read() + timeout.toNanos();
            closeDeadline = deadline;
            wakeups++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        boolean interrupted = false;
        if (thread != null) {
            try {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(Math.max(0, timeout.toNanos())) + 1));
                if (thread.isAlive()) {
                    thread.interrupt();
                    thread.join(1_000);
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        // The worker is gone (or stuck in a writer that ignores interrupts): take what is queued.
        long lost;
        long droppedByWorker;
        lock.lock();
        try {
            lost = queuedUnits;
            droppedByWorker = shutdownUnits;
            if (fifo != null) {
                fifo.clear();
            } else {
                byKey.clear();
            }
            queuedUnits = 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (lost > 0) {
            listener.dropped(DropReason.SHUTDOWN, lost);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return lost + droppedByWorker;
    }

    /**
     * Stops taking values ({@link DropReason#CLOSED}) and ends the worker after the batch it is
     * writing, without draining and without dropping anything: for a user that drains on its own
     * thread with {@link #drainNow} and then calls {@link #close}. Waits for the worker at most
     * {@code timeout}.
     *
     * @param timeout how long to wait for the worker to end
     */
    public void stopWorker(Duration timeout) {
        lock.lock();
        try {
            closed = true;
            stopRequested = true;
            wakeups++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (thread != null) {
            try {
                thread.join(Math.max(1, timeout.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Closes with a timeout of zero: nothing more is written. */
    @Override
    public void close() {
        close(Duration.ZERO);
    }

    /**
     * Whether {@link #close} was called.
     *
     * @return {@code true} once closing began
     */
    public boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ the worker

    private void run() {
        int failures = 0;
        long backoff = initialBackoffNanos;
        try {
            while (true) {
                if (!awaitBatch()) {
                    return;
                }
                long wakeupsBefore = wakeupCount();
                long failedAt;
                writeLock.lock();
                try {
                    Batch<V> b = take();
                    if (b == null) {
                        continue;
                    }
                    long t0 = ticker.read();
                    Throwable failure;
                    try {
                        writer.write(b.view);
                        failure = null;
                    } catch (Throwable e) {
                        failure = e;
                    }
                    failedAt = ticker.read();
                    long took = failedAt - t0;
                    if (failure == null) {
                        listener.written(b.view, b.units, took);
                        done(b);
                        failures = 0;
                        backoff = initialBackoffNanos;
                        continue;
                    }
                    if (failure instanceof InterruptedException || Thread.currentThread().isInterrupted()) {
                        // close gave up waiting and interrupted the writer
                        listener.failed(b.view, failure, failures + 1, -1, took);
                        drop(b, DropReason.SHUTDOWN);
                        return;
                    }
                    failures++;
                    if (failure instanceof Error err) {
                        listener.failed(b.view, err, failures, -1, took);
                        drop(b, DropReason.GAVE_UP);
                        failures = 0;
                        backoff = initialBackoffNanos;
                        Guard.fatal(label, err);
                        continue;
                    }
                    if (failures >= maxAttempts) {
                        listener.failed(b.view, failure, failures, -1, took);
                        drop(b, DropReason.GAVE_UP);
                        failures = 0;
                        backoff = initialBackoffNanos;
                        continue;
                    }
                    if (closingWithoutTimeFor(backoff)) {
                        listener.failed(b.view, failure, failures, -1, took);
                        drop(b, DropReason.SHUTDOWN);
                        return;
                    }
                    listener.failed(b.view, failure, failures, backoff, took);
                    putBack(b);
                } finally {
                    writeLock.unlock();
                }
                pause(failedAt + backoff, wakeupsBefore);
                backoff = Math.min(maxBackoffNanos, backoff > maxBackoffNanos / 2 ? maxBackoffNanos : backoff * 2);
            }
        } catch (InterruptedException e) {
            // close gave up waiting for the drain; it counts what is left
        }
    }

    /** Waits until a batch should be taken; {@code false} when the worker should end. */
    private boolean awaitBatch() throws InterruptedException {
        lock.lock();
        try {
            while (queuedUnits == 0 || stopRequested) {
                if (closed) {
                    return false;
                }
                changed.signalAll();
                changed.await();
            }
            if (lingerNanos > 0 && queuedUnits < batchSize) {
                long deadline = firstQueuedAt + lingerNanos;
                while (queuedUnits < batchSize && !closed && flushers == 0) {
                    long left = deadline - ticker.read();
                    if (left <= 0) {
                        break;
                    }
                    changed.awaitNanos(Math.min(left, MAX_WAIT_SLICE_NANOS));
                }
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private boolean closingWithoutTimeFor(long backoff) {
        lock.lock();
        try {
            return closeCalled && !stopRequested && ticker.read() + backoff - closeDeadline > 0;
        } finally {
            lock.unlock();
        }
    }

    private long wakeupCount() {
        lock.lock();
        try {
            return wakeups;
        } finally {
            lock.unlock();
        }
    }

    /** Waits out a backoff; a flush or a close since the failed attempt began cuts it short. */
    private void pause(long deadline, long wakeupsBefore) throws InterruptedException {
        lock.lock();
        try {
            while (wakeups == wakeupsBefore && !stopRequested) {
                long left = deadline - ticker.read();
                if (left <= 0) {
                    return;
                }
                changed.awaitNanos(Math.min(left, MAX_WAIT_SLICE_NANOS));
            }
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ queue operations

    private static final class Batch<V> {
        final List<V> values;
        final List<V> view;
        final long units;

        Batch(List<V> values, long units) {
            this.values = values;
            this.view = Collections.unmodifiableList(values);
            this.units = units;
        }
    }

    private long weigh(V v) {
        return weigher == null ? 1 : Math.max(1, weigher.applyAsInt(v));
    }

    /** Takes up to a batch off the head; {@code null} when nothing is queued. */
    private Batch<V> take() {
        lock.lock();
        try {
            if (queuedUnits == 0 && (fifo != null ? fifo.isEmpty() : byKey.isEmpty())) {
                return null;
            }
            List<V> values = new ArrayList<>(Math.min(batchSize, 64));
            long units = 0;
            if (fifo != null) {
                while (!fifo.isEmpty() && units < batchSize) {
                    V v = fifo.pollFirst();
                    values.add(v);
                    units += weigh(v);
                }
            } else {
                var it = byKey.values().iterator();
                while (it.hasNext() && units < batchSize) {
                    V v = it.next();
                    values.add(v);
                    units += weigh(v);
                    it.remove();
                }
            }
            queuedUnits -= units;
            inFlightUnits = units;
            return new Batch<>(values, units);
        } finally {
            lock.unlock();
        }
    }

    private void done(Batch<V> b) {
        lock.lock();
        try {
            inFlightUnits = 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void drop(Batch<V> b, DropReason reason) {
        listener.dropped(reason, b.units);
        if (reason == DropReason.SHUTDOWN) {
            lock.lock();
            try {
                shutdownUnits += b.units;
            } finally {
                lock.unlock();
            }
        }
        done(b);
    }

    /** Puts a failed batch back at the head, before anything queued since; newer values win. */
    private void putBack(Batch<V> b) {
        long lost = 0;
        lock.lock();
        try {
            inFlightUnits = 0;
            List<V> vs = b.values;
            if (fifo != null) {
                for (int i = vs.size() - 1; i >= 0; i--) {
                    long w = weigh(vs.get(i));
                    if (queuedUnits + w > capacity) {
                        for (int j = i; j >= 0; j--) {
                            lost += weigh(vs.get(j));
                        }
                        break;
                    }
                    fifo.addFirst(vs.get(i));
                    queuedUnits += w;
                }
            } else {
                for (int i = vs.size() - 1; i >= 0; i--) {
                    V old = vs.get(i);
                    K key = keyOf.apply(old);
                    V cur = byKey.get(key);
                    V merged = cur == null ? old : merge.apply(old, cur);
                    long delta = weigh(merged) - (cur == null ? 0 : weigh(cur));
                    if (delta > 0 && queuedUnits + delta > capacity) {
                        lost += weigh(old);
                        continue;
                    }
                    byKey.putFirst(key, merged);
                    queuedUnits += delta;
                }
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (lost > 0) {
            listener.dropped(DropReason.QUEUE_FULL, lost);
        }
    }

    @Override
    public String toString() {
        return "WriteBehind[" + label + "]";
    }

    /**
     * Describes a {@link WriteBehind}.
     *
     * @param <K> the key type (coalescing mode)
     * @param <V> the value type
     */
    public static final class Builder<K, V> {
        private final String name;
        private final BatchWriter<V> writer;
        private int capacity = 1_000;
        private Function<? super V, ? extends K> keyOf;
        private BinaryOperator<V> merge;
        private ToIntFunction<? super V> weigher;
        private int batchSize = 1;
        private Duration linger = Duration.ZERO;
        private int maxAttempts = 1;
        private Duration initialBackoff = Duration.ofMillis(100);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private Listener<V> listener = new Listener<>() {
        };
        private Ticker ticker = Ticker.system();
        private String label;
        private ReentrantLock writeLock;

        private Builder(String name, BatchWriter<V> writer) {
            this.name = Objects.requireNonNull(name, "name");
            this.writer = Objects.requireNonNull(writer, "writer");
        }

        /**
         * The most units that may wait.
         *
         * @param capacity at least 1
         * @return this
         */
        public Builder<K, V> capacity(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
            }
            this.capacity = capacity;
            return this;
        }

        /**
         * Coalesces by key: a value whose key is queued is merged into the queued value, which
         * keeps its place. Also used when a failed batch is put back: {@code merge(older, newer)}.
         *
         * @param keyOf a value's key
         * @param merge the value that replaces a queued one, from the older and the newer
         * @return this
         */
        public Builder<K, V> coalescing(Function<? super V, ? extends K> keyOf, BinaryOperator<V> merge) {
            this.keyOf = Objects.requireNonNull(keyOf, "keyOf");
            this.merge = Objects.requireNonNull(merge, "merge");
            return this;
        }

        /**
         * Coalesces by key, the newer value replacing the queued one.
         *
         * @param keyOf a value's key
         * @return this
         */
        public Builder<K, V> coalescing(Function<? super V, ? extends K> keyOf) {
            return coalescing(keyOf, (older, newer) -> newer);
        }

        /**
         * How many units a value counts for against the capacity and the batch size (default 1
         * each): for a value that stands for several rows.
         *
         * @param weigher a value's units; less than 1 counts as 1
         * @return this
         */
        public Builder<K, V> weigher(ToIntFunction<? super V> weigher) {
            this.weigher = Objects.requireNonNull(weigher, "weigher");
            return this;
        }

        /**
         * The most units handed to the writer at once, and how long to wait for a batch to fill.
         *
         * @param batchSize at least 1
         * @param linger zero to write whatever is queued at once
         * @return this
         */
        public Builder<K, V> batching(int batchSize, Duration linger) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
            }
            if (linger.isNegative()) {
                throw new IllegalArgumentException("linger must not be negative, got " + linger);
            }
            this.batchSize = batchSize;
            this.linger = linger;
            return this;
        }

        /**
         * Retries a failed batch: at most {@code maxAttempts} attempts in a row, waiting
         * {@code initialBackoff} after the first failure and twice as long after each further one,
         * up to {@code maxBackoff}.
         *
         * @param maxAttempts at least 1 (1: never retried)
         * @param initialBackoff the first wait
         * @param maxBackoff the longest wait
         * @return this
         */
        public Builder<K, V> retry(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("max attempts must be at least 1, got " + maxAttempts);
            }
            if (initialBackoff.isNegative() || maxBackoff.isNegative()) {
                throw new IllegalArgumentException("backoff must not be negative");
            }
            this.maxAttempts = maxAttempts;
            this.initialBackoff = initialBackoff;
            this.maxBackoff = maxBackoff;
            return this;
        }

        /**
         * Where drops, writes and failures are reported.
         *
         * @param listener the listener
         * @return this
         */
        public Builder<K, V> listener(Listener<V> listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * The time source of linger, backoff and the close deadline.
         *
         * @param ticker the ticker; {@link Ticker#system()} by default
         * @return this
         */
        public Builder<K, V> ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /**
         * What the queue is called in the fatal-error log line ({@link Guard#fatal}); the thread
         * name by default.
         *
         * @param label such as {@code sink 'victoria'}
         * @return this
         */
        public Builder<K, V> label(String label) {
            this.label = Objects.requireNonNull(label, "label");
            return this;
        }

        /**
         * Shares the lock held while a batch is written, so that the writes of all queues built
         * with the same lock never overlap: PostgreSQL's four state-write queues hold one database
         * connection at a time, as their one thread did.
         *
         * @param lock the shared lock
         * @return this
         */
        public Builder<K, V> writeLock(ReentrantLock lock) {
            this.writeLock = Objects.requireNonNull(lock, "lock");
            return this;
        }

        /**
         * Builds the queue and starts its worker thread.
         *
         * @return the running queue
         */
        public WriteBehind<K, V> start() {
            WriteBehind<K, V> w = new WriteBehind<>(this, true);
            w.start();
            return w;
        }

        /**
         * Builds the queue with its worker thread not yet started (see {@link WriteBehind#start()}).
         *
         * @return the queue
         */
        public WriteBehind<K, V> build() {
            return new WriteBehind<>(this, true);
        }

        /**
         * Builds the queue without a worker: only {@link #drainNow} writes (for tests).
         *
         * @return the queue
         */
        public WriteBehind<K, V> buildWithoutThread() {
            return new WriteBehind<>(this, false);
        }
    }
}
