package io.github.wardops.ward.snmp.poller;

import io.github.wardops.ward.inventory.DeviceId;
import java.net.InetAddress;
import java.util.Optional;

/**
 * Tells which device an address belongs to. {@link SnmpTrapReceiver} asks with a notification's
 * agent address first (when it has one), then with its UDP source address. Called on the
 * receiver's socket thread for every accepted datagram: it must be fast and must not block
 * (a map lookup, not a database query), and thread-safe, since the caller's own threads may
 * update what it reads. It must not return {@code null}: empty means unknown (a {@code null} is read as empty).
 */
@FunctionalInterface
public interface TrapSourceResolver {
    /**
     * The device with this address.
     *
     * @param address an agent or source address
     * @return the device, or empty when the address is unknown
     */
    Optional<DeviceId> resolve(InetAddress address);
}
