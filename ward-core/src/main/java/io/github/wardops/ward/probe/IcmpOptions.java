package io.github.wardops.ward.probe;

import io.github.wardops.ward.InvalidConfigurationException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Options of the ICMP prober, shared by every ICMP check it serves. Immutable; build with
 * {@link #builder()}, change with {@link #toBuilder()}.
 */
public final class IcmpOptions {
    private final IcmpSocketMode socketMode;
    private final int packetsPerSecond;
    private final int maxOutstandingEchoes;
    private final int receiveBufferBytes;
    private final Path networkNamespace;

    /**
     * The most echo requests sent per second, across every target, when
     * {@link Builder#packetsPerSecond} is not called: 100,000. A prober serving a {@code Ward}
     * paces at what its schedule needs (see {@link IcmpProber#planRate}), under this cap.
     */
    public static final int DEFAULT_PACKETS_PER_SECOND = 100_000;

    /**
     * The slowest pace a prober that follows its schedule's plan keeps, echoes per second, so
     * that re-checks and on-demand probes of a small fleet never queue: 1,000.
     */
    public static final int MIN_PLANNED_PACKETS_PER_SECOND = 1_000;

    private IcmpOptions(Builder b) {
        this.socketMode = b.socketMode;
        this.packetsPerSecond = b.packetsPerSecond;
        this.maxOutstandingEchoes = b.maxOutstandingEchoes;
        this.receiveBufferBytes = b.receiveBufferBytes;
        this.networkNamespace = b.networkNamespace;
    }

    /**
     * The defaults: {@link IcmpSocketMode#AUTO}, at most 100,000 echoes per second, 262,144 outstanding
     * echoes, an 8 MiB receive buffer, the process's own network namespace.
     *
     * @return the options
     */
    public static IcmpOptions defaults() {
        return builder().build();
    }

    /**
     * A builder with the defaults.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding these options.
     *
     * @return the builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.socketMode = socketMode;
        b.packetsPerSecond = packetsPerSecond;
        b.maxOutstandingEchoes = maxOutstandingEchoes;
        b.receiveBufferBytes = receiveBufferBytes;
        b.networkNamespace = networkNamespace;
        return b;
    }

    /**

     * Returns the socket mode to use.

     *

     * @return the socket mode to use

     */
    public IcmpSocketMode socketMode() {
        return socketMode;
    }

    /**

     * Returns the most echoes sent per second, across all targets.

     *

     * @return the most echoes sent per second, across all targets

     */
    public int packetsPerSecond() {
        return packetsPerSecond;
    }

    /**
     * The most echoes awaiting a reply at once, counted from the start of their probe (a probe
     * hands all its echoes to the sender at once, the later ones waiting for their spacing). An
     * echo over the limit is not sent and is counted; the probe reports it as lost to a local limit.
     *
     * @return the limit
     */
    public int maxOutstandingEchoes() {
        return maxOutstandingEchoes;
    }

    /**

     * Returns the socket receive buffer asked for, in bytes.

     *

     * @return the socket receive buffer asked for, in bytes

     */
    public int receiveBufferBytes() {
        return receiveBufferBytes;
    }

    /**
     * The network namespace (a file such as {@code /var/run/netns/NAME}) in which the sockets are
     * opened, for probing from inside a namespace or VRF. Needs {@code CAP_SYS_ADMIN}.
     *
     * @return the namespace, empty for the process's own
     */
    public Optional<Path> networkNamespace() {
        return Optional.ofNullable(networkNamespace);
    }

    @Override
    public String toString() {
        return "IcmpOptions{mode=" + socketMode + ", pps=" + packetsPerSecond + ", maxOutstanding="
                + maxOutstandingEchoes + ", rcvbuf=" + receiveBufferBytes
                + (networkNamespace == null ? "" : ", netns=" + networkNamespace) + "}";
    }

    /** Builds {@link IcmpOptions}; {@link #build()} reports every invalid value at once. Not thread-safe. */
    public static final class Builder {
        private IcmpSocketMode socketMode = IcmpSocketMode.AUTO;
        private int packetsPerSecond = DEFAULT_PACKETS_PER_SECOND;
        private int maxOutstandingEchoes = 262_144;
        private int receiveBufferBytes = 8 * 1024 * 1024;
        private Path networkNamespace;

        private Builder() {
        }

        /**
         * Sets the socket mode.
         *
         * @param mode the mode
         * @return this builder
         */
        public Builder socketMode(IcmpSocketMode mode) {
            this.socketMode = mode;
            return this;
        }

        /**
         * Sets the most echoes sent per second (1-1,000,000). Until a {@code Ward} reports its
         * plan ({@link IcmpProber#planRate}) the prober paces at this rate; then at twice the
         * plan, at least {@link #MIN_PLANNED_PACKETS_PER_SECOND}, never above this.
         *
         * @param pps echoes per second
         * @return this builder
         */
        public Builder packetsPerSecond(int pps) {
            this.packetsPerSecond = pps;
            return this;
        }

        /**
         * Sets the most echoes outstanding at once (1-4,194,304).
         *
         * @param max the limit
         * @return this builder
         */
        public Builder maxOutstandingEchoes(int max) {
            this.maxOutstandingEchoes = max;
            return this;
        }

        /**
         * Sets the socket receive buffer (64 KiB-256 MiB).
         *
         * @param bytes the size
         * @return this builder
         */
        public Builder receiveBufferBytes(int bytes) {
            this.receiveBufferBytes = bytes;
            return this;
        }

        /**
         * Opens the sockets in another network namespace.
         *
         * @param nsFile the namespace file, or {@code null} for the process's own
         * @return this builder
         */
        public Builder networkNamespace(Path nsFile) {
            this.networkNamespace = nsFile;
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the options
         * @throws InvalidConfigurationException listing every invalid value
         */
        public IcmpOptions build() {
            List<String> p = new ArrayList<>();
            if (socketMode == null) {
                p.add("socketMode must be set");
            }
            if (packetsPerSecond < 1 || packetsPerSecond > 1_000_000) {
                p.add("packetsPerSecond = " + packetsPerSecond + ": must be 1-1000000");
            }
            if (maxOutstandingEchoes < 1 || maxOutstandingEchoes > 4_194_304) {
                p.add("maxOutstandingEchoes = " + maxOutstandingEchoes + ": must be 1-4194304");
            }
            if (receiveBufferBytes < 65_536 || receiveBufferBytes > 256 * 1024 * 1024) {
                p.add("receiveBufferBytes = " + receiveBufferBytes + ": must be 65536-268435456");
            }
            if (!p.isEmpty()) {
                throw new InvalidConfigurationException("IcmpOptions", p);
            }
            return new IcmpOptions(this);
        }
    }
}
