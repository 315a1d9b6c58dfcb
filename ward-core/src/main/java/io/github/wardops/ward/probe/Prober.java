package io.github.wardops.ward.probe;

/**
 * A check type: how to probe one target. The engine calls {@link #probe} on a virtual thread,
 * at most once at a time per (device, check), and concurrently across targets, so
 * implementations must be thread-safe.
 *
 * <p>A probe reports what it found as a {@link ProbeResult}: a target that is down, refuses or
 * times out is a {@link ProbeResult.Down}, not an exception. An exception thrown from
 * {@code probe} is caught by the engine, counted, and turned into a {@link ProbeResult.Unknown}.
 * A probe must return within the check's timeout plus a small grace; the engine does not
 * interrupt it before then.
 *
 * <p>Built-in probers come from {@link Probers}. The engine closes only probers it created; a
 * prober handed to the engine's builder stays the caller's to close.
 */
public interface Prober extends AutoCloseable {

    /**
     * The check type this prober serves, matched against
     * {@link io.github.wardops.ward.inventory.CheckSettings#type()}.
     *
     * @return a short lower-case name such as {@code "icmp"}; never {@code null}
     */
    String type();

    /**
     * Probes one target once.
     *
     * @param request the device, the check and when the probe was planned; never {@code null}
     * @return the outcome; never {@code null}
     * @throws InterruptedException when the engine is shutting down
     */
    ProbeResult probe(ProbeRequest request) throws InterruptedException;

    /**
     * Releases the prober's resources (sockets, threads). Idempotent. The default does nothing.
     */
    @Override
    default void close() {
    }
}
