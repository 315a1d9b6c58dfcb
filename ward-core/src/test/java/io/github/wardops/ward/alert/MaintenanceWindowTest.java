package io.github.wardops.ward.alert;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MaintenanceWindowTest {
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final MaintenanceWindow NIGHTLY = MaintenanceWindow.daily("nightly", LabelSelector.parse("region = Tbilisi"),
            BERLIN, LocalTime.of(2, 0), LocalTime.of(4, 0));

    static Instant utc(String s) {
        return Instant.parse(s);
    }

    @Test
    void anOrdinaryNightInWinterAndSummer() {
        // Winter, CET = UTC+1: 02:00-04:00 local is 01:00-03:00 UTC.
        assertFalse(NIGHTLY.activeAt(utc("2026-01-15T00:59:59Z")));
        assertTrue(NIGHTLY.activeAt(utc("2026-01-15T01:00:00Z")));
        assertTrue(NIGHTLY.activeAt(utc("2026-01-15T02:59:59Z")));
        assertFalse(NIGHTLY.activeAt(utc("2026-01-15T03:00:00Z")));
        // Summer, CEST = UTC+2: 00:00-02:00 UTC.
        assertTrue(NIGHTLY.activeAt(utc("2026-07-15T00:00:00Z")));
        assertFalse(NIGHTLY.activeAt(utc("2026-07-15T02:00:00Z")));
        assertFalse(NIGHTLY.activeAt(utc("2026-07-15T01:00:00Z").minusSeconds(3601)));
    }

    @Test
    void theSpringForwardNightIsOneHourShorter() {
        // 2026-03-29: clocks jump from 02:00 CET to 03:00 CEST. 02:00 does not exist: the window
        // starts at 03:00 CEST (01:00 UTC) and ends at 04:00 CEST (02:00 UTC).
        assertFalse(NIGHTLY.activeAt(utc("2026-03-29T00:59:59Z")));
        assertTrue(NIGHTLY.activeAt(utc("2026-03-29T01:00:00Z")));
        assertTrue(NIGHTLY.activeAt(utc("2026-03-29T01:59:59Z")));
        assertFalse(NIGHTLY.activeAt(utc("2026-03-29T02:00:00Z")), "ends at 04:00 CEST, one real hour long");
    }

    @Test
    void theFallBackNightIsOneHourLonger() {
        // 2026-10-25: clocks fall from 03:00 CEST back to 02:00 CET. The window starts at the first
        // 02:00 (CEST, 00:00 UTC) and ends at 04:00 CET (03:00 UTC): three real hours.
        assertFalse(NIGHTLY.activeAt(utc("2026-10-24T23:59:59Z")));
        assertTrue(NIGHTLY.activeAt(utc("2026-10-25T00:00:00Z")));
        assertTrue(NIGHTLY.activeAt(utc("2026-10-25T01:30:00Z")), "the repeated hour is inside");
        assertTrue(NIGHTLY.activeAt(utc("2026-10-25T02:59:59Z")));
        assertFalse(NIGHTLY.activeAt(utc("2026-10-25T03:00:00Z")));
    }

    @Test
    void windowsCrossingMidnightAndWeekdays() {
        MaintenanceWindow w = MaintenanceWindow.weekly("weekend", LabelSelector.any(), ZoneId.of("America/New_York"),
                EnumSet.of(DayOfWeek.SATURDAY), LocalTime.of(22, 0), LocalTime.of(2, 0));
        // Saturday 2026-03-07 22:00 EST = Sunday 03:00 UTC, until Sunday 02:00 EST = 07:00 UTC.
        assertTrue(w.activeAt(utc("2026-03-08T03:00:00Z")));
        assertTrue(w.activeAt(utc("2026-03-08T06:59:59Z")), "runs past midnight into Sunday");
        assertFalse(w.activeAt(utc("2026-03-08T07:00:00Z")));
        // The next Saturday crosses the US spring-forward (2026-03-08 is the change itself; this one
        // starts 2026-03-14 22:00 EDT = 2026-03-15 02:00 UTC).
        assertTrue(w.activeAt(utc("2026-03-15T02:00:00Z")));
        assertFalse(w.activeAt(utc("2026-03-15T01:59:59Z")));
        // A Friday night is not covered.
        assertFalse(w.activeAt(utc("2026-03-07T03:30:00Z")));
    }

    @Test
    void tbilisiHasNoDstAndSelectorsApply() {
        MaintenanceWindow w = MaintenanceWindow.daily("tbilisi", LabelSelector.parse("region = Tbilisi"),
                ZoneId.of("Asia/Tbilisi"), LocalTime.of(2, 0), LocalTime.of(4, 0));
        // UTC+4 all year: 22:00-24:00 UTC the day before.
        assertTrue(w.covers(Map.of("region", "Tbilisi"), utc("2026-07-14T22:30:00Z")));
        assertTrue(w.covers(Map.of("region", "Tbilisi"), utc("2026-01-14T22:30:00Z")));
        assertFalse(w.covers(Map.of("region", "Imereti"), utc("2026-07-14T22:30:00Z")));
    }

    @Test
    void oneOffWindowsAndValidation() {
        MaintenanceWindow w = MaintenanceWindow.once("upgrade", LabelSelector.any(), utc("2026-05-01T10:00:00Z"),
                utc("2026-05-01T11:00:00Z"));
        assertTrue(w.activeAt(utc("2026-05-01T10:00:00Z")));
        assertFalse(w.activeAt(utc("2026-05-01T11:00:00Z")));
        assertThrows(IllegalArgumentException.class, () -> MaintenanceWindow.once("x", LabelSelector.any(),
                utc("2026-05-01T11:00:00Z"), utc("2026-05-01T11:00:00Z")));
        assertThrows(IllegalArgumentException.class, () -> MaintenanceWindow.weekly("x", LabelSelector.any(), BERLIN,
                EnumSet.noneOf(DayOfWeek.class), LocalTime.NOON, LocalTime.MIDNIGHT));
    }
}
