package io.github.wardops.ward.runner.http;

import io.github.wardops.ward.Ward;
import io.github.wardops.ward.alert.Alert;
import io.github.wardops.ward.alert.Alerting;
import io.github.wardops.ward.internal.state.Tracker;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.state.DeviceState;
import io.github.wardops.ward.state.StateTracker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.ToIntFunction;

/**
 * The fleet the HTTP API answers for: the inventory, each device's reachability state, the open
 * alerts and the latest results. The resources read only this, never the engine, tracker or
 * alerting directly, so the same API serves a runner alone ({@link #local}: everything this
 * runner polls) and a runner in a cluster ({@link SharedFleetView}: the whole fleet, the devices
 * polled elsewhere from a periodic snapshot of the shared database). Implementations are
 * thread-safe.
 */
public interface FleetView {

    /**
     * The whole inventory, in the feed's order.
     *
     * @return the devices; never {@code null}
     */
    List<Device> devices();

    /**
     * One device of the inventory.
     *
     * @param id the id; never {@code null}
     * @return the device, or empty when the inventory has none with that id
     */
    Optional<Device> device(DeviceId id);

    /**
     * A device's reachability state.
     *
     * @param id the id; never {@code null}
     * @return the state, or empty when nobody has tracked it yet ({@code UNKNOWN})
     */
    Optional<DeviceState> state(DeviceId id);

    /**
     * A device's status bits, as {@link Tracker#statusBits}: the status's ordinal, or'ed with
     * {@link Tracker#FAILING_BIT} and {@link Tracker#FLAPPING_BIT}; -1 when not tracked. The
     * default reads {@link #state}.
     *
     * @return the function; never {@code null}
     */
    default ToIntFunction<DeviceId> statusBits() {
        return SummaryResource.bits(id -> state(id).orElse(null));
    }

    /**
     * What the tracker keeps of a device polled by this runner (measured values, interfaces,
     * dependents).
     *
     * @param id the id; never {@code null}
     * @return the view, or empty for a device not tracked here
     */
    Optional<io.github.wardops.ward.state.DeviceView> view(DeviceId id);

    /**
     * An interface's state, known only for devices this runner polls.
     *
     * @param id the device; never {@code null}
     * @param ifIndex the interface
     * @return the state, or empty
     */
    Optional<DeviceState> interfaceState(DeviceId id, int ifIndex);

    /**
     * The open alerts of the fleet.
     *
     * @return the alerts; never {@code null}
     */
    List<Alert> openAlerts();

    /**
     * The latest result of a device's check, known only for devices this runner polls.
     *
     * @param id the device; never {@code null}
     * @param check the check name
     * @return the result, or empty (never run, or the device is polled by another runner)
     */
    Optional<ProbeResult> latest(DeviceId id, String check);

    /**
     * Every check's latest result of a device, known only for devices this runner polls.
     *
     * @param id the device; never {@code null}
     * @return by check name; empty for a device polled by another runner
     */
    Map<String, ProbeResult> latestAll(DeviceId id);

    /**
     * Whether this runner polls the device itself (its state and alerts are this runner's own,
     * fresh ones).
     *
     * @param id the device; never {@code null}
     * @return whether it does
     */
    boolean polledHere(DeviceId id);

    /**
     * How old the shared part of this view is: empty for a view that has none ({@link #local}),
     * else the time since the last successful read of the shared state (empty too when none has
     * succeeded yet; see {@link #shared()}).
     *
     * @return the age
     */
    default Optional<Duration> age() {
        return Optional.empty();
    }

    /**
     * Whether the view has a shared part (cluster mode): then the answers carry its age.
     *
     * @return whether it does
     */
    default boolean shared() {
        return false;
    }

    /**
     * Says that the shared state changed through this runner (an acknowledgement): the next
     * reader reads it again instead of the snapshot. The default does nothing.
     */
    default void changed() {
    }

    /**
     * Today's single-runner view: the engine's inventory and latest results, the tracker's
     * states, alerting's open alerts.
     *
     * @param ward the engine; never {@code null}
     * @param tracker the device states; never {@code null}
     * @param alerting the open alerts; never {@code null}
     * @return the view
     */
    static FleetView local(Ward ward, StateTracker tracker, Alerting alerting) {
        Objects.requireNonNull(ward, "ward");
        Objects.requireNonNull(tracker, "tracker");
        Objects.requireNonNull(alerting, "alerting");
        ToIntFunction<DeviceId> bits = SummaryResource.statusOf(tracker);
        return new FleetView() {
            @Override
            public List<Device> devices() {
                return ward.inventory().devices();
            }

            @Override
            public Optional<Device> device(DeviceId id) {
                return ward.inventory().get(id);
            }

            @Override
            public Optional<DeviceState> state(DeviceId id) {
                return tracker.state(id);
            }

            @Override
            public ToIntFunction<DeviceId> statusBits() {
                return bits;
            }

            @Override
            public Optional<io.github.wardops.ward.state.DeviceView> view(DeviceId id) {
                return tracker.view(id);
            }

            @Override
            public Optional<DeviceState> interfaceState(DeviceId id, int ifIndex) {
                return tracker.interfaceState(id, ifIndex);
            }

            @Override
            public List<Alert> openAlerts() {
                return alerting.openAlerts();
            }

            @Override
            public Optional<ProbeResult> latest(DeviceId id, String check) {
                return ward.latest().get(id, check);
            }

            @Override
            public Map<String, ProbeResult> latestAll(DeviceId id) {
                return ward.latest().all(id);
            }

            @Override
            public boolean polledHere(DeviceId id) {
                return true;
            }
        };
    }
}
