package io.github.wardops.ward.runner.demo;

import io.github.wardops.ward.inventory.Device;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's outages: a plan of staggered outages that repeats every cycle, each taking the next
 * few devices down for its length and then bringing them back. What "down" means is the
 * {@link Effect} (in {@code ward demo}: the devices' simulated SNMP agents go silent and, as root
 * with {@code nft}, their echoes are dropped on loopback by ward-simulator's
 * {@code LoopbackOutages}, so they keep their addresses).
 *
 * <p>The default plan, {@link #STORY}, is long enough to show the whole story of an outage with
 * the bundled rules: failing, DOWN, one alert escalating at 1, 2 and 5 minutes, and recovery.
 *
 * <p>Driven by {@link #tick}, called by one timer thread with the time since the demo started;
 * not thread-safe.
 */
public final class DemoFaults {
    private static final Logger LOG = LoggerFactory.getLogger(DemoFaults.class);

    /**
     * What taking a device down and bringing it back does.
     */
    public interface Effect {
        /**
         * Takes the device down, or brings it back.
         *
         * @param device the device
         * @param down {@code true} to take it down, {@code false} to bring it back
         */
        void set(Device device, boolean down);
    }

    /**
     * One outage of a plan.
     *
     * @param name a short name for the log
     * @param start when it starts, from the beginning of each cycle
     * @param length how long the devices stay down
     * @param expect what an operator should see meanwhile, for the log
     */
    public record Outage(String name, Duration start, Duration length, String expect) {
        /**
         * Checks the components.
         *
         * @throws NullPointerException if one is null
         * @throws IllegalArgumentException if {@code start} is negative or {@code length} not positive
         */
        public Outage {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(expect, "expect");
            if (start.isNegative() || length.isNegative() || length.isZero()) {
                throw new IllegalArgumentException("an outage needs a start of 0 or more and a positive length");
            }
        }

        Duration end() {
            return start.plus(length);
        }
    }

    /** How often {@link #STORY} repeats: 10 minutes. */
    public static final Duration STORY_CYCLE = Duration.ofMinutes(10);

    /**
     * The default plan: three staggered outages per 10-minute cycle, the first 30 s after the
     * start (so the fleet is UP first). With the bundled rules ({@code ping_unreachable >= 1, 2, 5}
     * minutes of an outage):
     * <ul>
     *   <li>{@code long}, 0:30-6:30: failing, DOWN, Ping Unavailable at 1 minute, High Priority at
     *       2, Critical at 5, recovery;</li>
     *   <li>{@code medium}, 1:30-4:00: up to High Priority, recovery;</li>
     *   <li>{@code short}, 5:00-6:15: Ping Unavailable only, recovery.</li>
     * </ul>
     */
    public static final List<Outage> STORY = List.of(
            new Outage("long", Duration.ofSeconds(30), Duration.ofMinutes(6),
                    "failing at its next probe, DOWN once re-checks confirm it; with the bundled rules one alert, "
                            + "Ping Unavailable at 1 min, escalating to High Priority at 2 min and Critical at 5 min; back at 6 min"),
            new Outage("medium", Duration.ofSeconds(90), Duration.ofSeconds(150),
                    "failing, DOWN; Ping Unavailable at 1 min, High Priority at 2 min; back at 2.5 min"),
            new Outage("short", Duration.ofMinutes(5), Duration.ofSeconds(75),
                    "failing, DOWN; Ping Unavailable at 1 min; back at 1 min 15 s"));

    private final List<Device> candidates;
    private final Effect effect;
    private final int perOutage;
    private final List<Outage> plan;
    private final Duration cycle;
    /** The devices each outage of the plan holds down now (empty when it is not on). */
    private final List<List<Device>> down = new ArrayList<>();
    private int next;

    /**
     * Creates the outages.
     *
     * @param candidates the devices that may be taken down, taken in turn
     * @param effect what taking one down does
     * @param perOutage devices per outage, 0-50
     * @param plan the outages of one cycle; each must end within the cycle
     * @param cycle how often the plan repeats
     * @throws IllegalArgumentException if an outage does not fit in the cycle
     */
    public DemoFaults(List<Device> candidates, Effect effect, int perOutage, List<Outage> plan, Duration cycle) {
        this.candidates = List.copyOf(candidates);
        this.effect = Objects.requireNonNull(effect, "effect");
        this.perOutage = perOutage;
        this.plan = List.copyOf(plan);
        this.cycle = cycle;
        for (Outage o : plan) {
            if (o.end().compareTo(cycle) > 0) {
                throw new IllegalArgumentException("outage '" + o.name() + "' ends after the cycle of " + cycle);
            }
            down.add(new ArrayList<>());
        }
    }

    /**
     * The plan of {@code --fault-every}: devices go down after {@code every}, come back after
     * another {@code every}, and so on.
     *
     * @param every how long devices stay up, then down
     * @return the plan (one outage; its cycle is twice {@code every})
     */
    public static List<Outage> toggling(Duration every) {
        return List.of(new Outage("toggle", every, every, "DOWN once confirmed; alerts as the rules say; back after " + clock(every)));
    }

    /**
     * The plan, for the start-up log.
     *
     * @return one line per outage
     */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        for (Outage o : plan) {
            lines.add(String.format("%s outage: %s-%s of every %s cycle, %d device(s): %s", o.name(), clock(o.start()),
                    clock(o.end()), clock(cycle), perOutage, o.expect()));
        }
        return lines;
    }

    private static String clock(Duration d) {
        long s = d.toSeconds();
        return String.format("%d:%02d", s / 60, s % 60);
    }

    /**
     * Starts and ends outages as the plan says for this moment.
     *
     * @param sinceStart the time since the demo started
     */
    public void tick(Duration sinceStart) {
        long within = Math.floorMod(sinceStart.toMillis(), cycle.toMillis());
        for (int i = 0; i < plan.size(); i++) {
            Outage o = plan.get(i);
            boolean on = within >= o.start().toMillis() && within < o.end().toMillis();
            List<Device> held = down.get(i);
            try {
                if (on && held.isEmpty()) {
                    begin(o, held);
                } else if (!on && !held.isEmpty()) {
                    end(o, held);
                }
            } catch (RuntimeException e) {
                LOG.warn("demo: the {} outage step failed: {}", o.name(), e.toString());
            }
        }
    }

    private void begin(Outage o, List<Device> held) {
        List<Device> busy = downNow();
        for (int tried = 0; held.size() < perOutage && tried < candidates.size(); tried++) {
            Device d = candidates.get(next++ % candidates.size());
            if (!busy.contains(d)) {
                // Held before the effect, so a failing effect is still undone at the end.
                held.add(d);
                effect.set(d, true);
            }
        }
        if (!held.isEmpty()) {
            LOG.info("demo: {} outage ({}): taking down {}; expect: {}", o.name(), clock(o.length()), names(held), o.expect());
        }
    }

    private void end(Outage o, List<Device> held) {
        for (Device d : held) {
            effect.set(d, false);
        }
        LOG.info("demo: {} outage over after {}: {} back; expect them UP once confirmed and their alerts resolved",
                o.name(), clock(o.length()), names(held));
        held.clear();
    }

    /** Brings every device down now back. */
    public void endAll() {
        for (int i = 0; i < plan.size(); i++) {
            if (!down.get(i).isEmpty()) {
                end(plan.get(i), down.get(i));
            }
        }
    }

    /**
     * Names devices as the status page does: name, address, region / branch.
     *
     * @param ds the devices
     * @return the text
     */
    static String names(List<Device> ds) {
        List<String> out = new ArrayList<>();
        for (Device d : ds) {
            out.add(d.name() + " (" + d.address().getHostAddress() + ", " + d.labels().getOrDefault("region", "no region") + " / "
                    + d.labels().getOrDefault("branch", "no branch") + ")");
        }
        return String.join(", ", out);
    }

    /**
     * The devices down now.
     *
     * @return them, in the order taken down
     */
    public List<Device> downNow() {
        List<Device> all = new ArrayList<>();
        down.forEach(all::addAll);
        return all;
    }
}
