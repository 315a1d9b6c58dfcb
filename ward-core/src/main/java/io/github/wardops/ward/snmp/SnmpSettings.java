package io.github.wardops.ward.snmp;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.inventory.CheckSettings;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The settings of an SNMP check (type {@code "snmp"}): how to reach the agent and what to poll.
 * Credentials are given either inline ({@link #credentials()}) or by name
 * ({@link #credentialsRef()}, resolved through the SNMP poller's shared credentials, {@code SnmpOptions.Builder.credentials}
 * in ward-snmp), so a
 * shared community is configured once. Immutable; {@code toString()} never prints a secret.
 *
 * @param port the agent's UDP port, 1-65535
 * @param credentialsRef the name of shared credentials, or {@code null} when inline credentials are given
 * @param credentials inline credentials, or {@code null} when a reference is given
 * @param requestTimeout the time to wait for each request attempt, 10 ms-60 s
 * @param retries attempts after the first, 0-10
 * @param maxRepetitions GETBULK max-repetitions, 1-1000
 * @param maxVarbindsPerPdu the most varbinds in one request, 1-1000
 * @param polls what to poll; not empty
 * @param interfaceFilter which interfaces to poll
 * @param customItems the device's own items (besides its vendor template's)
 * @param rediscoveryInterval how often interfaces are rediscovered even without a sign of change; at least 1 minute
 */
public record SnmpSettings(int port, String credentialsRef, SnmpCredentials credentials, Duration requestTimeout,
                           int retries, int maxRepetitions, int maxVarbindsPerPdu, Set<Poll> polls,
                           InterfaceFilter interfaceFilter, List<SnmpItem> customItems,
                           Duration rediscoveryInterval) implements CheckSettings {
    /** The type name of SNMP checks. */
    public static final String TYPE = "snmp";

    /** What an SNMP check polls. */
    public enum Poll {
        /** sysDescr, sysObjectID, sysUpTime, sysName, sysLocation; the vendor. */
        SYSTEM,
        /** Interface discovery, status, counters and rates. */
        INTERFACES,
        /** The items of the device's vendor template. */
        TEMPLATE_ITEMS,
        /** The check's custom items and those of matching label selectors. */
        CUSTOM_ITEMS
    }

    /**
     * Validates; prefer {@link #builder()}, which reports every problem at once.
     */
    public SnmpSettings {
        polls = polls == null ? null : Set.copyOf(polls);
        customItems = customItems == null ? null : List.copyOf(customItems);
        List<String> p = problems(port, credentialsRef, credentials, requestTimeout, retries, maxRepetitions,
                maxVarbindsPerPdu, polls, interfaceFilter, customItems, rediscoveryInterval);
        if (!p.isEmpty()) {
            throw new InvalidConfigurationException("SnmpSettings", p);
        }
    }

    private static List<String> problems(int port, String ref, SnmpCredentials cred, Duration timeout, int retries,
                                         int reps, int perPdu, Set<Poll> polls, InterfaceFilter filter,
                                         List<SnmpItem> items, Duration rediscovery) {
        List<String> p = new ArrayList<>();
        if (port < 1 || port > 65535) {
            p.add("port = " + port + ": must be 1-65535");
        }
        if ((ref == null) == (cred == null)) {
            p.add("exactly one of credentialsRef and credentials must be set");
        }
        if (ref != null && ref.isBlank()) {
            p.add("credentialsRef must not be blank");
        }
        if (timeout == null || timeout.compareTo(Duration.ofMillis(10)) < 0 || timeout.compareTo(Duration.ofSeconds(60)) > 0) {
            p.add("requestTimeout = " + timeout + ": must be 10 ms-60 s");
        }
        if (retries < 0 || retries > 10) {
            p.add("retries = " + retries + ": must be 0-10");
        }
        if (reps < 1 || reps > 1000) {
            p.add("maxRepetitions = " + reps + ": must be 1-1000");
        }
        if (perPdu < 1 || perPdu > 1000) {
            p.add("maxVarbindsPerPdu = " + perPdu + ": must be 1-1000");
        }
        if (polls == null || polls.isEmpty()) {
            p.add("polls must name at least one of " + List.of(Poll.values()));
        }
        if (filter == null) {
            p.add("interfaceFilter must be set");
        }
        if (items == null) {
            p.add("customItems must be set (may be empty)");
        } else {
            Set<String> names = new HashSet<>();
            for (SnmpItem i : items) {
                if (!names.add(i.name())) {
                    p.add("customItems: two items named '" + i.name() + "'");
                }
            }
        }
        if (rediscovery == null || rediscovery.compareTo(Duration.ofMinutes(1)) < 0) {
            p.add("rediscoveryInterval = " + rediscovery + ": must be at least 1 minute");
        }
        return p;
    }

    @Override
    public String type() {
        return TYPE;
    }

    /**
     * The request target for a device at {@code address}.
     *
     * @param address the device's address
     * @return the target
     */
    public SnmpTarget target(InetAddress address) {
        return new SnmpTarget(address, port, requestTimeout, retries, maxRepetitions, maxVarbindsPerPdu);
    }

    /**
     * Starts settings with defaults: port 161, 1 s timeout, 1 retry, 25 repetitions, 50 varbinds
     * per request, every poll, all interfaces, no custom items, rediscovery every hour.
     *
     * @return a builder; not thread-safe
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link SnmpSettings}; {@link #build()} reports every invalid value at once. Not thread-safe. */
    public static final class Builder {
        private int port = SnmpTarget.DEFAULT_PORT;
        private String credentialsRef;
        private SnmpCredentials credentials;
        private Duration requestTimeout = Duration.ofSeconds(1);
        private int retries = 1;
        private int maxRepetitions = 25;
        private int maxVarbindsPerPdu = 50;
        private Set<Poll> polls = EnumSet.allOf(Poll.class);
        private InterfaceFilter interfaceFilter = InterfaceFilter.ALL;
        private List<SnmpItem> customItems = List.of();
        private Duration rediscoveryInterval = Duration.ofHours(1);

        private Builder() {
        }

        /**
         * Sets the port.
         *
         * @param p 1-65535
         * @return this builder
         */
        public Builder port(int p) {
            this.port = p;
            return this;
        }

        /**
         * Uses shared credentials by name (clears inline credentials).
         *
         * @param name the name given to {@code SnmpOptions.Builder.credentials} (ward-snmp)
         * @return this builder
         */
        public Builder credentialsRef(String name) {
            this.credentialsRef = name;
            this.credentials = null;
            return this;
        }

        /**
         * Uses inline credentials (clears a reference).
         *
         * @param c the credentials
         * @return this builder
         */
        public Builder credentials(SnmpCredentials c) {
            this.credentials = c;
            this.credentialsRef = null;
            return this;
        }

        /**
         * Sets the per-attempt timeout.
         *
         * @param t 10 ms-60 s
         * @return this builder
         */
        public Builder requestTimeout(Duration t) {
            this.requestTimeout = t;
            return this;
        }

        /**
         * Sets the retries.
         *
         * @param r 0-10
         * @return this builder
         */
        public Builder retries(int r) {
            this.retries = r;
            return this;
        }

        /**
         * Sets GETBULK max-repetitions.
         *
         * @param r 1-1000
         * @return this builder
         */
        public Builder maxRepetitions(int r) {
            this.maxRepetitions = r;
            return this;
        }

        /**
         * Sets the most varbinds per request.
         *
         * @param n 1-1000
         * @return this builder
         */
        public Builder maxVarbindsPerPdu(int n) {
            this.maxVarbindsPerPdu = n;
            return this;
        }

        /**
         * Sets what to poll.
         *
         * @param p the polls; not empty
         * @return this builder
         */
        public Builder polls(Set<Poll> p) {
            this.polls = p;
            return this;
        }

        /**
         * Sets the interface filter.
         *
         * @param f the filter
         * @return this builder
         */
        public Builder interfaceFilter(InterfaceFilter f) {
            this.interfaceFilter = f;
            return this;
        }

        /**
         * Sets the custom items.
         *
         * @param items the items; names unique
         * @return this builder
         */
        public Builder customItems(List<SnmpItem> items) {
            this.customItems = items;
            return this;
        }

        /**
         * Sets the rediscovery interval.
         *
         * @param d at least 1 minute
         * @return this builder
         */
        public Builder rediscoveryInterval(Duration d) {
            this.rediscoveryInterval = d;
            return this;
        }

        /**
         * Builds the settings.
         *
         * @return the settings
         * @throws InvalidConfigurationException listing every invalid value
         */
        public SnmpSettings build() {
            return new SnmpSettings(port, credentialsRef, credentials, requestTimeout, retries, maxRepetitions,
                    maxVarbindsPerPdu, polls == null ? null : Set.copyOf(polls), interfaceFilter,
                    customItems == null ? null : List.copyOf(customItems), rediscoveryInterval);
        }
    }

    /**
     * Copies settings into a builder, to change a few values.
     *
     * @return a builder holding these settings
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.port = port;
        b.credentialsRef = credentialsRef;
        b.credentials = credentials;
        b.requestTimeout = requestTimeout;
        b.retries = retries;
        b.maxRepetitions = maxRepetitions;
        b.maxVarbindsPerPdu = maxVarbindsPerPdu;
        b.polls = polls;
        b.interfaceFilter = interfaceFilter;
        b.customItems = customItems;
        b.rediscoveryInterval = rediscoveryInterval;
        return b;
    }

}
