package io.github.wardops.ward.runner.http;

import com.fasterxml.jackson.core.JsonGenerator;
import io.github.wardops.ward.DeviceStatus;
import io.github.wardops.ward.internal.state.Tracker;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.runner.http.server.Request;
import io.github.wardops.ward.runner.http.server.Response;
import io.github.wardops.ward.state.DeviceState;
import io.github.wardops.ward.state.StateTracker;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/summary}: how many devices are in each status, for the fleet, per region and
 * per branch (the devices' {@code region} and {@code branch} labels), counted from the state
 * tracker's memory without listing a device: the fleet overview's one request. At most
 * {@link #MAX_GROUPS} regions and as many branches are listed (devices beyond still count in the
 * totals, and the answer says so).
 *
 * <p>Counting reads every device's status and flags (ward's tracker gives them without copying
 * the state) into region and branch counters found once per inventory ({@link Index}); at 100,000
 * devices that takes about 35 ms (docs/benchmarks.md); so the answer is the latest count: made by this request when there is
 * none younger than {@link #STALE_NANOS}, else the one kept, and when that is older than
 * {@link #FRESH_NANOS} one new count starts behind the request (one at a time) for the next
 * one. The answer's {@code at} says when it was counted. Thread-safe.
 */
final class SummaryResource {
    /** The most regions, and the most branches, one answer lists. */
    static final int MAX_GROUPS = 10_000;
    /** The region and branch labels. */
    static final String REGION = "region";
    static final String BRANCH = "branch";
    private static final Comparator<String> NAMES = Comparator.nullsLast(Comparator.naturalOrder());

    /** The counters of one group, in the order of {@link #KEYS}. */
    static final List<String> KEYS = List.of("UP", "DOWN", "UNREACHABLE", "UNKNOWN", "FAILING", "FLAPPING");
    static final int UP = 0;
    static final int DOWN = 1;
    static final int UNREACHABLE = 2;
    static final int UNKNOWN = 3;
    static final int FAILING = 4;
    static final int FLAPPING = 5;
    static final int DEVICES = 6;

    /** A count younger than this (1 s) is answered as it is. */
    static final long FRESH_NANOS = 1_000_000_000L;
    /** A count younger than this (15 s) is answered while a new one is made behind the request. */
    static final long STALE_NANOS = 15_000_000_000L;
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);

    /** One count: when it started ({@link System#nanoTime()}) and its answer. */
    private record Counted(long nanoTime, byte[] json) {
    }

    private final Supplier<List<Device>> inventory;
    private final Supplier<ToIntFunction<DeviceId>> status;
    private final IntSupplier openAlerts;
    private final Clock clock;
    private final long freshNanos;
    private final long staleNanos;
    private final AtomicReference<Counted> last = new AtomicReference<>();
    private final AtomicBoolean counting = new AtomicBoolean();
    /** The groups of the last inventory counted, kept while the inventory is the same. */
    private volatile Index index;

    private final FleetView fleet;
    /** The uplinks by provider, or null: then the answer has no {@code uplinks}. */
    private final Uplinks uplinks;

    SummaryResource(FleetView fleet, Clock clock) {
        this(fleet, clock, null);
    }

    SummaryResource(FleetView fleet, Clock clock, Uplinks uplinks) {
        this(fleet::devices, fleet::statusBits, () -> fleet.openAlerts().size(), clock, FRESH_NANOS, STALE_NANOS, fleet,
                uplinks);
    }

    /**
     * A device's status bits from the tracker: ward's own tracker reads them without copying the
     * state ({@link Tracker#statusBits}); any other from its {@link StateTracker#state}.
     *
     * @param tracker the tracker
     * @return the device's bits, -1 when not tracked
     */
    static ToIntFunction<DeviceId> statusOf(StateTracker tracker) {
        if (tracker instanceof Tracker t) {
            return t::statusBits;
        }
        return bits(id -> tracker.state(id).orElse(null));
    }

    /**
     * Status bits (as {@link Tracker#statusBits}) from states.
     *
     * @param state a device's state, or {@code null} when not tracked
     * @return the bits, -1 when not tracked
     */
    static ToIntFunction<DeviceId> bits(Function<DeviceId, DeviceState> state) {
        return id -> {
            DeviceState s = state.apply(id);
            return s == null ? -1 : s.status().ordinal() | (s.failing() ? Tracker.FAILING_BIT : 0)
                    | (s.flapping() ? Tracker.FLAPPING_BIT : 0);
        };
    }


    /**
     * A summary over these sources.
     *
     * @param inventory the devices
     * @param status a device's status bits (as {@link Tracker#statusBits}), -1 when not tracked
     * @param openAlerts the number of open alerts
     * @param clock the clock for {@code at}
     * @param freshNanos a count younger than this is answered as it is
     * @param staleNanos a count younger than this is answered while a new one is made
     */
    SummaryResource(Supplier<List<Device>> inventory, ToIntFunction<DeviceId> status, IntSupplier openAlerts,
                    Clock clock, long freshNanos, long staleNanos) {
        this(inventory, () -> status, openAlerts, clock, freshNanos, staleNanos, null, null);
    }

    private SummaryResource(Supplier<List<Device>> inventory, Supplier<ToIntFunction<DeviceId>> status,
                            IntSupplier openAlerts, Clock clock, long freshNanos, long staleNanos, FleetView fleet,
                            Uplinks uplinks) {
        this.fleet = fleet;
        this.uplinks = uplinks;
        this.inventory = inventory;
        this.status = status;
        this.openAlerts = openAlerts;
        this.clock = clock;
        this.freshNanos = freshNanos;
        this.staleNanos = staleNanos;
    }

    /** One region, its counts and its branches. */
    static final class Region {
        final int[] counts = new int[7];
        final Map<String, int[]> branches = new HashMap<>();
    }

    /**
     * The counts of a fleet.
     *
     * @param totals the fleet's counts (indexes as {@link #KEYS}, then the devices)
     * @param regions by region label ({@code null}: devices without one)
     * @param branches the branches listed over every region
     * @param truncated whether regions or branches beyond {@link #MAX_GROUPS} were left out
     */
    record Summary(int[] totals, Map<String, Region> regions, int branches, boolean truncated) {
    }

    /**
     * Counts devices by status, failing and flapping, for the fleet, per region and per branch.
     *
     * @param devices the inventory
     * @param state a device's state, or {@code null} when the tracker does not know it (UNKNOWN)
     * @param maxGroups the most regions, and the most branches, kept
     * @return the counts
     */
    static Summary summarize(List<Device> devices, Function<DeviceId, DeviceState> state, int maxGroups) {
        return Index.of(devices, maxGroups).count(bits(state));
    }

    /** The counter of each {@link DeviceStatus}, by ordinal. */
    private static final int[] COUNTER = new int[DeviceStatus.values().length];

    static {
        for (DeviceStatus st : DeviceStatus.values()) {
            COUNTER[st.ordinal()] = switch (st) {
                case UP -> UP;
                case DOWN -> DOWN;
                case UNREACHABLE -> UNREACHABLE;
                case UNKNOWN -> UNKNOWN;
            };
        }
    }

    /**
     * The groups of one inventory: each device's region and branch as slots, found once (the
     * label look-ups and map probes are most of a count's time otherwise), kept while the
     * inventory holds the same devices (the same {@link Device} instances, in the same order:
     * a device whose labels change is a new instance). Immutable.
     */
    static final class Index {
        final List<Device> devices;
        final DeviceId[] ids;
        final int[] region;
        final int[] branch;
        final List<String> regionNames;
        final List<String> branchNames;
        final int[] branchRegion;
        final boolean truncated;

        private Index(List<Device> devices, DeviceId[] ids, int[] region, int[] branch, List<String> regionNames,
                      List<String> branchNames, int[] branchRegion, boolean truncated) {
            this.devices = devices;
            this.ids = ids;
            this.region = region;
            this.branch = branch;
            this.regionNames = regionNames;
            this.branchNames = branchNames;
            this.branchRegion = branchRegion;
            this.truncated = truncated;
        }

        /**
         * The index of an inventory, with the limits and order of the counts before it: a region
         * beyond {@code maxGroups} leaves its devices out of the groups (slot -1), as does a
         * branch beyond them.
         *
         * @param devices the inventory
         * @param maxGroups the most regions, and the most branches, kept
         * @return the index
         */
        static Index of(List<Device> devices, int maxGroups) {
            int n = devices.size();
            DeviceId[] ids = new DeviceId[n];
            int[] region = new int[n];
            int[] branch = new int[n];
            Map<String, Integer> regions = new HashMap<>();
            List<String> regionNames = new ArrayList<>();
            List<Map<String, Integer>> branchesOf = new ArrayList<>();
            List<String> branchNames = new ArrayList<>();
            List<Integer> branchRegion = new ArrayList<>();
            boolean truncated = false;
            for (int i = 0; i < n; i++) {
                Device d = devices.get(i);
                ids[i] = d.id();
                region[i] = -1;
                branch[i] = -1;
                Map<String, String> labels = d.labels();
                String regionName = labels.get(REGION);
                Integer r = regions.get(regionName);
                if (r == null) {
                    if (regions.size() >= maxGroups) {
                        truncated = true;
                        continue;
                    }
                    r = regionNames.size();
                    regions.put(regionName, r);
                    regionNames.add(regionName);
                    branchesOf.add(new HashMap<>());
                }
                region[i] = r;
                String branchName = labels.get(BRANCH);
                Integer b = branchesOf.get(r).get(branchName);
                if (b == null) {
                    if (branchNames.size() >= maxGroups) {
                        truncated = true;
                        continue;
                    }
                    b = branchNames.size();
                    branchesOf.get(r).put(branchName, b);
                    branchNames.add(branchName);
                    branchRegion.add(r);
                }
                branch[i] = b;
            }
            int[] br = new int[branchRegion.size()];
            for (int i = 0; i < br.length; i++) {
                br[i] = branchRegion.get(i);
            }
            return new Index(devices, ids, region, branch, regionNames, branchNames, br, truncated);
        }

        /**
         * Whether this index is of that inventory.
         *
         * @param other an inventory
         * @return whether it holds the same device instances in the same order
         */
        boolean isOf(List<Device> other) {
            if (other == devices) {
                return true;
            }
            int n = devices.size();
            if (other.size() != n) {
                return false;
            }
            for (int i = 0; i < n; i++) {
                if (other.get(i) != devices.get(i)) {
                    return false;
                }
            }
            return true;
        }

        /**
         * Counts every device by its status bits.
         *
         * @param status a device's bits, -1 when not tracked (UNKNOWN)
         * @return the counts
         */
        Summary count(ToIntFunction<DeviceId> status) {
            int[] totals = new int[7];
            int[][] regionCounts = new int[regionNames.size()][7];
            int[][] branchCounts = new int[branchNames.size()][7];
            for (int i = 0; i < ids.length; i++) {
                int bits = status.applyAsInt(ids[i]);
                int st = bits < 0 ? UNKNOWN : COUNTER[bits & 0xff];
                boolean failing = bits >= 0 && (bits & Tracker.FAILING_BIT) != 0;
                boolean flapping = bits >= 0 && (bits & Tracker.FLAPPING_BIT) != 0;
                add(totals, st, failing, flapping);
                if (region[i] >= 0) {
                    add(regionCounts[region[i]], st, failing, flapping);
                    if (branch[i] >= 0) {
                        add(branchCounts[branch[i]], st, failing, flapping);
                    }
                }
            }
            Map<String, Region> regions = new HashMap<>();
            List<Region> bySlot = new ArrayList<>(regionNames.size());
            for (int r = 0; r < regionNames.size(); r++) {
                Region g = new Region();
                System.arraycopy(regionCounts[r], 0, g.counts, 0, 7);
                regions.put(regionNames.get(r), g);
                bySlot.add(g);
            }
            for (int b = 0; b < branchNames.size(); b++) {
                bySlot.get(branchRegion[b]).branches.put(branchNames.get(b), branchCounts[b]);
            }
            return new Summary(totals, regions, branchNames.size(), truncated);
        }
    }

    static void add(int[] c, int status, boolean failing, boolean flapping) {
        c[status]++;
        if (failing) {
            c[FAILING]++;
        }
        if (flapping) {
            c[FLAPPING]++;
        }
        c[DEVICES]++;
    }

    /**
     * Writes a summary as the answer's JSON.
     *
     * @param s the summary
     * @param at when it was counted
     * @param alerts the open alerts
     * @param g where to write; left open
     * @throws IOException when writing fails
     */
    static void write(Summary s, Instant at, int alerts, JsonGenerator g) throws IOException {
        write(s, at, alerts, null, g);
    }

    /**
     * Writes a summary and the uplinks per provider as the answer's JSON.
     *
     * @param s the summary
     * @param at when it was counted
     * @param alerts the open alerts
     * @param uplinks the uplinks by provider, or {@code null} for none
     * @param g where to write; left open
     * @throws IOException when writing fails
     */
    static void write(Summary s, Instant at, int alerts, Uplinks.Counts uplinks, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("at", at.toString());
        g.writeNumberField("devices", s.totals()[DEVICES]);
        g.writeFieldName("counts");
        counts(g, s.totals());
        g.writeNumberField("alerts", alerts);
        if (uplinks != null) {
            g.writeFieldName("uplinks");
            g.writeStartObject();
            g.writeNumberField("devices", uplinks.devices());
            g.writeNumberField("devicesAllDown", uplinks.devicesAllDown());
            g.writeFieldName("providers");
            g.writeStartArray();
            for (Uplinks.Provider p : uplinks.providers()) {
                g.writeStartObject();
                g.writeStringField("provider", p.provider());
                g.writeNumberField("up", p.up());
                g.writeNumberField("down", p.down());
                g.writeNumberField("unknown", p.unknown());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeBooleanField("truncated", s.truncated());
        List<String> regionNames = new ArrayList<>(s.regions().keySet());
        regionNames.sort(NAMES);
        g.writeFieldName("regions");
        g.writeStartArray();
        for (String name : regionNames) {
            Region r = s.regions().get(name);
            g.writeStartObject();
            g.writeStringField("region", name);
            g.writeNumberField("devices", r.counts[DEVICES]);
            g.writeFieldName("counts");
            counts(g, r.counts);
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeFieldName("branches");
        g.writeStartArray();
        for (String name : regionNames) {
            Region r = s.regions().get(name);
            List<String> branchNames = new ArrayList<>(r.branches.keySet());
            branchNames.sort(NAMES);
            for (String b : branchNames) {
                int[] c = r.branches.get(b);
                g.writeStartObject();
                g.writeStringField("region", name);
                g.writeStringField("branch", b);
                g.writeNumberField("devices", c[DEVICES]);
                g.writeFieldName("counts");
                counts(g, c);
                g.writeEndObject();
            }
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void counts(JsonGenerator g, int[] c) throws IOException {
        g.writeStartObject();
        for (int i = 0; i < KEYS.size(); i++) {
            g.writeNumberField(KEYS.get(i), c[i]);
        }
        g.writeEndObject();
    }

    void get(Request q, Response r) throws IOException {
        if (Answers.refuseParameters(q, r)) {
            return;
        }
        byte[] answer = answer();
        if (fleet != null) {
            Answers.fleetAge(r, fleet);
        }
        r.send(200, Answers.JSON, answer);
    }

    /**
     * The answer's bytes: the last count when it is younger than {@link #FRESH_NANOS}; when it is
     * older but younger than {@link #STALE_NANOS}, the last count too, while one new count starts
     * behind the request; else a new count, made now.
     *
     * @return the JSON
     * @throws IOException when writing fails
     */
    byte[] answer() throws IOException {
        Counted c = last.get();
        long now = System.nanoTime();
        if (c != null && now - c.nanoTime() < freshNanos) {
            return c.json();
        }
        if (c != null && now - c.nanoTime() < staleNanos) {
            if (counting.compareAndSet(false, true)) {
                Thread.ofVirtual().name("ward-summary").start(() -> {
                    try {
                        count();
                    } catch (IOException | RuntimeException e) {
                        LOG.warn("counting the summary failed: {}", e.toString());
                    } finally {
                        counting.set(false);
                    }
                });
            }
            return c.json();
        }
        return count().json();
    }

    private Counted count() throws IOException {
        long started = System.nanoTime();
        List<Device> devices = inventory.get();
        Index ix = index;
        if (ix == null || !ix.isOf(devices)) {
            ix = Index.of(devices, MAX_GROUPS);
            index = ix;
        }
        Summary s = ix.count(status.get());
        int alerts = openAlerts.getAsInt();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(64 * 1024);
        Uplinks.Counts u = uplinks == null ? null : uplinks.count();
        try (JsonGenerator g = Answers.generator(out)) {
            write(s, clock.instant(), alerts, u, g);
        }
        Counted c = new Counted(started, out.toByteArray());
        last.accumulateAndGet(c, (a, b) -> a == null || b.nanoTime() - a.nanoTime() > 0 ? b : a);
        return c;
    }

    /**
     * Writes a summary as the answer's JSON to a stream, closed at the end (for the benchmark).
     *
     * @param s the summary
     * @param at when it was counted
     * @param alerts the open alerts
     * @param out where to write
     * @throws IOException when writing fails
     */
    static void write(Summary s, Instant at, int alerts, OutputStream out) throws IOException {
        try (JsonGenerator g = Answers.generator(out)) {
            write(s, at, alerts, g);
        }
    }
}
