package io.github.wardops.ward.snmp.poller;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.Secret;
import io.github.wardops.ward.snmp.SnmpCredentials;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Options of an {@link SnmpTrapReceiver}: where it listens, which communities and SNMPv3 users
 * it accepts, and every bound it keeps. Built with {@link #builder()}, which reports every
 * invalid value at once. Immutable; {@link #toString()} names no community and no passphrase.
 */
public final class SnmpTrapOptions {
    /** The standard SNMP trap port, 162 (privileged: see docs/snmp.md). */
    public static final int DEFAULT_PORT = 162;

    private final InetAddress bindAddress;
    private final int port;
    private final List<Secret> communities;
    private final List<SnmpCredentials.Usm> users;
    private final byte[] localEngineId;
    private final int maxVarbinds;
    private final int maxValueBytes;
    private final int queueCapacity;
    private final int unknownSourcesPerSecond;
    private final Consumer<TrapEvent> unknownSourceListener;
    private final int maxEngineIds;
    private final int receiveBufferBytes;
    private final Duration closeTimeout;
    private final MeterRegistry meterRegistry;
    private final InstantSource clock;

    private SnmpTrapOptions(Builder b) {
        bindAddress = b.bindAddress;
        port = b.port;
        communities = List.copyOf(b.communities);
        users = List.copyOf(b.users);
        localEngineId = b.localEngineId == null ? null : b.localEngineId.clone();
        maxVarbinds = b.maxVarbinds;
        maxValueBytes = b.maxValueBytes;
        queueCapacity = b.queueCapacity;
        unknownSourcesPerSecond = b.unknownSourcesPerSecond;
        unknownSourceListener = b.unknownSourceListener;
        maxEngineIds = b.maxEngineIds;
        receiveBufferBytes = b.receiveBufferBytes;
        closeTimeout = b.closeTimeout;
        meterRegistry = b.meterRegistry;
        clock = b.clock;
    }

    /**
     * Starts options with the defaults: 127.0.0.1 port 162, no community and no user (so nothing
     * is accepted until some are added), a random local engine ID, 64 bindings of at most 1,024
     * bytes kept per trap, a delivery queue of 10,000, 10 unknown-source events per second
     * handed on (logged when no listener is set), 10,000 remote engine IDs, a 1 MiB receive
     * buffer, a 5 s close timeout, the system clock and no meter registry.
     *
     * @return a builder; not thread-safe
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the local address the UDP socket binds to.
     *
     * @return the address
     */
    public InetAddress bindAddress() {
        return bindAddress;
    }

    /**
     * Returns the UDP port; 0 takes any free port.
     *
     * @return the port
     */
    public int port() {
        return port;
    }

    /**
     * Returns the v1/v2c communities accepted; immutable. Never log them.
     *
     * @return the allow-list
     */
    public List<Secret> communities() {
        return communities;
    }

    /**
     * Returns the SNMPv3 users accepted; immutable.
     *
     * @return the users
     */
    public List<SnmpCredentials.Usm> users() {
        return users;
    }

    /**
     * Returns the receiver's own SNMPv3 engine ID (a copy), or {@code null} for a random one.
     *
     * @return the engine ID
     */
    public byte[] localEngineId() {
        return localEngineId == null ? null : localEngineId.clone();
    }

    /**
     * Returns the most variable bindings kept per trap.
     *
     * @return the limit
     */
    public int maxVarbinds() {
        return maxVarbinds;
    }

    /**
     * Returns the most bytes kept of one string or opaque value.
     *
     * @return the limit
     */
    public int maxValueBytes() {
        return maxValueBytes;
    }

    /**
     * Returns the capacity of the delivery queue.
     *
     * @return the capacity
     */
    public int queueCapacity() {
        return queueCapacity;
    }

    /**
     * Returns how many unknown-source events per second (all sources together) are handed on.
     *
     * @return the rate; 0 hands none on
     */
    public int unknownSourcesPerSecond() {
        return unknownSourcesPerSecond;
    }

    /**
     * Returns the callback for unknown-source events, or {@code null} to log them.
     *
     * @return the callback
     */
    public Consumer<TrapEvent> unknownSourceListener() {
        return unknownSourceListener;
    }

    /**
     * Returns the most remote SNMPv3 engine IDs whose localized keys and clocks are kept.
     *
     * @return the limit
     */
    public int maxEngineIds() {
        return maxEngineIds;
    }

    /**
     * Returns the socket receive buffer size asked for.
     *
     * @return bytes
     */
    public int receiveBufferBytes() {
        return receiveBufferBytes;
    }

    /**
     * Returns how long {@link SnmpTrapReceiver#close()} waits for the delivery thread.
     *
     * @return the timeout
     */
    public Duration closeTimeout() {
        return closeTimeout;
    }

    /**
     * Returns the meter registry, or {@code null} for a private one.
     *
     * @return the registry
     */
    public MeterRegistry meterRegistry() {
        return meterRegistry;
    }

    /**
     * Returns the clock that stamps {@link TrapEvent#receivedAt()}.
     *
     * @return the clock
     */
    public InstantSource clock() {
        return clock;
    }

    /**
     * The options without secrets: communities are counted, users named.
     *
     * @return a description
     */
    @Override
    public String toString() {
        return "SnmpTrapOptions[bind=" + bindAddress.getHostAddress() + ", port=" + port + ", communities="
                + communities.size() + ", users=" + users.stream().map(SnmpCredentials.Usm::user).toList()
                + ", maxVarbinds=" + maxVarbinds + ", maxValueBytes=" + maxValueBytes + ", queueCapacity="
                + queueCapacity + ", unknownSourcesPerSecond=" + unknownSourcesPerSecond + ", maxEngineIds="
                + maxEngineIds + "]";
    }

    /** Builds {@link SnmpTrapOptions}. Not thread-safe. */
    public static final class Builder {
        private InetAddress bindAddress;
        private int port = DEFAULT_PORT;
        private final List<Secret> communities = new ArrayList<>();
        private final List<SnmpCredentials.Usm> users = new ArrayList<>();
        private byte[] localEngineId;
        private int maxVarbinds = 64;
        private int maxValueBytes = 1024;
        private int queueCapacity = 10_000;
        private int unknownSourcesPerSecond = 10;
        private Consumer<TrapEvent> unknownSourceListener;
        private int maxEngineIds = 10_000;
        private int receiveBufferBytes = 1024 * 1024;
        private Duration closeTimeout = Duration.ofSeconds(5);
        private MeterRegistry meterRegistry;
        private InstantSource clock = InstantSource.system();

        private Builder() {
            try {
                bindAddress = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }

        /**
         * Sets the local address (default 127.0.0.1). Binding beyond loopback is a choice to
         * make deliberately: anyone who can reach the port can send traps.
         *
         * @param a the address
         * @return this builder
         */
        public Builder bindAddress(InetAddress a) {
            this.bindAddress = a;
            return this;
        }

        /**
         * Sets the UDP port (default 162, which needs {@code CAP_NET_BIND_SERVICE}); 0 takes any
         * free port, which {@link SnmpTrapReceiver#localAddress()} then tells.
         *
         * @param p 0-65535
         * @return this builder
         */
        public Builder port(int p) {
            this.port = p;
            return this;
        }

        /**
         * Accepts v1 and v2c notifications with this community. A notification with any other
         * community is counted ({@code bad_community}) and dropped.
         *
         * @param community the community; not empty
         * @return this builder
         */
        public Builder community(Secret community) {
            communities.add(Objects.requireNonNull(community, "community"));
            return this;
        }

        /**
         * Accepts SNMPv3 notifications from this USM user, at its security level or higher; an
         * inform's sender discovers the receiver's engine ID, a trap's sender is its own
         * authority (its engine ID is learned and the user localized for it).
         *
         * @param user the user, with its passphrases
         * @return this builder
         */
        public Builder user(SnmpCredentials.Usm user) {
            users.add(Objects.requireNonNull(user, "user"));
            return this;
        }

        /**
         * Sets the receiver's SNMPv3 engine ID, which senders of v3 informs discover; by default
         * each receiver makes a random one.
         *
         * @param id 5-32 bytes, or {@code null}
         * @return this builder
         */
        public Builder localEngineId(byte[] id) {
            this.localEngineId = id == null ? null : id.clone();
            return this;
        }

        /**
         * Sets the most variable bindings kept per trap; more are counted and left out.
         *
         * @param n 1-10,000
         * @return this builder
         */
        public Builder maxVarbinds(int n) {
            this.maxVarbinds = n;
            return this;
        }

        /**
         * Sets the most bytes kept of one string or opaque value; longer values are cut and counted.
         *
         * @param n 1-65,535
         * @return this builder
         */
        public Builder maxValueBytes(int n) {
            this.maxValueBytes = n;
            return this;
        }

        /**
         * Sets the capacity of the queue between the socket thread and the listener; events that
         * find it full are counted ({@code dropped}) and lost (an inform is then not acknowledged,
         * so its sender retries).
         *
         * @param n 1-10,000,000
         * @return this builder
         */
        public Builder queueCapacity(int n) {
            this.queueCapacity = n;
            return this;
        }

        /**
         * Sets how many unknown-source events per second, all sources together, are handed to
         * the unknown-source listener (or logged); the rest are only counted.
         *
         * @param n 0-100,000
         * @return this builder
         */
        public Builder unknownSourcesPerSecond(int n) {
            this.unknownSourcesPerSecond = n;
            return this;
        }

        /**
         * Sets the callback for accepted notifications whose agent and source address the
         * resolver does not know, called on the delivery thread at most
         * {@link #unknownSourcesPerSecond(int)} times a second; by default they are logged.
         *
         * @param l the callback, or {@code null} to log
         * @return this builder
         */
        public Builder unknownSourceListener(Consumer<TrapEvent> l) {
            this.unknownSourceListener = l;
            return this;
        }

        /**
         * Sets the most remote SNMPv3 engine IDs whose localized user keys and clocks are kept;
         * the oldest is forgotten beyond it (its next trap localizes again).
         *
         * @param n 1-1,000,000
         * @return this builder
         */
        public Builder maxEngineIds(int n) {
            this.maxEngineIds = n;
            return this;
        }

        /**
         * Sets the socket receive buffer asked for (the kernel may cap it at
         * {@code net.core.rmem_max}).
         *
         * @param bytes 64 KiB-256 MiB
         * @return this builder
         */
        public Builder receiveBufferBytes(int bytes) {
            this.receiveBufferBytes = bytes;
            return this;
        }

        /**
         * Sets how long {@link SnmpTrapReceiver#close()} waits for the listener to finish the
         * event it is handling; queued events not yet delivered are discarded.
         *
         * @param d 0-60 s
         * @return this builder
         */
        public Builder closeTimeout(Duration d) {
            this.closeTimeout = d;
            return this;
        }

        /**
         * Sets the meter registry for {@code ward.snmp.traps} (default: a private one).
         *
         * @param r the registry
         * @return this builder
         */
        public Builder meterRegistry(MeterRegistry r) {
            this.meterRegistry = r;
            return this;
        }

        /**
         * Sets the clock that stamps events.
         *
         * @param c the clock
         * @return this builder
         */
        public Builder clock(InstantSource c) {
            this.clock = c;
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the options
         * @throws InvalidConfigurationException listing every invalid value (never a secret)
         */
        public SnmpTrapOptions build() {
            List<String> p = new ArrayList<>();
            if (bindAddress == null) {
                p.add("bindAddress must be set");
            }
            if (port < 0 || port > 65_535) {
                p.add("port = " + port + ": must be 0-65535");
            }
            for (int i = 0; i < communities.size(); i++) {
                if (communities.get(i).isEmpty()) {
                    p.add("community #" + (i + 1) + " is empty");
                }
            }
            Set<String> names = new HashSet<>();
            for (SnmpCredentials.Usm u : users) {
                if (!names.add(u.user())) {
                    p.add("user '" + u.user() + "' is given twice");
                }
            }
            if (localEngineId != null && (localEngineId.length < 5 || localEngineId.length > 32)) {
                p.add("localEngineId has " + localEngineId.length + " bytes: must be 5-32");
            }
            if (maxVarbinds < 1 || maxVarbinds > 10_000) {
                p.add("maxVarbinds = " + maxVarbinds + ": must be 1-10000");
            }
            if (maxValueBytes < 1 || maxValueBytes > 65_535) {
                p.add("maxValueBytes = " + maxValueBytes + ": must be 1-65535");
            }
            if (queueCapacity < 1 || queueCapacity > 10_000_000) {
                p.add("queueCapacity = " + queueCapacity + ": must be 1-10000000");
            }
            if (unknownSourcesPerSecond < 0 || unknownSourcesPerSecond > 100_000) {
                p.add("unknownSourcesPerSecond = " + unknownSourcesPerSecond + ": must be 0-100000");
            }
            if (maxEngineIds < 1 || maxEngineIds > 1_000_000) {
                p.add("maxEngineIds = " + maxEngineIds + ": must be 1-1000000");
            }
            if (receiveBufferBytes < 65_536 || receiveBufferBytes > 256 * 1024 * 1024) {
                p.add("receiveBufferBytes = " + receiveBufferBytes + ": must be 65536-268435456");
            }
            if (closeTimeout == null || closeTimeout.isNegative() || closeTimeout.compareTo(Duration.ofSeconds(60)) > 0) {
                p.add("closeTimeout = " + closeTimeout + ": must be 0-60 s");
            }
            if (clock == null) {
                p.add("clock must be set");
            }
            if (!p.isEmpty()) {
                throw new InvalidConfigurationException("SnmpTrapOptions", p);
            }
            return new SnmpTrapOptions(this);
        }
    }
}
