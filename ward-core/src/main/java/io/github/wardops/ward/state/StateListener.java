package io.github.wardops.ward.state;

/**
 * Receives every state transition, and optionally every update, from a {@link StateTracker}.
 *
 * <p>Called inline on the thread that processed the result, never concurrently for the same
 * device, concurrently for different devices. Must be fast and must not block on I/O. A listener
 * that throws is counted ({@code ward.state.listener.failures}) and the others still run.
 */
public interface StateListener {

    /**
     * A status or flapping flag changed.
     *
     * @param transition the change; never {@code null}
     */
    void onTransition(StateTransition transition);

    /**
     * A device's view after a result (or an interface sample) was applied, whether or not its
     * status changed; also called once per restored device by {@link StateTracker#start()}.
     * Rule evaluation hangs here. The default does nothing.
     *
     * @param view the device's view; never {@code null}
     */
    default void onUpdate(DeviceView view) {
    }

    /**
     * A device left the inventory; its state was freed. The default does nothing.
     *
     * @param device the removed device; never {@code null}
     */
    default void onRemoved(io.github.wardops.ward.inventory.DeviceId device) {
    }

    /**
     * Devices were {@link StateTracker#adopt adopted}: taken over from another instance, their
     * stored states restored. Called before their first {@link #onUpdate}, so a listener with
     * stored state of its own (alerting's open alerts) loads it here. The default does nothing.
     *
     * @param devices the adopted devices; never {@code null}
     */
    default void onAdopted(java.util.Collection<io.github.wardops.ward.inventory.DeviceId> devices) {
    }

    /**
     * Devices were {@link StateTracker#release released} to another instance: forget them in
     * memory, but keep what is stored for them (the next owner carries on from there) and tell no
     * one. One call per {@link StateTracker#release}. The default does nothing.
     *
     * @param devices the released devices; never {@code null}
     */
    default void onReleased(java.util.Collection<io.github.wardops.ward.inventory.DeviceId> devices) {
    }

    /**
     * Called when ward itself becomes impaired or healthy again, judged by the tracker's sweep:
     * impaired while more than {@link StateTracker.Builder#impairedAbove the bound} of the
     * devices are stale (no probe of theirs completed for the stale bound). One call per change,
     * never per device; {@link io.github.wardops.ward.alert.Alerting} turns it into one
     * self-health alert.
     *
     * @param problem what is wrong, in words, or {@code null} when ward is healthy again
     */
    default void onHealth(String problem) {
    }
}
