package io.github.wardops.ward.internal.engine;

import io.github.wardops.ward.Ticker;
import io.github.wardops.ward.internal.support.LogLimiter;
import java.time.Duration;
import java.time.InstantSource;
import java.util.PriorityQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;

/**
 * The timetable: a min-heap of (due time, slot) on one platform thread. Each enabled (device,
 * check) has one live entry; changes push a new entry with a new generation and leave the old
 * one to be discarded when it surfaces, and the heap is compacted when stale entries pile up,
 * so its size stays bounded by the inventory.
 *
 * <p>Planned times sit on a grid: {@code offset + k * interval} in wall-clock time, where the
 * offset comes from a hash of the slot's id, so checks spread evenly over their interval and
 * keep their phase across restarts.
 *
 * <p>Due times are readings of the engine's {@link Ticker}; the wall clock only sets the phase.
 * The thread sleeps until the next due reading and also wakes when the ticker says it jumped
 * ({@link Ticker#onAdvance}), so a fake ticker drives the schedule without real waiting.
 */
final class Schedule {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Schedule.class);
    interface Dispatcher {
        /** Called on the schedule thread with the lock not held; must return quickly. */
        void dispatch(CheckSlot slot, long plannedNanos, boolean recheck);
    }

    /** A heap entry; {@code recheck} is 0 for the slot's grid entry, else the re-check's token. */
    private record Entry(long due, CheckSlot slot, long generation, long recheck) {
        Entry(long due, CheckSlot slot, long generation) {
            this(due, slot, generation, 0);
        }

        boolean current() {
            return generation == slot.generation && !slot.removed && (recheck == 0 || recheck == slot.recheckToken);
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Condition settled = lock.newCondition();
    private final PriorityQueue<Entry> heap = new PriorityQueue<>((a, b) -> Long.compare(a.due, b.due));
    private final InstantSource clock;
    private final Ticker ticker;
    private final LogLimiter logLimit;
    private final Dispatcher dispatcher;
    private final LongConsumer missedSlots;
    private int live;
    /** Whether the thread waits with nothing due and nothing changed since it looked; under the lock. */
    private boolean idle;
    private volatile boolean running;
    private Thread thread;
    private Ticker.Registration wakeOnAdvance = Ticker.Registration.NONE;

    Schedule(InstantSource clock, Ticker ticker, Dispatcher dispatcher, LongConsumer missedSlots) {
        this.clock = clock;
        this.ticker = ticker;
        this.logLimit = new LogLimiter(java.util.concurrent.TimeUnit.MINUTES.toNanos(1), ticker);
        this.dispatcher = dispatcher;
        this.missedSlots = missedSlots;
    }

    /** Schedules a slot that was not scheduled (new or re-enabled). */
    void add(CheckSlot slot) {
        push(slot, true);
    }

    /**
     * Adds one extra run of a scheduled slot at {@code due}, outside its grid; the slot keeps its
     * grid entry. A later re-check of the same slot supersedes an earlier one, so each slot has
     * at most one live re-check and the heap stays bounded by the inventory.
     *
     * @param slot the slot
     * @param due the ticker reading to run it at
     */
    void recheck(CheckSlot slot, long due) {
        lock.lock();
        try {
            if (slot.removed) {
                return;
            }
            slot.recheckToken++;
            heap.add(new Entry(due, slot, slot.generation, slot.recheckToken));
            compactIfNeeded();
            wake();
        } finally {
            lock.unlock();
        }
    }

    /** Reschedules a scheduled slot whose interval changed, invalidating its earlier entry. */
    void reschedule(CheckSlot slot) {
        push(slot, false);
    }

    private void push(CheckSlot slot, boolean isNew) {
        lock.lock();
        try {
            slot.generation++;
            heap.add(new Entry(firstDue(slot), slot, slot.generation));
            if (isNew) {
                live++;
            }
            compactIfNeeded();
            wake();
        } finally {
            lock.unlock();
        }
    }

    /** Makes the thread look at the heap and the ticker again; call with the lock held. */
    private void wake() {
        idle = false;
        changed.signal();
    }

    /** Called by the ticker after it jumped: due times may have come. */
    private void ticked() {
        lock.lock();
        try {
            wake();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until the thread has started every check due at the ticker's current reading and
     * waits for a later one, with no change since (a test hook: advance a fake ticker, then call
     * this, then look at what ran). Returns at once when the schedule is not running.
     *
     * @param timeout how long to wait in real time
     * @return whether the schedule went idle in time
     * @throws InterruptedException if interrupted while waiting
     */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        long left = timeout.toNanos();
        lock.lock();
        try {
            while (running && !idle) {
                if (left <= 0) {
                    return false;
                }
                left = settled.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Unschedules a slot. */
    void remove(CheckSlot slot) {
        lock.lock();
        try {
            slot.generation++;
            live--;
            compactIfNeeded();
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return heap.size();
        } finally {
            lock.unlock();
        }
    }

    private long firstDue(CheckSlot slot) {
        long interval = slot.check.interval().toNanos();
        long nowNanos = ticker.read();
        java.time.Instant now = clock.instant();
        long wall = Math.floorMod(now.getEpochSecond(), 1L << 40) * 1_000_000_000L + now.getNano();
        long phase = Math.floorMod(wall - slot.offsetNanos(), interval);
        long wait = phase == 0 ? 0 : interval - phase;
        return nowNanos + wait;
    }

    private void compactIfNeeded() {
        if (heap.size() > 3L * Math.max(live, 0) + 1024) {
            PriorityQueue<Entry> fresh = new PriorityQueue<>(heap.comparator());
            for (Entry e : heap) {
                if (e.current()) {
                    fresh.add(e);
                }
            }
            heap.clear();
            heap.addAll(fresh);
        }
    }

    void start() {
        lock.lock();
        try {
            if (running) {
                return;
            }
            running = true;
            idle = false;
            // Recompute every due time from now, so a long gap between build and start causes no burst.
            Entry[] all = heap.toArray(new Entry[0]);
            heap.clear();
            for (Entry e : all) {
                if (e.current() && e.recheck == 0) {
                    heap.add(new Entry(firstDue(e.slot), e.slot, e.generation));
                }
            }
        } finally {
            lock.unlock();
        }
        wakeOnAdvance = ticker.onAdvance(this::ticked);
        thread = Thread.ofPlatform().name("ward-scheduler").daemon(true).start(this::loop);
    }

    void stop() {
        running = false;
        wakeOnAdvance.close();
        lock.lock();
        try {
            changed.signalAll();
            settled.signalAll();
        } finally {
            lock.unlock();
        }
        Thread t = thread;
        if (t != null) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The shortest sleep of the scheduler thread, in real time. */
    static final long MIN_SLEEP_NANOS = 1_000_000;

    private void loop() {
        while (running) {
            Entry due = null;
            lock.lock();
            try {
                Entry head = heap.peek();
                if (head == null) {
                    awaitChange(Long.MAX_VALUE);
                    continue;
                }
                if (!head.current()) {
                    heap.poll();
                    continue;
                }
                long now = ticker.read();
                if (head.due - now > 0) {
                    // Sleep at least a millisecond: the checks due within it start together on
                    // the next wake. At 100,000 devices every 30 s one check is due every 300 us,
                    // and a wake per check cost the scheduler a futex call each; lag stays under 1 ms.
                    awaitChange(Math.max(head.due - now, MIN_SLEEP_NANOS));
                    continue;
                }
                idle = false;
                heap.poll();
                due = head;
                if (head.recheck == 0) {
                    // a re-check is a one-off run: only a grid entry plans the next one
                    long interval = head.slot.check.interval().toNanos();
                    long next = head.due + interval;
                    if (next - now <= 0) {
                        long missed = (now - next) / interval + 1;
                        next += missed * interval;
                        missedSlots.accept(missed);
                    }
                    heap.add(new Entry(next, head.slot, head.generation));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                lock.unlock();
            }
            try {
                dispatcher.dispatch(due.slot, due.due, due.recheck != 0);
            } catch (RuntimeException e) {
                // one check that could not be started must not end scheduling for the whole fleet
                if (logLimit.allow("dispatch")) {
                    LOG.error("the scheduler could not start a check ({}); scheduling goes on, this message repeats at "
                            + "most once a minute", e.toString(), e);
                }
            }
        }
    }

    /**
     * Sleeps until signalled or for at most {@code nanos} of real time (the wait is only a bound:
     * on a fake ticker the next due reading comes through {@link #ticked}); call with the lock
     * held. Marks the schedule idle for {@link #awaitIdle} first: the heap and the ticker were
     * just read under the lock, and every change since wakes the thread and clears the mark.
     */
    private void awaitChange(long nanos) throws InterruptedException {
        if (!running) {
            return;
        }
        idle = true;
        settled.signalAll();
        changed.awaitNanos(nanos);
    }
}
