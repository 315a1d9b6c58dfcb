package io.github.wardops.ward.alert;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A time during which alerts of matching devices are silenced (and the silence recorded).
 * Either a one-off range of instants, or a recurring local-time range in a time zone, daily or on
 * given weekdays: {@code daily 02:00-04:00 Asia/Tbilisi}. Recurring windows follow the zone's
 * rules: across a daylight-saving change a 02:00-04:00 window covers the local times that exist
 * that night (a start in a gap moves forward to the first valid time; in an overlap the earlier
 * offset is used), so its real length may be one hour shorter or longer. A window whose end is
 * not after its start ends on the next day. Immutable and thread-safe.
 */
public final class MaintenanceWindow {
    private final String name;
    private final LabelSelector selector;
    private final Instant from;
    private final Instant to;
    private final ZoneId zone;
    private final LocalTime start;
    private final LocalTime end;
    private final Set<DayOfWeek> days;

    private MaintenanceWindow(String name, LabelSelector selector, Instant from, Instant to, ZoneId zone,
                              LocalTime start, LocalTime end, Set<DayOfWeek> days) {
        this.name = Objects.requireNonNull(name, "name");
        this.selector = Objects.requireNonNull(selector, "selector");
        this.from = from;
        this.to = to;
        this.zone = zone;
        this.start = start;
        this.end = end;
        this.days = days;
    }

    /**
     * A one-off window {@code [from, to)}.
     *
     * @param name the name; never {@code null}
     * @param selector the devices; never {@code null}
     * @param from the start; never {@code null}
     * @param to the end, after {@code from}; never {@code null}
     * @return the window
     */
    public static MaintenanceWindow once(String name, LabelSelector selector, Instant from, Instant to) {
        if (!to.isAfter(from)) {
            throw new IllegalArgumentException("maintenance window '" + name + "': end " + to + " must be after start " + from);
        }
        return new MaintenanceWindow(name, selector, from, to, null, null, null, null);
    }

    /**
     * A window every day from {@code start} to {@code end} local time in {@code zone}.
     *
     * @param name the name; never {@code null}
     * @param selector the devices; never {@code null}
     * @param zone the time zone; never {@code null}
     * @param start the local start; never {@code null}
     * @param end the local end (not after start: the next day); never {@code null}
     * @return the window
     */
    public static MaintenanceWindow daily(String name, LabelSelector selector, ZoneId zone, LocalTime start, LocalTime end) {
        return weekly(name, selector, zone, EnumSet.allOf(DayOfWeek.class), start, end);
    }

    /**
     * A window on the given weekdays (the day it starts) from {@code start} to {@code end} local
     * time in {@code zone}.
     *
     * @param name the name; never {@code null}
     * @param selector the devices; never {@code null}
     * @param zone the time zone; never {@code null}
     * @param days the weekdays it starts on, not empty; never {@code null}
     * @param start the local start; never {@code null}
     * @param end the local end (not after start: the next day); never {@code null}
     * @return the window
     */
    public static MaintenanceWindow weekly(String name, LabelSelector selector, ZoneId zone, Set<DayOfWeek> days,
                                           LocalTime start, LocalTime end) {
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (days.isEmpty()) {
            throw new IllegalArgumentException("maintenance window '" + name + "': no weekdays");
        }
        return new MaintenanceWindow(name, selector, null, null, zone, start, end, Set.copyOf(days));
    }

    /**
     * The window's name.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The devices it covers.
     *
     * @return the selector
     */
    public LabelSelector selector() {
        return selector;
    }

    /**
     * Whether the window is active at an instant.
     *
     * @param at the instant; never {@code null}
     * @return {@code true} inside the window (start inclusive, end exclusive)
     */
    public boolean activeAt(Instant at) {
        if (zone == null) {
            return !at.isBefore(from) && at.isBefore(to);
        }
        LocalDate today = at.atZone(zone).toLocalDate();
        // An occurrence that started yesterday may still run (windows crossing midnight).
        for (LocalDate d : new LocalDate[] {today.minusDays(1), today}) {
            if (!days.contains(d.getDayOfWeek())) {
                continue;
            }
            ZonedDateTime s = ZonedDateTime.of(d, start, zone);
            LocalDate endDate = end.isAfter(start) ? d : d.plusDays(1);
            ZonedDateTime e = ZonedDateTime.of(endDate, end, zone);
            Instant si = s.toInstant();
            Instant ei = e.toInstant();
            if (!at.isBefore(si) && at.isBefore(ei)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the window silences a device with these labels at an instant.
     *
     * @param labels the device's labels (pseudo-labels included); never {@code null}
     * @param at the instant; never {@code null}
     * @return {@code true} when active and matching
     */
    public boolean covers(Map<String, String> labels, Instant at) {
        return activeAt(at) && selector.matches(labels);
    }

    @Override
    public String toString() {
        return zone == null ? "MaintenanceWindow[" + name + " " + from + "/" + to + "]"
                : "MaintenanceWindow[" + name + " " + start + "-" + end + " " + zone + " " + days + "]";
    }
}
