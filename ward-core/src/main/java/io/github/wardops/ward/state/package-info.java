/**
 * Device state: one source of truth per device (and per watched interface), built from probe
 * results with N-of-M confirmation, Icinga-style flap detection and parent/child dependencies.
 *
 * <p>Entry point: {@link io.github.wardops.ward.state.StateTracker#builder()}. The tracker is a
 * {@link io.github.wardops.ward.probe.ResultListener}: register it with
 * {@code Ward.builder().listener(tracker)}. SPIs: {@link io.github.wardops.ward.state.StateStore}
 * (persistence) and {@link io.github.wardops.ward.state.StateListener} (transitions).
 */
package io.github.wardops.ward.state;
