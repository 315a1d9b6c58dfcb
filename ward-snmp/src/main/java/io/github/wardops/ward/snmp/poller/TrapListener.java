package io.github.wardops.ward.snmp.poller;

import io.github.wardops.ward.inventory.DeviceId;

/**
 * Receives the traps and informs that {@link SnmpTrapReceiver} matched to a device. Called on the
 * receiver's one delivery thread, never on its socket thread, one event at a time; a slow
 * listener fills the bounded queue (later events are dropped and counted), a listener that
 * throws is logged and counted and keeps receiving. Calls come from that one thread, so an
 * implementation need not be thread-safe for the receiver's sake. Arguments are never {@code null}.
 */
@FunctionalInterface
public interface TrapListener {
    /**
     * One accepted notification of a known device.
     *
     * @param device the device the {@link TrapSourceResolver} named
     * @param event the notification
     */
    void onTrap(DeviceId device, TrapEvent event);
}
