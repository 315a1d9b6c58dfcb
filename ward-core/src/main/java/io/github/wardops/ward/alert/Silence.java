package io.github.wardops.ward.alert;

import io.github.wardops.ward.inventory.DeviceId;
import java.time.Instant;
import java.util.Objects;

/**
 * A record that an alert was silenced by a maintenance window: the rule held for the device
 * while the window was active, so no alert opened and nothing was notified. Immutable.
 *
 * @param device the device; never {@code null}
 * @param ifIndex the interface, or 0
 * @param rule the rule's name; never {@code null}
 * @param window the maintenance window's name; never {@code null}
 * @param at when it was silenced; never {@code null}
 */
public record Silence(DeviceId device, int ifIndex, String rule, String window, Instant at) {
    /**
     * Checks the components; each is described on the record.
     *
     * @throws NullPointerException if {@code device}, {@code rule}, {@code window} or {@code at} is null
     */
    public Silence {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(at, "at");
    }
}
