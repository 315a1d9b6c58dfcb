package io.github.wardops.ward.postgres.cluster;

import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.postgres.WriteFence;
import io.github.wardops.ward.postgres.internal.cluster.MemberState;
import io.github.wardops.ward.postgres.internal.cluster.Protocol;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This runner's membership of the cluster of runners that share one PostgreSQL: which shards of
 * the fleet it owns, at which fencing epoch. Thread-safe; arguments are never {@code null}.
 *
 * <p>{@link #join} opens a session of its own, registers the runner in {@code cluster_runners}
 * and takes its session advisory lock {@code (0x7761726E, lock_key)}: a runner is live exactly
 * while that lock is granted. Every {@link ClusterOptions#tickInterval()} the member's thread
 * heartbeats, reads the live runners and the shard map, gives up (after the listener's
 * {@link ShardListener#lost} returned) the shards that rendezvous hashing now gives to another
 * live runner, and takes those it gives to this one that are free or held by a runner that is not
 * live; each take raises the shard's epoch ({@link ShardListener#gained}). When no heartbeat sent
 * within {@link ClusterOptions#fenceAfter()} was confirmed, the member fences itself: it drops
 * every shard, ends its session, and rejoins on a new session once its old one is gone at the
 * server. Writers check their epochs with {@link #fence()} in the writing transaction. See
 * docs/cluster.md.
 *
 * <p>{@link #close()} drops and releases every shard, then the lock, within
 * {@link ClusterOptions#closeTimeout()} plus a statement's bound. A crash leaves nothing that
 * blocks a restart: the lock dies with the session and the shards are taken over.
 */
public final class ClusterMember implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterMember.class);

    /** Opens a new plain JDBC connection (no pool: the member's lock lives on its session). */
    @FunctionalInterface
    public interface Connector {
        /**
         * Opens a connection.
         *
         * @return a new connection; never {@code null}
         * @throws SQLException when the database cannot be reached
         */
        Connection open() throws SQLException;
    }

    private final ClusterOptions options;
    private final MemberState state;
    private final Protocol protocol;
    private final ScheduledExecutorService ticks;
    private final ScheduledExecutorService watchdog;
    private final List<Meter> meters = new ArrayList<>();
    private final Fence fence;
    private boolean closed;

    private ClusterMember(Connector connector, ClusterOptions options, ShardListener listener) {
        this.options = options;
        this.fence = new Fence(options.id());
        MeterRegistry registry = options.meterRegistry().orElse(null);
        MemberState.Events events = MemberState.Events.NONE;
        if (registry != null) {
            Counter gained = Counter.builder("ward.cluster.shards.moves").tag("direction", "gained")
                    .description("Shards this runner gained").register(registry);
            Counter lost = Counter.builder("ward.cluster.shards.moves").tag("direction", "lost")
                    .description("Shards this runner lost (handed over, fenced or closed)").register(registry);
            Counter fenced = Counter.builder("ward.cluster.fenced")
                    .description("Episodes in which this runner fenced itself").register(registry);
            meters.add(gained);
            meters.add(lost);
            meters.add(fenced);
            events = new MemberState.Events() {
                @Override
                public void gained() {
                    gained.increment();
                }

                @Override
                public void lost() {
                    lost.increment();
                }

                @Override
                public void fenced() {
                    fenced.increment();
                }
            };
        }
        Protocol[] p = new Protocol[1];
        this.state = new MemberState(options.name(), options.ticker(), options.fenceAfter(), listener, events,
                () -> p[0].abortSession());
        this.protocol = new Protocol(connector::open, options, state);
        p[0] = protocol;
        if (registry != null) {
            meters.add(Gauge.builder("ward.cluster.shards.owned", state, MemberState::ownedCount)
                    .description("Shards this runner owns").register(registry));
            meters.add(Gauge.builder("ward.cluster.runners.live", protocol,
                            pr -> pr.view().runners().stream().filter(ClusterView.Runner::live).count())
                    .description("Live runners in the cluster, as this runner saw them at its last tick").register(registry));
        }
        this.ticks = Executors.newSingleThreadScheduledExecutor(r -> thread(r, "ward-cluster-tick"));
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> thread(r, "ward-cluster-watchdog"));
    }

    private static Thread thread(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * Joins the cluster: starts the member's own thread, whose first tick (at once) opens the
     * member's session, registers the runner, takes its lock and then its shards. Returns without
     * waiting for that: until the member has joined it is {@link #fenced()} and owns nothing. When
     * the database does not answer (or the runner's old session still holds its lock), the member
     * keeps trying every tick.
     *
     * @param connector opens the member's own connections; never {@code null}
     * @param options the options; never {@code null}
     * @param listener told about gained and lost shards; never {@code null}
     * @return the member; close it to leave
     */
    public static ClusterMember join(Connector connector, ClusterOptions options, ShardListener listener) {
        Objects.requireNonNull(connector, "connector");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(listener, "listener");
        ClusterMember m = new ClusterMember(connector, options, listener);
        m.start();
        return m;
    }

    private void start() {
        long tick = options.tickInterval().toNanos();
        // the first tick joins at once; the watchdog checks the fence as often as the member ticks
        // (at most every 500 ms), independently of a tick stuck in a statement
        ticks.scheduleWithFixedDelay(this::safeTick, 0, tick, TimeUnit.NANOSECONDS);
        long check = options.checkPeriod().toNanos();
        watchdog.scheduleAtFixedRate(this::safeCheck, check, check, TimeUnit.NANOSECONDS);
    }

    private void safeTick() {
        try {
            protocol.tick();
        } catch (RuntimeException | Error e) {
            LOG.error("cluster: a tick failed", e);
            state.fence("a tick failed: " + e);
        }
    }

    private void safeCheck() {
        try {
            state.mayAct();
        } catch (RuntimeException e) {
            LOG.error("cluster: the fence check failed", e);
        }
    }

    /**
     * This runner's id.
     *
     * @return the id; never {@code null}
     */
    public UUID id() {
        return options.id();
    }

    /**
     * The options this member was joined with.
     *
     * @return the options; never {@code null}
     */
    public ClusterOptions options() {
        return options;
    }

    /**
     * Whether this member is fenced: it owns nothing and is trying to (re)join. Also true before
     * the first join and after close. The runner shows it on {@code /ready}.
     *
     * @return whether it is fenced
     */
    public boolean fenced() {
        return state.fenced();
    }

    /**
     * How many fencing episodes began since join.
     *
     * @return the count
     */
    public long fencedEpisodes() {
        return state.episodes();
    }

    /**
     * The shards this runner owns now, with the epoch it gained each at: what a batch of writes is
     * decided under.
     *
     * @return a snapshot; never {@code null}, empty when fenced
     */
    public Set<ShardLease> leases() {
        Set<ShardLease> out = new LinkedHashSet<>();
        for (Map.Entry<ShardKey, Long> e : state.ownedNow().entrySet()) {
            out.add(new ShardLease(e.getKey(), e.getValue()));
        }
        return out;
    }

    /**
     * A {@link WriteFence} for {@link io.github.wardops.ward.postgres.PostgresStorage#fenceWrites}:
     * in each write transaction it locks the shard rows of the batch's devices {@code FOR SHARE}
     * ({@link Fence#holding}) at the epochs this runner holds now, and admits the rows of devices
     * whose shard this runner still owns at that epoch. A shard being handed over is still held
     * while {@link ShardListener#lost} runs, so the listener may flush its last writes for it.
     * Never takes the member's internal lock: writers do not wait for a listener call.
     *
     * @param keyOf a device's shard key; {@code null} for a device outside the sharded fleet
     *     (ward's own self-health alert, say), whose rows are always written; never {@code null}
     * @return the fence; thread-safe
     */
    public WriteFence writeFence(Function<DeviceId, ShardKey> keyOf) {
        Objects.requireNonNull(keyOf, "keyOf");
        return (tx, devices) -> {
            Map<ShardKey, Long> owned = state.ownedNow();
            Map<DeviceId, ShardKey> keys = new HashMap<>();
            Set<ShardLease> decided = new LinkedHashSet<>();
            for (DeviceId d : devices) {
                ShardKey k = keyOf.apply(d);
                if (k == null) {
                    continue;
                }
                keys.put(d, k);
                Long epoch = owned.get(k);
                if (epoch != null) {
                    decided.add(new ShardLease(k, epoch));
                }
            }
            if (keys.isEmpty()) {
                return d -> true;
            }
            Set<ShardKey> held = new HashSet<>();
            for (ShardLease l : fence.holding(tx, decided)) {
                held.add(l.key());
            }
            return d -> {
                ShardKey k = keys.get(d);
                return k == null || held.contains(k);
            };
        };
    }

    /**
     * The fence for this runner's writers.
     *
     * @return the fence; never {@code null}
     */
    public Fence fence() {
        return fence;
    }

    /**
     * The cluster as this member saw it at its last tick, with its own shards as of now.
     *
     * @return a snapshot; never {@code null}
     */
    public ClusterView view() {
        ClusterView v = protocol.view();
        boolean f = state.fenced();
        return new ClusterView(v.self(), f, v.readAt(), v.runners(), v.shards(), f ? Map.of() : state.owned(),
                v.zonesWithoutRunner());
    }

    /**
     * Leaves the cluster: stops ticking, drops every shard (the listener is told), releases them
     * in the database (epoch + 1, no owner) and frees the lock. Bounded by
     * {@link ClusterOptions#closeTimeout()} plus the statements' bound. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        ticks.shutdown();
        watchdog.shutdown();
        try {
            watchdog.awaitTermination(options.closeTimeout().toMillis(), TimeUnit.MILLISECONDS);
            if (!ticks.awaitTermination(options.closeTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("cluster: {}'s tick did not end within {}; closing anyway", options.name(), options.closeTimeout());
                ticks.shutdownNow();
                protocol.abortSession();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ticks.shutdownNow();
            protocol.abortSession();
        }
        state.dropAll();
        protocol.close();
        MeterRegistry registry = options.meterRegistry().orElse(null);
        if (registry != null) {
            meters.forEach(registry::remove);
        }
    }

    @Override
    public String toString() {
        return "ClusterMember[" + options.name() + ", " + options.id() + (fenced() ? ", fenced" : "") + "]";
    }

}
