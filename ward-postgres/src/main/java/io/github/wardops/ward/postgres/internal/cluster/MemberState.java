package io.github.wardops.ward.postgres.internal.cluster;

import io.github.wardops.ward.Ticker;
import io.github.wardops.ward.postgres.cluster.ShardKey;
import io.github.wardops.ward.postgres.cluster.ShardListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one member holds locally, and its self-fencing. Thread-safe: the tick thread and the
 * watchdog both use it, and every listener call is made holding its monitor, so calls never
 * overlap and a fence cannot interleave with a gain.
 *
 * <p>The fencing rule: the member may act (gain a shard, keep its shards) only while a heartbeat
 * it SENT no more than {@code fenceAfter} ago (by the monotonic ticker) was confirmed. It is
 * checked before every action and by the watchdog, so neither a tick stuck in a statement nor a
 * pause of the whole process lets the member keep shards the server may already have freed.
 */
public final class MemberState {
    private static final Logger LOG = LoggerFactory.getLogger(MemberState.class);

    /** Told about moves and fences, for metrics. */
    public interface Events {
        /** A shard was gained. */
        void gained();

        /** A shard was lost. */
        void lost();

        /** A fencing episode began. */
        void fenced();

        /** No events. */
        Events NONE = new Events() {
            @Override
            public void gained() {
            }

            @Override
            public void lost() {
            }

            @Override
            public void fenced() {
            }
        };
    }

    private final String name;
    private final Ticker ticker;
    private final long fenceAfterNanos;
    private final ShardListener listener;
    private final Events events;
    private final Runnable onFence;
    private final Map<ShardKey, Long> owned = new TreeMap<>();
    private boolean fenced = true;
    /** {@link #owned} as an immutable copy, for readers that must not take this object's lock. */
    private volatile Map<ShardKey, Long> published = Map.of();
    private boolean everJoined;
    private long lastConfirmed;
    private long episodes;

    /**
     * The state of a member not yet joined (fenced, owning nothing).
     *
     * @param name the member's name, for logs
     * @param ticker the monotonic clock
     * @param fenceAfter how long a confirmation lasts
     * @param listener told about gains and losses
     * @param events told about moves and fences
     * @param onFence run (holding this monitor) when a fence begins: ends the member's session
     */
    public MemberState(String name, Ticker ticker, Duration fenceAfter, ShardListener listener, Events events,
            Runnable onFence) {
        this.name = Objects.requireNonNull(name, "name");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.fenceAfterNanos = fenceAfter.toNanos();
        this.listener = Objects.requireNonNull(listener, "listener");
        this.events = Objects.requireNonNull(events, "events");
        this.onFence = Objects.requireNonNull(onFence, "onFence");
    }

    /**
     * The member (re)joined: its lock is held on a session whose statement, sent at
     * {@code sentAt}, was confirmed.
     *
     * @param sentAt the ticker's reading when the confirmed statement was sent
     */
    public synchronized void joined(long sentAt) {
        lastConfirmed = sentAt;
        if (fenced && everJoined) {
            LOG.info("cluster: {} rejoined after being fenced", name);
        }
        fenced = false;
        everJoined = true;
    }

    /**
     * A heartbeat sent at {@code sentAt} was confirmed.
     *
     * @param sentAt the ticker's reading when it was sent
     */
    public synchronized void confirmed(long sentAt) {
        if (!fenced && sentAt - lastConfirmed > 0) {
            lastConfirmed = sentAt;
        }
    }

    /**
     * Checks the fence before acting: fences the member when its last confirmation is older than
     * {@code fenceAfter}.
     *
     * @return whether the member may act (it is not fenced)
     */
    public synchronized boolean mayAct() {
        if (fenced) {
            return false;
        }
        long age = ticker.read() - lastConfirmed;
        if (age > fenceAfterNanos) {
            fence("no heartbeat confirmed for " + Duration.ofNanos(age).toMillis() + " ms (fence-after "
                    + Duration.ofNanos(fenceAfterNanos).toMillis() + " ms)");
            return false;
        }
        return true;
    }

    /**
     * Fences the member: every owned shard is lost (the listener is told, one by one), and the
     * member owns nothing until it rejoins. Logs at WARN once per episode. Idempotent.
     *
     * @param why why, for the log
     */
    public synchronized void fence(String why) {
        if (fenced) {
            return;
        }
        fenced = true;
        episodes++;
        LOG.warn("cluster: {} is FENCED ({}): it dropped its {} shard(s) and stops probing them until it rejoins",
                name, why, owned.size());
        for (ShardKey k : new ArrayList<>(owned.keySet())) {
            lose(k);
        }
        events.fenced();
        try {
            onFence.run();
        } catch (RuntimeException e) {
            LOG.debug("cluster: ending the fenced session failed: {}", e.getMessage());
        }
    }

    /**
     * Drops shards locally before they are released: the listener's {@code lost} has returned for
     * each when this returns.
     *
     * @param keys the shards
     * @return those of them that were held (to release in the database)
     */
    public synchronized List<ShardKey> drop(Collection<ShardKey> keys) {
        List<ShardKey> out = new ArrayList<>();
        for (ShardKey k : keys) {
            if (owned.containsKey(k)) {
                lose(k);
                out.add(k);
            }
        }
        return out;
    }

    /**
     * Records a shard taken in the database, if the member may still act.
     *
     * @param key the shard
     * @param epoch its new epoch
     * @return whether the listener was told (false: the member is fenced now)
     */
    public synchronized boolean gain(ShardKey key, long epoch) {
        if (!mayAct()) {
            return false;
        }
        owned.put(key, epoch);
        published = Map.copyOf(owned);
        events.gained();
        try {
            listener.gained(key, epoch);
        } catch (RuntimeException e) {
            LOG.error("cluster: the listener failed on gaining shard {}: {}", key, e.toString());
        }
        return true;
    }

    /**
     * Tells the listener first, then forgets the shard: while {@code lost} runs, the shard is still
     * in {@link #ownedNow()}, so the listener may flush its last writes for it through the fence
     * (the database still names this member at that epoch until the release that follows).
     */
    private void lose(ShardKey k) {
        events.lost();
        try {
            listener.lost(k);
        } catch (RuntimeException e) {
            LOG.error("cluster: the listener failed on losing shard {}: {}", k, e.toString());
        }
        owned.remove(k);
        published = Map.copyOf(owned);
    }

    /**
     * The shards held with their epochs, read without this object's lock (writers' threads read it
     * while the member's thread may be inside a listener call).
     *
     * @return an immutable snapshot
     */
    public Map<ShardKey, Long> ownedNow() {
        return published;
    }

    /**
     * The shards held, with the epoch each was gained at.
     *
     * @return a copy
     */
    public synchronized Map<ShardKey, Long> owned() {
        return new TreeMap<>(owned);
    }

    /**
     * How many shards are held.
     *
     * @return the count
     */
    public synchronized int ownedCount() {
        return owned.size();
    }

    /**
     * Whether the member is fenced (or has not joined yet).
     *
     * @return whether it is
     */
    public synchronized boolean fenced() {
        return fenced;
    }

    /**
     * How many fencing episodes began.
     *
     * @return the count
     */
    public synchronized long episodes() {
        return episodes;
    }

    /**
     * On close: drops every shard (the listener is told) and stays fenced for good.
     *
     * @return the shards that were held
     */
    public synchronized List<ShardKey> dropAll() {
        List<ShardKey> out = drop(new ArrayList<>(owned.keySet()));
        fenced = true;
        return out;
    }
}
