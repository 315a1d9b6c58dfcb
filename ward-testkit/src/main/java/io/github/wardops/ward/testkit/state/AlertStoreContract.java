package io.github.wardops.ward.testkit.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.alert.Alert;
import io.github.wardops.ward.alert.AlertStore;
import io.github.wardops.ward.alert.Severity;
import io.github.wardops.ward.alert.Silence;
import io.github.wardops.ward.inventory.DeviceId;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link AlertStore} passes. Extend it and implement {@link #newStore()} to
 * return an empty store. Time stamps used here are whole seconds.
 *
 * <p>Not thread-safe: JUnit creates one instance per test; the store is called from the test thread.
 *
 * <p>The subclass methods must not return {@code null}; the suite fails if they do.
 */
public abstract class AlertStoreContract {
    /** For subclasses. */
    protected AlertStoreContract() {
    }

    /** The store under test, fresh for each test. */
    protected AlertStore store;

    /**
     * Creates an empty store.
     *
     * @return the store
     * @throws Exception when it cannot be created
     */
    protected abstract AlertStore newStore() throws Exception;

    @BeforeEach
    void createStore() throws Exception {
        store = newStore();
    }

    static Instant t(int minute) {
        return Instant.parse("2026-03-01T10:00:00Z").plusSeconds(60L * minute);
    }

    static Alert alert(DeviceId d, String rule, int since) {
        return new Alert(UUID.randomUUID(), d, "Kutaisi-881 ", 0, rule, Severity.CRITICAL,
                "ping_unreachable >= 5 (status down since ...); 27 devices depend on it", t(since), t(since + 2),
                null, null, null, null, 27);
    }

    @Test
    void anOpenedAlertIsLoadedWithEveryField() throws Exception {
        Alert a = alert(DeviceId.fromKey("c1"), "Device Down - Critical", 0);
        store.opened(a);
        assertEquals(List.of(a), List.copyOf(store.loadOpen()));
    }

    @Test
    void aResolvedAlertIsNoLongerOpenAndKeepsItsTimes() throws Exception {
        DeviceId d = DeviceId.fromKey("c2");
        Alert a = alert(d, "Ping Unavailable", 0);
        store.opened(a);
        Alert r = a.resolve(t(9), "condition cleared");
        store.resolved(r);
        assertEquals(0, store.loadOpen().size());
        List<Alert> h = store.history(d, t(0), t(60));
        assertEquals(List.of(r), h);
        assertEquals(java.time.Duration.ofMinutes(9), h.get(0).duration(t(100)));
    }

    @Test
    void anAcknowledgementIsKept() throws Exception {
        Alert a = alert(DeviceId.fromKey("c3"), "High Latency", 0);
        store.opened(a);
        Alert acked = a.acknowledge(t(4), "nino");
        store.acknowledged(acked);
        assertEquals(List.of(acked), List.copyOf(store.loadOpen()));
    }

    @Test
    void historyFiltersByDeviceAndOverlapAndIncludesOpenAlerts() throws Exception {
        DeviceId d1 = DeviceId.fromKey("c4");
        DeviceId d2 = DeviceId.fromKey("c5");
        Alert early = alert(d1, "a", 0);
        Alert late = alert(d1, "b", 30);
        Alert other = alert(d2, "a", 0);
        Alert stillOpen = alert(d1, "c", 40);
        for (Alert a : List.of(early, late, other, stillOpen)) {
            store.opened(a);
        }
        store.resolved(early.resolve(t(10), "condition cleared"));
        store.resolved(late.resolve(t(35), "condition cleared"));
        store.resolved(other.resolve(t(10), "condition cleared"));
        List<Alert> window = store.history(d1, t(20), t(50));
        assertEquals(List.of(late.id(), stillOpen.id()), window.stream().map(Alert::id).toList(),
                "overlapping [20, 50), oldest first, open ones included");
        assertEquals(4, store.history(null, t(0), t(60)).size());
        assertTrue(store.history(d1, t(100), t(200)).stream().allMatch(Alert::isOpen));
    }

    static Alert problem(DeviceId d, int since) {
        return new Alert(UUID.randomUUID(), d, "Batumi1-811", "127.0.0.9",
                java.util.Map.of("region", "Achara", "branch", "Batumi1"), 0, "reachability", "Ping Unavailable",
                Severity.CRITICAL, "ping_unreachable >= 1 (status down since ...)", t(since), t(since + 1), null, null,
                null, null, 0, List.of(new Alert.Step("Ping Unavailable", Severity.CRITICAL, t(since + 1))));
    }

    @Test
    void aProblemKeepsItsDeviceGroupAndHistory() throws Exception {
        Alert a = problem(DeviceId.fromKey("c7"), 0);
        store.opened(a);
        assertEquals(List.of(a), List.copyOf(store.loadOpen()));
        Alert escalated = a.withProblem("Device Down - Critical", Severity.CRITICAL, "ping_unreachable >= 5",
                List.of(a.history().get(0), new Alert.Step("Device Down - High Priority", Severity.HIGH, t(2)),
                        new Alert.Step("Device Down - Critical", Severity.CRITICAL, t(5))));
        store.updated(escalated);
        assertEquals(List.of(escalated), List.copyOf(store.loadOpen()), "the escalated copy is what a restart sees");
        Alert r = escalated.resolve(t(9), "condition cleared");
        store.resolved(r);
        assertEquals(List.of(r), store.history(a.device(), t(0), t(60)));
    }

    @Test
    void forTimersAreKeptReplacedAndCleared() throws Exception {
        DeviceId d = DeviceId.fromKey("c8");
        store.pendingStarted(new io.github.wardops.ward.alert.PendingCondition(d, "Loss", 0, t(1)));
        store.pendingStarted(new io.github.wardops.ward.alert.PendingCondition(d, "Busy", 3, t(2)));
        store.pendingStarted(new io.github.wardops.ward.alert.PendingCondition(d, "Loss", 0, t(4)));
        assertEquals(java.util.Set.of(new io.github.wardops.ward.alert.PendingCondition(d, "Loss", 0, t(4)),
                new io.github.wardops.ward.alert.PendingCondition(d, "Busy", 3, t(2))),
                java.util.Set.copyOf(store.loadPending()));
        store.pendingCleared(d, "Loss", 0);
        store.pendingCleared(d, "Nothing", 0);
        assertEquals(List.of(new io.github.wardops.ward.alert.PendingCondition(d, "Busy", 3, t(2))),
                List.copyOf(store.loadPending()));
    }

    /** A shard handed over: only its devices' open alerts and timers are read, every field intact. */
    @Test
    void openAlertsAndTimersOfSomeDevicesAreLoadedForAHandover() throws Exception {
        DeviceId mine = DeviceId.fromKey("c9");
        DeviceId alsoMine = DeviceId.fromKey("c10");
        DeviceId other = DeviceId.fromKey("c11");
        Alert a = problem(mine, 0).acknowledge(t(3), "nino");
        Alert b = alert(alsoMine, "High Latency", 1);
        Alert gone = alert(mine, "Ping Unavailable", 2);
        store.opened(a);
        store.acknowledged(a);
        store.opened(b);
        store.opened(gone);
        store.resolved(gone.resolve(t(4), "condition cleared"));
        store.opened(alert(other, "High Latency", 1));
        store.pendingStarted(new io.github.wardops.ward.alert.PendingCondition(mine, "Loss", 0, t(1)));
        store.pendingStarted(new io.github.wardops.ward.alert.PendingCondition(other, "Loss", 0, t(1)));
        assertEquals(java.util.Set.of(a, b), java.util.Set.copyOf(store.loadOpen(List.of(mine, alsoMine))));
        assertEquals(List.of(new io.github.wardops.ward.alert.PendingCondition(mine, "Loss", 0, t(1))),
                List.copyOf(store.loadPending(List.of(mine, alsoMine))));
        assertEquals(List.of(), List.copyOf(store.loadOpen(List.of())));
        assertEquals(List.of(), List.copyOf(store.loadOpen(List.of(DeviceId.fromKey("never-alerted")))));
    }

    /**
     * An acknowledgement made through another instance: stored at once, the first one kept, and
     * read back by time for the owner. (A store used by one instance only may acknowledge nothing:
     * override {@link #acknowledgesElsewhere()} to say so.)
     */
    @Test
    void anAcknowledgementMadeElsewhereIsStoredAndReadBackByTime() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(acknowledgesElsewhere(), "the store acknowledges nothing itself");
        Alert a = alert(DeviceId.fromKey("c12"), "Device Down - Critical", 0);
        store.opened(a);
        Alert acked = store.acknowledgeOpen(a.id(), t(3), "nino").orElseThrow();
        assertEquals(a.acknowledge(t(3), "nino"), acked);
        assertEquals(acked, store.acknowledgeOpen(a.id(), t(5), "giorgi").orElseThrow(), "the first acknowledgement stays");
        assertEquals(List.of(acked), List.copyOf(store.acknowledgedSince(t(3))));
        assertEquals(List.of(), List.copyOf(store.acknowledgedSince(t(4))));
        assertEquals(List.of(acked), List.copyOf(store.loadOpen()));
        store.resolved(acked.resolve(t(6), "condition cleared"));
        assertEquals(List.of(), List.copyOf(store.loadOpen()));
        assertTrue(store.acknowledgeOpen(a.id(), t(7), "nino").isEmpty(), "resolved: nothing to acknowledge");
        assertTrue(store.acknowledgeOpen(UUID.randomUUID(), t(3), "nino").isEmpty());
    }

    /**
     * Whether the store implements {@code acknowledgeOpen} (shared stores must); the default: yes.
     *
     * @return {@code false} to skip its test
     */
    protected boolean acknowledgesElsewhere() {
        return true;
    }

    @Test
    void silencesAreAccepted() throws Exception {
        store.silenced(new Silence(DeviceId.fromKey("c6"), 0, "Ping Unavailable", "nightly", t(1)));
        store.silenced(new Silence(DeviceId.fromKey("c6"), 3, "ISP link down", "nightly", t(1)));
    }
}
