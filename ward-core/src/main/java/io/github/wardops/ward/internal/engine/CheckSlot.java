package io.github.wardops.ward.internal.engine;

import io.github.wardops.ward.inventory.Check;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.probe.ProbeResult;
import java.util.concurrent.CompletableFuture;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** The engine's state for one (device, check): what to probe, whether it is running, its latest result. */
final class CheckSlot {
    final String checkName;
    volatile Device device;
    volatile Check check;
    /** Bumped on every reschedule or removal; heap entries of an older generation are stale. */
    volatile long generation;
    volatile boolean removed;
    /** The probe running now, or null; set through {@link #RUNNING} (a field, not an AtomicReference: 16 bytes a check). */
    volatile CompletableFuture<ProbeResult> running;
    volatile ProbeResult latest;
    /** The outcome settled by enough probes in a row (true: up), or null before the first. */
    volatile Boolean settledOk;
    /** Probes in a row with the outcome {@link #streakOk} that differs from the settled one. */
    volatile int streak;
    volatile boolean streakOk;
    /** The current re-check's token; an entry with another token was superseded. Under the schedule's lock. */
    long recheckToken;
    /**
     * While the slot waits for a free probing thread: its planned start, and the next slot in the
     * engine's admission queue. Under the engine's admission lock. A slot waits at most once (its
     * {@link #running} claim keeps a second dispatch out), so the queue holds each slot at most once
     * and is bounded by the inventory, with no allocation per waiting probe.
     */
    long waitingPlannedNanos;
    CheckSlot nextWaiting;

    private static final VarHandle RUNNING;

    static {
        try {
            RUNNING = MethodHandles.lookup().findVarHandle(CheckSlot.class, "running", CompletableFuture.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Sets {@code running} when it is null; returns the witness value (null on success). */
    CompletableFuture<ProbeResult> claim(CompletableFuture<ProbeResult> f) {
        @SuppressWarnings("unchecked")
        CompletableFuture<ProbeResult> witness = (CompletableFuture<ProbeResult>) RUNNING.compareAndExchange(this, null, f);
        return witness;
    }

    CheckSlot(Device device, Check check) {
        this.device = device;
        this.check = check;
        this.checkName = check.name();
    }

    /** A stable phase within the interval, from a hash of (device id, check name). */
    long offsetNanos() {
        long h = device.id().value().getMostSignificantBits() * 0x9E3779B97F4A7C15L
                ^ Long.rotateLeft(device.id().value().getLeastSignificantBits(), 29)
                ^ (long) checkName.hashCode() * 0xC2B2AE3D27D4EB4FL;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return Math.floorMod(h, check.interval().toNanos());
    }
}
