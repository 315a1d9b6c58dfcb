package io.github.wardops.ward.inventory;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A monitored device. Immutable and thread-safe; changes are new instances applied to the
 * {@link Inventory}.
 *
 * <p>Its name and labels hold no control characters (U+0000-U+001F, TAB included, and
 * U+007F-U+009F), and its address is one ward may probe: never multicast, broadcast or
 * unspecified ({@link Addresses#requireProbeable}). Link-local addresses are accepted here; the
 * engine and the inventory readers refuse them unless allowed explicitly.
 *
 * @param id the stable id; never {@code null}
 * @param name a display name (kept as given, trailing spaces included); never {@code null}
 * @param address the IPv4 or IPv6 address probes go to; never {@code null}
 * @param labels key/value labels such as {@code region}, {@code branch}, {@code device_type};
 *     never {@code null}, iteration order kept
 * @param parentId the device this one is reached through (its branch router, say), or
 *     {@code null}
 * @param enabled whether the device is probed
 * @param checks the device's checks, names unique; never {@code null}
 */
public record Device(DeviceId id, String name, InetAddress address, Map<String, String> labels,
                     DeviceId parentId, boolean enabled, List<Check> checks) {

    /**
     * Validates the device and copies its collections.
     *
     * @throws IllegalArgumentException when the name or a label holds a control character, the
     *        address is one ward never probes, two checks share a name, or the device is its own parent
     */
    public Device {
        Objects.requireNonNull(id, "device id");
        Objects.requireNonNull(name, "device name");
        Objects.requireNonNull(address, "device address");
        Objects.requireNonNull(labels, "device labels");
        Objects.requireNonNull(checks, "device checks");
        labels = io.github.wardops.ward.internal.support.ArrayMap.copyOf(labels);
        if (Text.firstControl(name) >= 0) {
            throw new IllegalArgumentException("device " + id + ": the name " + Text.describeControl(name));
        }
        for (Map.Entry<String, String> e : labels.entrySet()) {
            String k = Objects.requireNonNull(e.getKey(), "label key");
            String v = Objects.requireNonNull(e.getValue(), "label value");
            if (Text.firstControl(k) >= 0) {
                throw new IllegalArgumentException("device " + id + ": a label key " + Text.describeControl(k));
            }
            if (Text.firstControl(v) >= 0) {
                throw new IllegalArgumentException("device " + id + ": label '" + k + "' " + Text.describeControl(v));
            }
        }
        String refused = Addresses.refusal(address, true);
        if (refused != null) {
            throw new IllegalArgumentException("device " + id + ": " + refused);
        }
        checks = List.copyOf(checks);
        Set<String> names = new HashSet<>();
        for (Check c : checks) {
            if (!names.add(c.name())) {
                throw new IllegalArgumentException("device " + id + " has two checks named '" + c.name() + "'");
            }
        }
        if (id.equals(parentId)) {
            throw new IllegalArgumentException("device " + id + " cannot be its own parent");
        }
    }

    /**
     * The parent device, if any.
     *
     * @return the parent id
     */
    public Optional<DeviceId> parent() {
        return Optional.ofNullable(parentId);
    }

    /**
     * The check with this name, if the device has it.
     *
     * @param checkName the name
     * @return the check
     */
    public Optional<Check> check(String checkName) {
        for (Check c : checks) {
            if (c.name().equals(checkName)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /**
     * A label's value.
     *
     * @param key the label key
     * @return the value, if set
     */
    public Optional<String> label(String key) {
        return Optional.ofNullable(labels.get(key));
    }

    /**
     * A copy with other checks.
     *
     * @param newChecks the checks
     * @return the changed device
     */
    public Device withChecks(List<Check> newChecks) {
        return new Device(id, name, address, labels, parentId, enabled, newChecks);
    }

    /**
     * A copy with one more check, replacing a check of the same name.
     *
     * @param check the check
     * @return the changed device
     */
    public Device withCheck(Check check) {
        List<Check> list = new ArrayList<>(checks.size() + 1);
        for (Check c : checks) {
            if (!c.name().equals(check.name())) {
                list.add(c);
            }
        }
        list.add(check);
        return withChecks(list);
    }

    /**
     * A copy that is enabled or disabled.
     *
     * @param on whether enabled
     * @return the changed device
     */
    public Device withEnabled(boolean on) {
        return new Device(id, name, address, labels, parentId, on, checks);
    }

    /**
     * Starts a device.
     *
     * @param id the id
     * @param name the name
     * @param address the address
     * @return a builder
     */
    public static Builder builder(DeviceId id, String name, InetAddress address) {
        return new Builder(id, name, address);
    }

    /** Builds a {@link Device}. Not thread-safe. */
    public static final class Builder {
        private final DeviceId id;
        private final String name;
        private final InetAddress address;
        private final Map<String, String> labels = new LinkedHashMap<>();
        private DeviceId parentId;
        private boolean enabled = true;
        private final List<Check> checks = new ArrayList<>();

        private Builder(DeviceId id, String name, InetAddress address) {
            this.id = id;
            this.name = name;
            this.address = address;
        }

        /**
         * Sets a label.
         *
         * @param key the key
         * @param value the value
         * @return this builder
         */
        public Builder label(String key, String value) {
            labels.put(Objects.requireNonNull(key), Objects.requireNonNull(value));
            return this;
        }

        /**
         * Sets labels.
         *
         * @param all the labels
         * @return this builder
         */
        public Builder labels(Map<String, String> all) {
            labels.putAll(all);
            return this;
        }

        /**
         * Sets the parent device.
         *
         * @param parent the parent, or {@code null}
         * @return this builder
         */
        public Builder parent(DeviceId parent) {
            this.parentId = parent;
            return this;
        }

        /**
         * Sets whether the device is probed (default {@code true}).
         *
         * @param on whether enabled
         * @return this builder
         */
        public Builder enabled(boolean on) {
            this.enabled = on;
            return this;
        }

        /**
         * Adds a check.
         *
         * @param check the check
         * @return this builder
         */
        public Builder check(Check check) {
            checks.add(Objects.requireNonNull(check));
            return this;
        }

        /**
         * Builds the device.
         *
         * @return the device
         */
        public Device build() {
            return new Device(id, name, address, labels, parentId, enabled, checks);
        }
    }
}
