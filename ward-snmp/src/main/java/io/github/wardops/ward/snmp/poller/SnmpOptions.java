package io.github.wardops.ward.snmp.poller;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.Ticker;
import io.github.wardops.ward.internal.support.Time;
import io.github.wardops.ward.snmp.SnmpCredentials;
import io.github.wardops.ward.snmp.SnmpItem;
import io.github.wardops.ward.snmp.SnmpSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Options of the SNMP session shared by every SNMP check of one ward instance: limits, shared
 * credentials, templates, interface classification rules, the state bound, meters, the clock and
 * the ticker.
 * Built with {@link #builder()}, which reports every invalid value at once. Immutable.
 */
public final class SnmpOptions {
    /**
     * The interval the SNMP poller is designed around when a check does not ask for another: 60 s.
     * Each poll reads {@code sysUpTime} and the interface counters, so a minute keeps rates smooth
     * and the load on agents low; 32-bit octet counters of links up to about 500 Mbit/s wrap at
     * most once in it. A check's own interval ({@code Check.interval()}) always wins; ward's
     * runner uses this for {@code --snmp-interval}.
     */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(60);

    private final int maxRequestsInFlight;
    private final int maxRequestsPerDevice;
    private final Map<String, SnmpCredentials> credentials;
    private final int maxDevices;
    private final int stateExpiryIntervals;
    private final int maxWalkVarbinds;
    private final int maxInterfacesPerDevice;
    private final int maxTableRows;
    private final MeterRegistry meterRegistry;
    private final InstantSource clock;
    private final Ticker ticker;
    private final List<VendorTemplate> templates;
    private final List<LabelItems> labelItems;
    private final List<InterfaceRule> interfaceRules;
    private final InetAddress bindAddress;
    private final int receiveBufferBytes;
    private final byte[] localEngineId;

    /**
     * Custom items for every device whose labels include all of {@code selector}.
     *
     * @param selector label key/value pairs a device must have; not empty
     * @param items the items
     */
    public record LabelItems(Map<String, String> selector, List<SnmpItem> items) {
        /**
         * Checks the components (each is described on the record) and copies its collections, so
         * the caller's later changes do not reach it.
         *
         * @throws IllegalArgumentException if a component is out of its range; the message names it
         */
        public LabelItems {
            selector = Map.copyOf(selector);
            items = List.copyOf(items);
            if (selector.isEmpty()) {
                throw new IllegalArgumentException("a label selector needs at least one label");
            }
        }

        /**
         * Whether a device's labels match.
         *
         * @param labels the device's labels
         * @return {@code true} when every selector entry is present with the same value
         */
        public boolean matches(Map<String, String> labels) {
            for (var e : selector.entrySet()) {
                if (!e.getValue().equals(labels.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
    }

    private SnmpOptions(Builder b) {
        maxRequestsInFlight = b.maxRequestsInFlight;
        maxRequestsPerDevice = b.maxRequestsPerDevice;
        credentials = Map.copyOf(b.credentials);
        maxDevices = b.maxDevices;
        stateExpiryIntervals = b.stateExpiryIntervals;
        maxWalkVarbinds = b.maxWalkVarbinds;
        maxInterfacesPerDevice = b.maxInterfacesPerDevice;
        maxTableRows = b.maxTableRows;
        meterRegistry = b.meterRegistry == null ? new SimpleMeterRegistry() : b.meterRegistry;
        clock = b.clock;
        ticker = b.ticker == null ? Time.defaultTicker(b.clock) : b.ticker;
        templates = List.copyOf(b.templates);
        labelItems = List.copyOf(b.labelItems);
        interfaceRules = List.copyOf(b.interfaceRules);
        bindAddress = b.bindAddress;
        receiveBufferBytes = b.receiveBufferBytes;
        localEngineId = b.localEngineId == null ? null : b.localEngineId.clone();
    }

    /**
     * Default options.
     *
     * @return the defaults
     */
    public static SnmpOptions defaults() {
        return builder().build();
    }

    /**
     * Starts options with defaults: 2,000 requests in flight, 1 per device, state for 100,000
     * devices kept 3 intervals, 1,000,000 varbinds per walk, 100,000 interfaces per device, the
     * built-in templates, no interface rules, the wildcard bind address, a 4 MiB receive buffer,
     * the system clock and ticker, a private meter registry and a random local engine ID.
     *
     * @return a builder; not thread-safe
     */
    public static Builder builder() {
        return new Builder();
    }

    /**

     * Returns the global limit on requests in flight.

     *

     * @return the global limit on requests in flight

     */
    public int maxRequestsInFlight() {
        return maxRequestsInFlight;
    }

    /**

     * Returns the limit of requests in flight to one device (1 or 2).

     *

     * @return the limit of requests in flight to one device (1 or 2)

     */
    public int maxRequestsPerDevice() {
        return maxRequestsPerDevice;
    }

    /**

     * Returns shared credentials by name; immutable.

     *

     * @return shared credentials by name; immutable

     */
    public Map<String, SnmpCredentials> credentials() {
        return credentials;
    }

    /**

     * Returns the most devices whose polling state (previous counters, interfaces) is kept.

     *

     * @return the most devices whose polling state (previous counters, interfaces) is kept

     */
    public int maxDevices() {
        return maxDevices;
    }

    /**

     * Returns after how many check intervals without a poll a device's state is dropped.

     *

     * @return after how many check intervals without a poll a device's state is dropped

     */
    public int stateExpiryIntervals() {
        return stateExpiryIntervals;
    }

    /**

     * Returns the most varbinds one walk collects.

     *

     * @return the most varbinds one walk collects

     */
    public int maxWalkVarbinds() {
        return maxWalkVarbinds;
    }

    /**

     * Returns the most interfaces kept per device.

     *

     * @return the most interfaces kept per device

     */
    public int maxInterfacesPerDevice() {
        return maxInterfacesPerDevice;
    }

    /**
     * Returns the most rows read of one template table per poll; the walk stops there.
     *
     * @return the most rows per table
     */
    public int maxTableRows() {
        return maxTableRows;
    }

    /**

     * Returns the registry meters go to.

     *

     * @return the registry meters go to

     */
    public MeterRegistry meterRegistry() {
        return meterRegistry;
    }

    /**

     * Returns the clock rates and item intervals use.

     *

     * @return the clock rates and item intervals use

     */
    public InstantSource clock() {
        return clock;
    }

    /**
     * Returns the ticker that measures a poll's latency and enforces its check's timeout between
     * requests. SNMP4J's own per-request timeouts and retries run on real time regardless.
     *
     * @return the ticker; never {@code null}
     */
    public Ticker ticker() {
        return ticker;
    }

    /**

     * Returns user templates, which override built-in ones of the same vendor name.

     *

     * @return user templates, which override built-in ones of the same vendor name

     */
    public List<VendorTemplate> templates() {
        return templates;
    }

    /**

     * Returns custom items by label selector.

     *

     * @return custom items by label selector

     */
    public List<LabelItems> labelItems() {
        return labelItems;
    }

    /**

     * Returns interface classification rules, first match wins.

     *

     * @return interface classification rules, first match wins

     */
    public List<InterfaceRule> interfaceRules() {
        return interfaceRules;
    }

    /**

     * Returns the local address the UDP socket binds to.

     *

     * @return the local address the UDP socket binds to

     */
    public InetAddress bindAddress() {
        return bindAddress;
    }

    /**

     * Returns the socket receive buffer size.

     *

     * @return the socket receive buffer size

     */
    public int receiveBufferBytes() {
        return receiveBufferBytes;
    }

    /**

     * Returns the local SNMPv3 engine ID (a copy), or {@code null} for a random one per instance.

     *

     * @return the local SNMPv3 engine ID (a copy), or {@code null} for a random one per instance

     */
    public byte[] localEngineId() {
        return localEngineId == null ? null : localEngineId.clone();
    }

    /** Builds {@link SnmpOptions}. Not thread-safe. */
    public static final class Builder {
        private int maxRequestsInFlight = 2_000;
        private int maxRequestsPerDevice = 1;
        private final Map<String, SnmpCredentials> credentials = new LinkedHashMap<>();
        private int maxDevices = 100_000;
        private int stateExpiryIntervals = 3;
        private int maxWalkVarbinds = 1_000_000;
        private int maxInterfacesPerDevice = 100_000;
        private int maxTableRows = 1_000;
        private MeterRegistry meterRegistry;
        private InstantSource clock = InstantSource.system();
        private Ticker ticker;
        private final List<VendorTemplate> templates = new ArrayList<>();
        private final List<LabelItems> labelItems = new ArrayList<>();
        private final List<InterfaceRule> interfaceRules = new ArrayList<>();
        private InetAddress bindAddress;
        private int receiveBufferBytes = 4 * 1024 * 1024;
        private byte[] localEngineId;

        private Builder() {
            try {
                bindAddress = InetAddress.getByAddress(new byte[4]);
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }

        /**
         * Sets the global limit on requests in flight.
         *
         * @param n 1-1,000,000
         * @return this builder
         */
        public Builder maxRequestsInFlight(int n) {
            this.maxRequestsInFlight = n;
            return this;
        }

        /**
         * Sets the limit of requests in flight to one device.
         *
         * @param n 1 or 2
         * @return this builder
         */
        public Builder maxRequestsPerDevice(int n) {
            this.maxRequestsPerDevice = n;
            return this;
        }

        /**
         * Adds shared credentials that checks name in {@link SnmpSettings#credentialsRef()}.
         *
         * @param name the name
         * @param c the credentials
         * @return this builder
         */
        public Builder credentials(String name, SnmpCredentials c) {
            credentials.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(c, "credentials"));
            return this;
        }

        /**
         * Sets the most devices whose state is kept; the least recently polled is dropped (and counted) beyond it.
         *
         * @param n 1-10,000,000
         * @return this builder
         */
        public Builder maxDevices(int n) {
            this.maxDevices = n;
            return this;
        }

        /**
         * Sets after how many check intervals without a poll a device's state is dropped.
         *
         * @param n 1-1000
         * @return this builder
         */
        public Builder stateExpiryIntervals(int n) {
            this.stateExpiryIntervals = n;
            return this;
        }

        /**
         * Sets the most varbinds one walk collects.
         *
         * @param n 1-100,000,000
         * @return this builder
         */
        public Builder maxWalkVarbinds(int n) {
            this.maxWalkVarbinds = n;
            return this;
        }

        /**
         * Sets the most interfaces kept per device.
         *
         * @param n 1-10,000,000
         * @return this builder
         */
        public Builder maxInterfacesPerDevice(int n) {
            this.maxInterfacesPerDevice = n;
            return this;
        }

        /**
         * Sets the most rows read of one template table per poll (default 1,000). The walk of a
         * longer table stops there; {@code ward.snmp.tables.truncated} counts such polls.
         *
         * @param n 1-100,000
         * @return this builder
         */
        public Builder maxTableRows(int n) {
            this.maxTableRows = n;
            return this;
        }

        /**
         * Sets the meter registry (default: a private simple registry).
         *
         * @param r the registry
         * @return this builder
         */
        public Builder meterRegistry(MeterRegistry r) {
            this.meterRegistry = r;
            return this;
        }

        /**
         * Sets the clock used for rates and item intervals.
         *
         * @param c the clock
         * @return this builder
         */
        public Builder clock(InstantSource c) {
            this.clock = c;
            return this;
        }

        /**
         * Sets the ticker that measures poll latency and the check's timeout (default: the clock
         * when it is also a {@link Ticker}, such as ward-testkit's {@code ManualClock}, else
         * {@link Ticker#system()}). SNMP4J's request timeouts and retries stay on real time: they
         * wait for packets.
         *
         * @param t the ticker, or {@code null} for the default
         * @return this builder
         */
        public Builder ticker(Ticker t) {
            this.ticker = t;
            return this;
        }

        /**
         * Adds vendor templates; a template replaces a built-in one with the same vendor name.
         *
         * @param t the templates
         * @return this builder
         */
        public Builder templates(List<VendorTemplate> t) {
            templates.addAll(t);
            return this;
        }

        /**
         * Adds custom items for devices whose labels match a selector.
         *
         * @param selector the labels a device must have
         * @param items the items
         * @return this builder
         */
        public Builder itemsForLabels(Map<String, String> selector, List<SnmpItem> items) {
            labelItems.add(new LabelItems(selector, items));
            return this;
        }

        /**
         * Adds interface classification rules.
         *
         * @param rules the rules, first match wins
         * @return this builder
         */
        public Builder interfaceRules(List<InterfaceRule> rules) {
            interfaceRules.addAll(rules);
            return this;
        }

        /**
         * Sets the local address of the UDP socket.
         *
         * @param a the address
         * @return this builder
         */
        public Builder bindAddress(InetAddress a) {
            this.bindAddress = a;
            return this;
        }

        /**
         * Sets the socket receive buffer.
         *
         * @param bytes 64 KiB-256 MiB
         * @return this builder
         */
        public Builder receiveBufferBytes(int bytes) {
            this.receiveBufferBytes = bytes;
            return this;
        }

        /**
         * Sets the local SNMPv3 engine ID; by default each instance makes a unique random one.
         *
         * @param id 5-32 bytes, or {@code null}
         * @return this builder
         */
        public Builder localEngineId(byte[] id) {
            this.localEngineId = id == null ? null : id.clone();
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the options
         * @throws InvalidConfigurationException listing every invalid value
         */
        public SnmpOptions build() {
            List<String> p = new ArrayList<>();
            if (maxRequestsInFlight < 1 || maxRequestsInFlight > 1_000_000) {
                p.add("maxRequestsInFlight = " + maxRequestsInFlight + ": must be 1-1000000");
            }
            if (maxRequestsPerDevice < 1 || maxRequestsPerDevice > 2) {
                p.add("maxRequestsPerDevice = " + maxRequestsPerDevice + ": must be 1 or 2");
            }
            if (maxDevices < 1 || maxDevices > 10_000_000) {
                p.add("maxDevices = " + maxDevices + ": must be 1-10000000");
            }
            if (stateExpiryIntervals < 1 || stateExpiryIntervals > 1000) {
                p.add("stateExpiryIntervals = " + stateExpiryIntervals + ": must be 1-1000");
            }
            if (maxWalkVarbinds < 1 || maxWalkVarbinds > 100_000_000) {
                p.add("maxWalkVarbinds = " + maxWalkVarbinds + ": must be 1-100000000");
            }
            if (maxInterfacesPerDevice < 1 || maxInterfacesPerDevice > 10_000_000) {
                p.add("maxInterfacesPerDevice = " + maxInterfacesPerDevice + ": must be 1-10000000");
            }
            if (maxTableRows < 1 || maxTableRows > 100_000) {
                p.add("maxTableRows = " + maxTableRows + ": must be 1-100000");
            }
            if (clock == null) {
                p.add("clock must be set");
            }
            if (bindAddress == null) {
                p.add("bindAddress must be set");
            }
            if (receiveBufferBytes < 65_536 || receiveBufferBytes > 256 * 1024 * 1024) {
                p.add("receiveBufferBytes = " + receiveBufferBytes + ": must be 65536-268435456");
            }
            if (localEngineId != null && (localEngineId.length < 5 || localEngineId.length > 32)) {
                p.add("localEngineId has " + localEngineId.length + " bytes: must be 5-32");
            }
            for (var e : credentials.entrySet()) {
                if (e.getKey().isBlank()) {
                    p.add("credentials name must not be blank");
                }
            }
            if (!p.isEmpty()) {
                throw new InvalidConfigurationException("SnmpOptions", p);
            }
            return new SnmpOptions(this);
        }
    }
}
