package io.github.wardops.ward.postgres.internal.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.Ticker;
import io.github.wardops.ward.postgres.cluster.ClusterOptions;
import io.github.wardops.ward.postgres.cluster.ShardKey;
import io.github.wardops.ward.postgres.cluster.ShardListener;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Self-fencing is measured on the monotonic clock from the SENT time of the last confirmed heartbeat. */
class FencingTimingTest {
    private static final long MS = 1_000_000L;

    private final AtomicLong now = new AtomicLong(1_000 * MS);
    private final Ticker ticker = now::get;
    private final List<String> events = new ArrayList<>();
    private final ShardListener listener = new ShardListener() {
        @Override
        public void gained(ShardKey shard, long epoch) {
            events.add("gained " + shard + "@" + epoch);
        }

        @Override
        public void lost(ShardKey shard) {
            events.add("lost " + shard);
        }
    };
    private int sessionsEnded;

    private MemberState state() {
        return new MemberState("test", ticker, Duration.ofSeconds(6), listener, MemberState.Events.NONE, () -> {
            sessionsEnded++;
            events.add("session ended");
        });
    }

    @Test
    void noConfirmationForLongerThanFenceAfterFencesBeforeActing() {
        MemberState s = state();
        assertTrue(s.fenced(), "not joined yet");
        assertFalse(s.gain(new ShardKey("", 1), 1), "nothing is gained before joining");
        s.joined(now.get());
        assertTrue(s.gain(new ShardKey("", 1), 5));
        assertTrue(s.gain(new ShardKey("", 2), 7));
        // a heartbeat sent at +1 s is confirmed (at +3 s: the round trip took 2 s)
        long sent = now.addAndGet(1_000 * MS);
        now.addAndGet(2_000 * MS);
        s.confirmed(sent);
        // exactly fence-after since it was sent: still fine
        now.set(sent + 6_000 * MS);
        assertTrue(s.mayAct());
        assertEquals(2, s.ownedCount());
        // one nanosecond more: the next action fences first and is refused
        now.set(sent + 6_000 * MS + 1);
        assertFalse(s.gain(new ShardKey("", 3), 9), "the gain is refused: fenced before acting");
        assertTrue(s.fenced());
        assertEquals(List.of("gained -/1@5", "gained -/2@7", "lost -/1", "lost -/2", "session ended"), events);
        assertEquals(1, s.episodes());
        assertTrue(s.owned().isEmpty());
        // fencing again is no new episode; a late confirmation does not unfence
        s.fence("again");
        s.confirmed(now.get());
        assertTrue(s.fenced());
        assertEquals(1, s.episodes());
        assertEquals(1, sessionsEnded);
        // rejoining does
        s.joined(now.get());
        assertFalse(s.fenced());
        assertTrue(s.gain(new ShardKey("", 1), 11));
    }

    @Test
    void theConfirmationCountsFromWhenTheHeartbeatWasSentNotWhenItsAnswerCame() {
        MemberState s = state();
        s.joined(now.get());
        long sent = now.addAndGet(1_000 * MS);
        // the answer takes 5.5 s: by the time it comes, only 0.5 s of the confirmation is left
        now.addAndGet(5_500 * MS);
        s.confirmed(sent);
        now.addAndGet(600 * MS);
        assertFalse(s.mayAct());
        assertTrue(s.fenced());
    }

    @Test
    void aPausedProcessFencesOnItsNextTickBeforeTouchingTheDatabase() {
        ClusterOptions o = ClusterOptions.builder().name("paused").ticker(ticker).build();
        MemberState s = state();
        Protocol p = new Protocol(() -> {
            events.add("database");
            throw new SQLException("unreachable", "08001");
        }, o, s);
        s.joined(now.get());
        assertTrue(s.gain(new ShardKey("", 4), 3));
        // the whole process stops (a long GC pause) for longer than fence-after
        now.addAndGet(6_500 * MS);
        p.tick();
        assertTrue(s.fenced());
        assertEquals(List.of("gained -/4@3", "lost -/4", "session ended"), events,
                "the shards are dropped before the tick touches the database");
        // the next tick tries to rejoin on a new session
        p.tick();
        assertEquals(List.of("gained -/4@3", "lost -/4", "session ended", "database"), events);
        assertTrue(s.fenced());
        assertTrue(p.view().fenced());
        assertTrue(p.view().owned().isEmpty());
    }
}
