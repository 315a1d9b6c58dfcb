package io.github.wardops.ward.state;

import io.github.wardops.ward.internal.support.NumberMap;
import io.github.wardops.ward.inventory.Device;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Everything known about one device at one moment: the device (with its labels), its
 * reachability state, its watched interfaces and the latest numeric values of its checks.
 * Immutable and thread-safe.
 *
 * @param device the device; never {@code null}
 * @param state its reachability state; never {@code null}
 * @param interfaces the states of its watched interfaces by ifIndex; never {@code null}
 * @param values the latest numeric values, by name (see docs/state-and-alerts.md for the
 *     names); never {@code null}
 * @param interfaceValues the latest numeric values per interface (such as
 *     {@code if_util_in_pct}); never {@code null}
 * @param interfaceLabels the latest text values per interface (such as {@code if_role},
 *     {@code if_provider}, {@code if_name}), fed through
 *     {@link StateTracker#onInterfaceLabels}; never {@code null}
 * @param dependents how many devices depend on this one, directly or through others
 * @param parentFailing whether the device's parent is down, unreachable, failing its last
 *     cycle or flapping: a failing device behind it is then unreachable rather than down, and
 *     alerting holds its rules (and its flapping alert)
 * @param at when the view was taken; never {@code null}
 */
public record DeviceView(Device device, DeviceState state, Map<Integer, DeviceState> interfaces,
                         Map<String, Double> values, Map<Integer, Map<String, Double>> interfaceValues,
                         Map<Integer, Map<String, String>> interfaceLabels, int dependents, boolean parentFailing,
                         Instant at) {
    /**
     * Checks the components (each is described on the record) and copies its collections, so the
     * caller's later changes do not reach it (values already in ward's own immutable form, as
     * the state tracker builds them, are kept as they are).
     *
     * @throws NullPointerException if {@code device}, {@code state} or {@code at} is null
     */
    public DeviceView {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(at, "at");
        interfaces = Map.copyOf(interfaces);
        values = values instanceof NumberMap n ? n : Map.copyOf(values);
        interfaceValues = Map.copyOf(interfaceValues);
        interfaceLabels = Map.copyOf(interfaceLabels);
    }

    /**
     * A view without interface labels, as before they existed.
     *
     * @param device the device; never {@code null}
     * @param state its reachability state; never {@code null}
     * @param interfaces the states of its watched interfaces by ifIndex; never {@code null}
     * @param values the latest numeric values, by name; never {@code null}
     * @param interfaceValues the latest numeric values per interface; never {@code null}
     * @param dependents how many devices depend on this one
     * @param parentFailing whether the device's parent is in trouble
     * @param at when the view was taken; never {@code null}
     */
    public DeviceView(Device device, DeviceState state, Map<Integer, DeviceState> interfaces,
                      Map<String, Double> values, Map<Integer, Map<String, Double>> interfaceValues,
                      int dependents, boolean parentFailing, Instant at) {
        this(device, state, interfaces, values, interfaceValues, Map.of(), dependents, parentFailing, at);
    }
}
