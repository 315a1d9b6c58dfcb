package io.github.wardops.ward.internal.engine;

import io.github.wardops.ward.internal.support.LogLimiter;
import java.time.Clock;
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
 */
final class Schedule {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Schedule.class);
    private static final LogLimiter LOG_LIMIT = new LogLimiter(java.util.concurrent.TimeUnit.MINUTES.toNanos(1));
    interface Dispatcher {
        /** Called on the schedule thread with the lock not held; must return quickly. */
        void dispatch(CheckSlot slot, long plannedNanos);
    }

    private record Entry(long due, CheckSlot slot, long generation) {
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final PriorityQueue<Entry> heap = new PriorityQueue<>((a, b) -> Long.compare(a.due, b.due));
    private final Clock clock;
    private final Dispatcher dispatcher;
    private final LongConsumer missedSlots;
    private int live;
    private volatile boolean running;
    private Thread thread;

    Schedule(Clock clock, Dispatcher dispatcher, LongConsumer missedSlots) {
        this.clock = clock;
        this.dispatcher = dispatcher;
        this.missedSlots = missedSlots;
    }

    /** Schedules a slot that was not scheduled (new or re-enabled). */
    void add(CheckSlot slot) {
        push(slot, true);
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
            changed.signal();
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
        long nowNanos = System.nanoTime();
        java.time.Instant now = clock.instant();
        long wall = Math.floorMod(now.getEpochSecond(), 1L << 40) * 1_000_000_000L + now.getNano();
        long phase = Math.floorMod(wall - slot.offsetNanos(), interval);
        long wait = phase == 0 ? 0 : interval - phase;
        return nowNanos + wait;
    }

    private void compactIfNeeded() {
        if (heap.size() > 2L * Math.max(live, 0) + 1024) {
            PriorityQueue<Entry> fresh = new PriorityQueue<>(heap.comparator());
            for (Entry e : heap) {
                if (e.generation == e.slot.generation && !e.slot.removed) {
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
            // Recompute every due time from now, so a long gap between build and start causes no burst.
            Entry[] all = heap.toArray(new Entry[0]);
            heap.clear();
            for (Entry e : all) {
                if (e.generation == e.slot.generation && !e.slot.removed) {
                    heap.add(new Entry(firstDue(e.slot), e.slot, e.generation));
                }
            }
        } finally {
            lock.unlock();
        }
        thread = Thread.ofPlatform().name("ward-scheduler").daemon(true).start(this::loop);
    }

    void stop() {
        running = false;
        lock.lock();
        try {
            changed.signalAll();
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

    private void loop() {
        while (running) {
            Entry due = null;
            lock.lock();
            try {
                Entry head = heap.peek();
                if (head == null) {
                    changed.await();
                    continue;
                }
                if (head.generation != head.slot.generation || head.slot.removed) {
                    heap.poll();
                    continue;
                }
                long now = System.nanoTime();
                if (head.due - now > 0) {
                    changed.awaitNanos(head.due - now);
                    continue;
                }
                heap.poll();
                due = head;
                long interval = head.slot.check.interval().toNanos();
                long next = head.due + interval;
                if (next - now <= 0) {
                    long missed = (now - next) / interval + 1;
                    next += missed * interval;
                    missedSlots.accept(missed);
                }
                heap.add(new Entry(next, head.slot, head.generation));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                lock.unlock();
            }
            try {
                dispatcher.dispatch(due.slot, due.due);
            } catch (RuntimeException e) {
                // one check that could not be started must not end scheduling for the whole fleet
                if (LOG_LIMIT.allow("dispatch")) {
                    LOG.error("the scheduler could not start a check ({}); scheduling goes on, this message repeats at "
                            + "most once a minute", e.toString(), e);
                }
            }
        }
    }
}
