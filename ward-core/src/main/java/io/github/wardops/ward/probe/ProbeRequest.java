package io.github.wardops.ward.probe;

import io.github.wardops.ward.inventory.Check;
import io.github.wardops.ward.inventory.Device;
import java.time.Instant;
import java.util.Objects;

/**
 * What a {@link Prober} is asked to do: probe one check of one device. Immutable.
 *
 * @param device the device; never {@code null}
 * @param check the check, one of the device's; never {@code null}
 * @param plannedAt when the scheduler planned this probe to start; never {@code null}
 */
public record ProbeRequest(Device device, Check check, Instant plannedAt) {
    /**
     * Checks the components; each is described on the record.
     *
     * @throws NullPointerException if {@code device}, {@code check} or {@code plannedAt} is null
     */
    public ProbeRequest {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(plannedAt, "plannedAt");
    }

    /**
     * The check's settings, cast to the prober's own type.
     *
     * @param type the settings class the prober expects
     * @param <S> the settings type
     * @return the settings
     * @throws IllegalArgumentException when the check has settings of another type
     */
    public <S> S settings(Class<S> type) {
        Object s = check.settings();
        if (!type.isInstance(s)) {
            throw new IllegalArgumentException("check '" + check.name() + "' has settings of type "
                    + s.getClass().getName() + ", expected " + type.getName());
        }
        return type.cast(s);
    }
}
