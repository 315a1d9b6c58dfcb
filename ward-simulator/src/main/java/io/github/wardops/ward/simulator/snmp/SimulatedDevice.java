package io.github.wardops.ward.simulator.snmp;

import io.github.wardops.ward.snmp.SnmpOid;
import io.github.wardops.ward.snmp.SnmpValue;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * One simulated SNMP agent: a system group, an ifTable (and optionally ifXTable with 64-bit
 * counters) computed from {@link SimulatedInterface}s at the simulator's clock, and any extra
 * scalars. Behaviour can change while it runs: {@link #behaviour(SimulatedBehaviour)},
 * {@link #restart()}, {@link #resetCounters(int)}, {@link #set}. Thread-safe.
 */
public final class SimulatedDevice {
    static final SnmpOid IF_ENTRY = SnmpOid.parse("1.3.6.1.2.1.2.2.1");
    static final SnmpOid IFX_ENTRY = SnmpOid.parse("1.3.6.1.2.1.31.1.1.1");
    private static final int[] IF_COLUMNS = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22};
    private static final int[] IFX_COLUMNS = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19};
    private static final int[] IFX_COLUMNS_32 = {1, 2, 3, 4, 5, 14, 15, 16, 17, 18, 19};
    private static final long MAX32 = 0xFFFF_FFFFL;

    private final InetAddress address;
    private final int port;
    private final String community;
    private final boolean ifXTable;
    private final int maxGetVarbinds;
    private final SimulatedInterface[] interfaces;
    private final int[] indexes;
    private final long[] counterEpochNanos;
    private final long[] discontinuityTicks;
    /** Per interface, the ifOperStatus set while running ({@link #operStatus}), 0 for the built one. */
    private final java.util.concurrent.atomic.AtomicIntegerArray operNow;
    private final ConcurrentSkipListMap<SnmpOid, Function<Instant, SnmpValue>> scalars = new ConcurrentSkipListMap<>();
    private volatile SimulatedBehaviour behaviour = SimulatedBehaviour.NORMAL;
    private volatile boolean highCapacity = true;
    private volatile Duration delay = Duration.ofMillis(500);
    private volatile Instant bootTime;
    private final AtomicLong requests = new AtomicLong();
    private final SnmpSimulatorClock clock;

    /** The clock a device reads; set by the simulator. */
    interface SnmpSimulatorClock {
        Instant now();
    }

    private SimulatedDevice(Builder b, SnmpSimulatorClock clock, Instant boot) {
        this.address = b.address;
        this.port = b.port;
        this.community = b.community;
        this.ifXTable = b.ifXTable;
        this.maxGetVarbinds = b.maxGetVarbinds;
        this.clock = clock;
        this.bootTime = boot;
        SimulatedInterface[] ifs = b.interfaces.toArray(new SimulatedInterface[0]);
        Arrays.sort(ifs, Comparator.comparingInt(SimulatedInterface::index));
        this.interfaces = ifs;
        this.indexes = Arrays.stream(ifs).mapToInt(SimulatedInterface::index).toArray();
        for (int i = 1; i < indexes.length; i++) {
            if (indexes[i] == indexes[i - 1]) {
                throw new IllegalArgumentException("two interfaces with ifIndex " + indexes[i]);
            }
        }
        this.counterEpochNanos = new long[ifs.length];
        this.discontinuityTicks = new long[ifs.length];
        this.operNow = new java.util.concurrent.atomic.AtomicIntegerArray(ifs.length);
        long bootNanos = nanos(boot);
        Arrays.fill(counterEpochNanos, bootNanos);
        SnmpOid sys = SnmpOid.parse("1.3.6.1.2.1.1");
        scalars.put(sys.append(1, 0), t -> SnmpValue.OctetString.of(b.sysDescr));
        scalars.put(sys.append(2, 0), t -> new SnmpValue.ObjectId(b.sysObjectId));
        scalars.put(sys.append(3, 0), t -> new SnmpValue.TimeTicks(upTicks(t)));
        scalars.put(sys.append(4, 0), t -> SnmpValue.OctetString.of("ward testkit"));
        scalars.put(sys.append(5, 0), t -> SnmpValue.OctetString.of(b.sysName));
        scalars.put(sys.append(6, 0), t -> SnmpValue.OctetString.of(b.sysLocation));
        scalars.put(sys.append(7, 0), t -> new SnmpValue.Integer32(6));
        int n = ifs.length;
        scalars.put(SnmpOid.parse("1.3.6.1.2.1.2.1.0"), t -> new SnmpValue.Integer32(n));
        for (var e : b.extra.entrySet()) {
            SnmpValue v = e.getValue();
            scalars.put(e.getKey(), t -> v);
        }
    }

    private static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    /**
     * Starts a device.
     *
     * @param address the address it listens on (in 127.0.0.0/8 or ::1)
     * @return a builder; not thread-safe
     */
    public static Builder builder(InetAddress address) {
        return new Builder(address);
    }

    /**

     * Returns the address the device listens on.

     *

     * @return the address the device listens on

     */
    public InetAddress address() {
        return address;
    }

    /**

     * Returns the configured port (0 = any free port; see {@link SnmpSimulator#port(SimulatedDevice)}).

     *

     * @return the configured port (0 = any free port; see {@link SnmpSimulator#port(SimulatedDevice)})

     */
    public int configuredPort() {
        return port;
    }

    /**

     * Returns the v1/v2c community.

     *

     * @return the v1/v2c community

     */
    String community() {
        return community;
    }

    int maxGetVarbinds() {
        return maxGetVarbinds;
    }

    /**

     * Returns the interfaces, by ifIndex.

     *

     * @return the interfaces, by ifIndex

     */
    public List<SimulatedInterface> interfaces() {
        return List.of(interfaces);
    }

    /**
     * Changes how the device answers.
     *
     * @param b the behaviour
     */
    public void behaviour(SimulatedBehaviour b) {
        this.behaviour = Objects.requireNonNull(b);
    }

    /**
     * Whether the ifXTable has the 64-bit (ifHC*) counter columns; switch off to play an agent
     * that has ifName and ifAlias but only 32-bit counters. Default {@code true}.
     *
     * @param on whether the HC columns exist
     */
    public void highCapacityCounters(boolean on) {
        this.highCapacity = on;
    }

    /**

     * Returns the current behaviour.

     *

     * @return the current behaviour

     */
    public SimulatedBehaviour behaviour() {
        return behaviour;
    }

    /**
     * Sets the delay of {@link SimulatedBehaviour#SLOW}.
     *
     * @param d the delay
     */
    public void delay(Duration d) {
        this.delay = Objects.requireNonNull(d);
    }

    Duration delay() {
        return delay;
    }

    /** Restarts the agent now: sysUpTime and every counter start again from 0 (plus offsets). */
    public void restart() {
        Instant now = clock.now();
        synchronized (this) {
            bootTime = now;
            Arrays.fill(counterEpochNanos, nanos(now));
            Arrays.fill(discontinuityTicks, 0);
        }
    }

    /**
     * Sets one interface's ifOperStatus from now on (a provider's link going down: 2; back up: 1);
     * its counters keep growing, as a real port's would not, which no rule reads.
     *
     * @param ifIndex the interface
     * @param status the IF-MIB ifOperStatus, 1 (up) to 7 (lowerLayerDown)
     * @throws IllegalArgumentException when the device has no such interface or the status is not 1-7
     */
    public void operStatus(int ifIndex, int status) {
        int k = Arrays.binarySearch(indexes, ifIndex);
        if (k < 0) {
            throw new IllegalArgumentException("no interface " + ifIndex);
        }
        if (status < 1 || status > 7) {
            throw new IllegalArgumentException("ifOperStatus must be 1-7: " + status);
        }
        operNow.set(k, status);
    }

    /**
     * Resets one interface's counters now (a line card reset), moving its ifCounterDiscontinuityTime.
     *
     * @param ifIndex the interface
     */
    public synchronized void resetCounters(int ifIndex) {
        int k = Arrays.binarySearch(indexes, ifIndex);
        if (k < 0) {
            throw new IllegalArgumentException("no interface " + ifIndex);
        }
        Instant now = clock.now();
        counterEpochNanos[k] = nanos(now);
        discontinuityTicks[k] = upTicks(now);
    }

    /**
     * Sets (or adds) a scalar value.
     *
     * @param oid the instance OID
     * @param value the value
     */
    public void set(SnmpOid oid, SnmpValue value) {
        Objects.requireNonNull(value, "value");
        scalars.put(Objects.requireNonNull(oid, "oid"), t -> value);
    }

    /**

     * Returns requests this device received.

     *

     * @return requests this device received

     */
    public long requestsServed() {
        return requests.get();
    }

    void countRequest() {
        requests.incrementAndGet();
    }

    private long upTicks(Instant t) {
        long ms = Duration.between(bootTime, t).toMillis();
        return Math.max(0, ms / 10) & MAX32;
    }

    /**
     * The value at an OID now.
     *
     * @param oid the OID
     * @return the value, or an exception value
     */
    SnmpValue get(SnmpOid oid) {
        Instant now = clock.now();
        Function<Instant, SnmpValue> f = scalars.get(oid);
        if (f != null) {
            return f.apply(now);
        }
        SnmpValue v = tableValue(oid, now);
        if (v != null) {
            return v;
        }
        if (oid.startsWith(IF_ENTRY) || (ifXTable && oid.startsWith(IFX_ENTRY))) {
            return new SnmpValue.NoSuchInstance();
        }
        return new SnmpValue.NoSuchObject();
    }

    /**
     * The next binding after an OID, in lexicographic order.
     *
     * @param oid the OID
     * @return the binding, or {@code null} at the end of the MIB
     */
    Map.Entry<SnmpOid, SnmpValue> next(SnmpOid oid) {
        Instant now = clock.now();
        SnmpOid best = scalars.higherKey(oid);
        SnmpOid t1 = tableNext(IF_ENTRY, IF_COLUMNS, oid);
        if (t1 != null && (best == null || t1.compareTo(best) < 0)) {
            best = t1;
        }
        if (ifXTable) {
            SnmpOid t2 = tableNext(IFX_ENTRY, highCapacity ? IFX_COLUMNS : IFX_COLUMNS_32, oid);
            if (t2 != null && (best == null || t2.compareTo(best) < 0)) {
                best = t2;
            }
        }
        if (best == null) {
            return null;
        }
        Function<Instant, SnmpValue> f = scalars.get(best);
        return Map.entry(best, f != null ? f.apply(now) : tableValue(best, now));
    }

    private SnmpOid tableNext(SnmpOid prefix, int[] columns, SnmpOid oid) {
        if (indexes.length == 0) {
            return null;
        }
        if (!oid.startsWith(prefix)) {
            return oid.compareTo(prefix) < 0 ? prefix.append(columns[0], indexes[0]) : null;
        }
        int p = prefix.size();
        if (oid.size() == p) {
            return prefix.append(columns[0], indexes[0]);
        }
        long r0 = oid.get(p);
        for (int c : columns) {
            if (c < r0) {
                continue;
            }
            if (c > r0 || oid.size() == p + 1) {
                return prefix.append(c, indexes[0]);
            }
            long r1 = oid.get(p + 1);
            int k = Arrays.binarySearch(indexes, (int) Math.min(r1, Integer.MAX_VALUE));
            int first = k >= 0 ? k + 1 : -k - 1;
            if (r1 > Integer.MAX_VALUE) {
                first = indexes.length;
            }
            if (first < indexes.length) {
                return prefix.append(c, indexes[first]);
            }
        }
        return null;
    }

    private SnmpValue tableValue(SnmpOid oid, Instant now) {
        boolean x;
        if (oid.startsWith(IF_ENTRY) && oid.size() == IF_ENTRY.size() + 2) {
            x = false;
        } else if (ifXTable && oid.startsWith(IFX_ENTRY) && oid.size() == IFX_ENTRY.size() + 2) {
            x = true;
        } else {
            return null;
        }
        int base = x ? IFX_ENTRY.size() : IF_ENTRY.size();
        long col = oid.get(base);
        long idx = oid.get(base + 1);
        if (idx > Integer.MAX_VALUE) {
            return null;
        }
        int k = Arrays.binarySearch(indexes, (int) idx);
        if (k < 0) {
            return null;
        }
        return x ? ifxColumn((int) col, k, now) : ifColumn((int) col, k, now);
    }

    private double seconds(int k, Instant now) {
        long epoch;
        synchronized (this) {
            epoch = counterEpochNanos[k];
        }
        return Math.max(0, nanos(now) - epoch) / 1e9;
    }

    private long grow(double perSecond, int k, Instant now, long offset) {
        return offset + (long) (perSecond * seconds(k, now));
    }

    private SnmpValue ifColumn(int col, int k, Instant now) {
        SimulatedInterface i = interfaces[k];
        return switch (col) {
            case 1 -> new SnmpValue.Integer32(i.index());
            case 2 -> SnmpValue.OctetString.of(i.descr());
            case 3 -> new SnmpValue.Integer32(i.type());
            case 4 -> new SnmpValue.Integer32(1500);
            case 5 -> new SnmpValue.Gauge32(Math.min(MAX32, i.speedBps()));
            case 6 -> new SnmpValue.OctetString(mac(i.index()));
            case 7 -> new SnmpValue.Integer32(i.adminStatus());
            case 8 -> new SnmpValue.Integer32(operNow.get(k) != 0 ? operNow.get(k) : i.operStatus());
            case 9 -> new SnmpValue.TimeTicks(0);
            case 10 -> new SnmpValue.Counter32(grow(i.inOctetsPerSecond(), k, now, i.octetOffset()) & MAX32);
            case 11, 17 -> new SnmpValue.Counter32(grow(i.packetsPerSecond(), k, now, 0) & MAX32);
            case 13, 14, 19, 20 -> new SnmpValue.Counter32(grow(i.errorsPerSecond(), k, now, 0) & MAX32);
            case 12, 15, 18 -> new SnmpValue.Counter32(0);
            case 16 -> new SnmpValue.Counter32(grow(i.outOctetsPerSecond(), k, now, i.octetOffset()) & MAX32);
            case 21 -> new SnmpValue.Gauge32(0);
            case 22 -> new SnmpValue.ObjectId(SnmpOid.of(0, 0));
            default -> null;
        };
    }

    private SnmpValue ifxColumn(int col, int k, Instant now) {
        SimulatedInterface i = interfaces[k];
        if (!highCapacity && col >= 6 && col <= 13) {
            return null;
        }
        return switch (col) {
            case 1 -> SnmpValue.OctetString.of(i.name());
            case 2, 3, 4, 5 -> new SnmpValue.Counter32(0);
            case 6 -> new SnmpValue.Counter64(grow(i.inOctetsPerSecond(), k, now, i.octetOffset()));
            case 7, 11 -> new SnmpValue.Counter64(grow(i.packetsPerSecond(), k, now, 0));
            case 8, 9, 12, 13 -> new SnmpValue.Counter64(0);
            case 10 -> new SnmpValue.Counter64(grow(i.outOctetsPerSecond(), k, now, i.octetOffset()));
            case 14, 17 -> new SnmpValue.Integer32(1);
            case 15 -> new SnmpValue.Gauge32(Math.min(MAX32, i.speedBps() / 1_000_000L));
            case 16 -> new SnmpValue.Integer32(2);
            case 18 -> SnmpValue.OctetString.of(i.alias());
            case 19 -> {
                long d;
                synchronized (this) {
                    d = discontinuityTicks[k];
                }
                yield new SnmpValue.TimeTicks(d);
            }
            default -> null;
        };
    }

    private byte[] mac(int index) {
        byte[] a = address.getAddress();
        return new byte[] {0x02, a[a.length - 2], a[a.length - 1], (byte) (index >> 16), (byte) (index >> 8), (byte) index};
    }

    /** Builds a {@link SimulatedDevice}. Not thread-safe. */
    public static final class Builder {
        private final InetAddress address;
        private int port;
        private String community = "public";
        private boolean ifXTable = true;
        private int maxGetVarbinds = Integer.MAX_VALUE;
        private String sysDescr = "ward simulated agent";
        private SnmpOid sysObjectId = SnmpOid.parse("1.3.6.1.4.1.8072.3.2.10");
        private String sysName = "sim";
        private String sysLocation = "loopback";
        private final List<SimulatedInterface> interfaces = new ArrayList<>();
        private final Map<SnmpOid, SnmpValue> extra = new LinkedHashMap<>();

        private Builder(InetAddress address) {
            this.address = Objects.requireNonNull(address, "address");
            if (!address.isLoopbackAddress()) {
                throw new IllegalArgumentException("simulated devices listen on loopback addresses only, not "
                        + address.getHostAddress());
            }
        }

        /**
         * Sets the UDP port (0, the default, takes a free one).
         *
         * @param p 0-65535
         * @return this builder
         */
        public Builder port(int p) {
            if (p < 0 || p > 65535) {
                throw new IllegalArgumentException("port " + p + " must be 0-65535");
            }
            this.port = p;
            return this;
        }

        /**
         * Sets the v1/v2c community (default {@code public}).
         *
         * @param c the community
         * @return this builder
         */
        public Builder community(String c) {
            this.community = Objects.requireNonNull(c);
            return this;
        }

        /**
         * Whether the agent has an ifXTable (names, aliases, 64-bit counters); default {@code true}.
         *
         * @param on whether present
         * @return this builder
         */
        public Builder ifXTable(boolean on) {
            this.ifXTable = on;
            return this;
        }

        /**
         * The most varbinds a GET may carry before the agent answers tooBig (default unlimited).
         *
         * @param n the limit, 1 or more
         * @return this builder
         */
        public Builder maxGetVarbinds(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxGetVarbinds must be positive");
            }
            this.maxGetVarbinds = n;
            return this;
        }

        /**
         * Sets the system group.
         *
         * @param descr sysDescr
         * @param objectId sysObjectID
         * @param name sysName
         * @param location sysLocation
         * @return this builder
         */
        public Builder system(String descr, SnmpOid objectId, String name, String location) {
            this.sysDescr = Objects.requireNonNull(descr);
            this.sysObjectId = Objects.requireNonNull(objectId);
            this.sysName = Objects.requireNonNull(name);
            this.sysLocation = Objects.requireNonNull(location);
            return this;
        }

        /**
         * Adds interfaces.
         *
         * @param ifs the interfaces
         * @return this builder
         */
        public Builder interfaces(List<SimulatedInterface> ifs) {
            interfaces.addAll(ifs);
            return this;
        }

        /**
         * Adds a scalar.
         *
         * @param oid the instance OID
         * @param value the value
         * @return this builder
         */
        public Builder scalar(SnmpOid oid, SnmpValue value) {
            extra.put(Objects.requireNonNull(oid), Objects.requireNonNull(value));
            return this;
        }

        SimulatedDevice build(SnmpSimulatorClock clock, Instant boot) {
            return new SimulatedDevice(this, clock, boot);
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
