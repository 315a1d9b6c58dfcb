package io.github.wardops.ward.runner.http;

import io.github.wardops.ward.DeviceStatus;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.snmp.SnmpInterface;
import io.github.wardops.ward.state.DeviceState;
import io.github.wardops.ward.state.StateTracker;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The uplinks of the fleet: every polled interface whose role (from {@code snmp-interface-rules})
 * is {@code uplink}, with its provider, kept per device from the latest SNMP poll; their state is
 * the state tracker's confirmed interface state. Counted per provider for {@code /api/summary} and
 * for the gauge {@code ward_runner_uplinks{provider,status}}. Memory: one small entry per uplink of
 * a device still tracked (a device that leaves the inventory is dropped at the next count). At most
 * {@link #MAX_PROVIDERS} providers are told apart; the rest count as {@code other}. Thread-safe.
 */
public final class Uplinks {
    /** The role counted. */
    public static final String ROLE = "uplink";
    /** The most providers told apart in counts and gauge labels (their cardinality). */
    public static final int MAX_PROVIDERS = 100;
    /** The provider label of an uplink whose rule captured none. */
    public static final String NO_PROVIDER = "none";
    /** The provider label beyond {@link #MAX_PROVIDERS}. */
    public static final String OTHER = "other";
    private static final long CACHE_MILLIS = 1_000;

    /** One uplink of a device. */
    private record Link(int ifIndex, String provider) {
    }

    /**
     * One provider's uplinks.
     *
     * @param provider the provider ({@link #NO_PROVIDER}, {@link #OTHER} or a captured name)
     * @param up confirmed up
     * @param down confirmed down
     * @param unknown neither confirmed (not watched: admin-down, or not confirmed yet)
     */
    public record Provider(String provider, int up, int down, int unknown) {
    }

    /**
     * The counts of one moment.
     *
     * @param providers by provider name
     * @param devices devices with at least one uplink
     * @param devicesAllDown of those, devices whose watched uplinks are all confirmed down
     */
    public record Counts(List<Provider> providers, int devices, int devicesAllDown) {
        /** Copies the list. */
        public Counts {
            providers = List.copyOf(providers);
        }
    }

    private final StateTracker tracker;
    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<DeviceId, List<Link>> byDevice = new ConcurrentHashMap<>();
    private final Map<String, Boolean> providers = new ConcurrentHashMap<>();
    private volatile Counts cached;
    private volatile long cachedAt;

    /**
     * An empty index.
     *
     * @param tracker where the interfaces' confirmed states are read
     * @param registry where the gauges go
     * @param clock for the gauges' one-second cache
     */
    public Uplinks(StateTracker tracker, MeterRegistry registry, Clock clock) {
        this.tracker = tracker;
        this.registry = registry;
        this.clock = clock;
    }

    /**
     * Takes a device's interfaces from its latest SNMP poll.
     *
     * @param device the device
     * @param interfaces the interfaces polled
     */
    public void update(DeviceId device, List<SnmpInterface> interfaces) {
        List<Link> links = new ArrayList<>();
        for (SnmpInterface i : interfaces) {
            if (i.index() >= 1 && ROLE.equalsIgnoreCase(i.role())) {
                links.add(new Link(i.index(), provider(i.attributes().get("provider"))));
            }
        }
        if (links.isEmpty()) {
            byDevice.remove(device);
        } else {
            byDevice.put(device, List.copyOf(links));
        }
    }

    private String provider(String captured) {
        String p = captured == null || captured.isBlank() ? NO_PROVIDER : captured.strip();
        if (providers.containsKey(p)) {
            return p;
        }
        synchronized (providers) {
            if (providers.containsKey(p)) {
                return p;
            }
            if (providers.size() >= MAX_PROVIDERS) {
                p = OTHER;
                if (providers.containsKey(p)) {
                    return p;
                }
            }
            providers.put(p, Boolean.TRUE);
            String name = p;
            for (String status : List.of("up", "down", "unknown")) {
                Gauge.builder("ward.runner.uplinks", this, u -> u.gauge(name, status))
                        .tag("provider", name).tag("status", status)
                        .description("Uplinks (interfaces of role uplink) by provider and confirmed state")
                        .register(registry);
            }
            return p;
        }
    }

    private double gauge(String provider, String status) {
        long now = clock.millis();
        Counts c = cached;
        if (c == null || now - cachedAt >= CACHE_MILLIS) {
            c = count();
        }
        for (Provider p : c.providers()) {
            if (p.provider().equals(provider)) {
                return switch (status) {
                    case "up" -> p.up();
                    case "down" -> p.down();
                    default -> p.unknown();
                };
            }
        }
        return 0;
    }

    /**
     * Counts the uplinks now, per provider, by their confirmed state; drops the devices the
     * tracker no longer tracks.
     *
     * @return the counts
     */
    public Counts count() {
        Map<String, int[]> per = new TreeMap<>();
        int devices = 0;
        int allDown = 0;
        for (Map.Entry<DeviceId, List<Link>> e : byDevice.entrySet()) {
            DeviceId id = e.getKey();
            if (tracker.state(id).isEmpty()) {
                byDevice.remove(id, e.getValue());
                continue;
            }
            devices++;
            int watched = 0;
            int down = 0;
            for (Link l : e.getValue()) {
                int[] c = per.computeIfAbsent(l.provider(), k -> new int[3]);
                Optional<DeviceState> s = tracker.interfaceState(id, l.ifIndex());
                DeviceStatus st = s.map(DeviceState::status).orElse(DeviceStatus.UNKNOWN);
                switch (st) {
                    case UP -> {
                        c[0]++;
                        watched++;
                    }
                    case DOWN, UNREACHABLE -> {
                        c[1]++;
                        watched++;
                        down++;
                    }
                    default -> c[2]++;
                }
            }
            if (watched > 0 && down == watched) {
                allDown++;
            }
        }
        List<Provider> out = new ArrayList<>(per.size());
        per.forEach((k, c) -> out.add(new Provider(k, c[0], c[1], c[2])));
        Counts c = new Counts(out, devices, allDown);
        cached = c;
        cachedAt = clock.millis();
        return c;
    }
}
