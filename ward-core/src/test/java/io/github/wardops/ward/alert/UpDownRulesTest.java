package io.github.wardops.ward.alert;

import static io.github.wardops.ward.testing.Results.down;
import static io.github.wardops.ward.testing.Results.up;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.DeviceStatus;
import io.github.wardops.ward.internal.alert.InMemoryAlertStore;
import io.github.wardops.ward.inventory.Addresses;
import io.github.wardops.ward.inventory.Check;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.state.StateStore;
import io.github.wardops.ward.state.StateTracker;
import io.github.wardops.ward.testing.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The fleet's up/down rules mean minutes at any interval: between two probes of a device checked
 * every 5 minutes, the tracker's sweep moves the outage's minutes and the rules' timers on.
 */
class UpDownRulesTest {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    final FakeClock clock = new FakeClock(T0);
    final InMemoryAlertStore store = new InMemoryAlertStore(100);
    Alerting alerting;
    StateTracker tracker;

    @AfterEach
    void close() {
        tracker.close();
        alerting.close();
    }

    Device wire(Duration interval, AlertRule... rules) {
        Device d = Device.builder(DeviceId.fromKey("slow"), "Gori-ATM-7", Addresses.parse("127.0.0.7"))
                .check(Check.icmp(interval)).build();
        alerting = Alerting.builder().rules(List.of(rules)).clock(clock).store(store).build();
        tracker = StateTracker.builder().downAfter(3).clock(clock).sweepEvery(Duration.ZERO).listener(alerting)
                .store(StateStore.inMemory()).build();
        tracker.replaceInventory(List.of(d));
        alerting.start();
        tracker.start();
        return d;
    }

    void feed(ProbeResult r) {
        clock.set(r.at());
        tracker.onResult(r);
    }

    /** Moves the fake time in 5 s sweeps (the default), no probe in between. */
    void sweepUntil(Instant end) {
        while (clock.instant().isBefore(end)) {
            clock.advance(Duration.ofSeconds(5));
            tracker.sweep();
        }
    }

    Alert open(String rule) {
        return alerting.openAlerts().stream().filter(a -> a.rule().equals(rule)).findFirst().orElse(null);
    }

    @Test
    void statusDownFor5mOpensFiveMinutesAfterConfirmationEvenBetweenProbes() {
        Device d = wire(Duration.ofMinutes(5), AlertRule.of("Down 5m", "status == down for 5m", Severity.HIGH,
                LabelSelector.any()));
        feed(up(d.id(), T0));
        // the failure and its two re-checks, seconds apart
        feed(down(d.id(), T0.plusSeconds(300)));
        feed(down(d.id(), T0.plusSeconds(303)));
        feed(down(d.id(), T0.plusSeconds(307)));
        assertEquals(DeviceStatus.DOWN, tracker.status(d.id()));
        Instant confirmed = clock.instant();
        sweepUntil(confirmed.plus(Duration.ofMinutes(5)).minusSeconds(5));
        assertNull(open("Down 5m"), "not yet: the next probe is minutes away");
        sweepUntil(confirmed.plus(Duration.ofMinutes(5)));
        Alert a = open("Down 5m");
        assertTrue(a != null, "opened by the sweep, five minutes after the condition began to hold");
        assertEquals(T0.plusSeconds(300), a.since(), "the outage began at the first failed probe");
        feed(up(d.id(), confirmed.plus(Duration.ofMinutes(6))));
        feed(up(d.id(), confirmed.plus(Duration.ofMinutes(6)).plusSeconds(2)));
        assertEquals(List.of(), alerting.openAlerts());
    }

    @Test
    void pingUnreachableCountsMinutesBetweenProbesOfA5MinuteInterval() throws Exception {
        List<AlertRule> fleet = AlertRules.load(java.nio.file.Path.of(
                UpDownRulesTest.class.getResource("/fleet/alert-rules.json").toURI())).rules();
        Device d = wire(Duration.ofMinutes(5), fleet.toArray(new AlertRule[0]));
        feed(up(d.id(), T0, 20));
        Instant first = T0.plusSeconds(300);
        feed(down(d.id(), first));
        feed(down(d.id(), first.plusSeconds(3)));
        feed(down(d.id(), first.plusSeconds(7)));
        assertEquals(List.of(), alerting.openAlerts(), "DOWN, 7 s: no minute yet");
        sweepUntil(first.plus(Duration.ofMinutes(1)));
        assertTrue(open("Ping Unavailable") != null, "at one minute, not at the next probe 5 minutes later");
        assertNull(open("Device Down - High Priority"));
        sweepUntil(first.plus(Duration.ofMinutes(2)));
        assertTrue(open("Device Down - High Priority") != null);
        sweepUntil(first.plus(Duration.ofMinutes(5)));
        assertTrue(open("Device Down - Critical") != null, "at five minutes");
    }
}
