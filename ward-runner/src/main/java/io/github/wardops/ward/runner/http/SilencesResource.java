package io.github.wardops.ward.runner.http;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.wardops.ward.alert.Alert;
import io.github.wardops.ward.alert.LabelSelector;
import io.github.wardops.ward.alert.RuleSyntaxException;
import io.github.wardops.ward.notify.NotificationLabels;
import io.github.wardops.ward.notify.NotificationLog;
import io.github.wardops.ward.notify.Silence;
import io.github.wardops.ward.runner.config.Durations;
import io.github.wardops.ward.runner.http.server.Request;
import io.github.wardops.ward.runner.http.server.Response;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Silences and the notification log: {@code POST /api/silences} (create), {@code GET /api/silences}
 * (current and recently ended), {@code GET /api/silences/{id}}, {@code DELETE /api/silences/{id}}
 * (expire; idempotent) and {@code GET /api/alerts/{id}/notifications} (what receivers were told
 * of an alert). Without {@link Notifications} every route answers {@code 404} saying so.
 * Thread-safe.
 */
final class SilencesResource {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    /** The longest silence. */
    static final Duration MAX_LENGTH = Duration.ofDays(90);
    /** How far ahead a silence may start. */
    static final Duration MAX_AHEAD = Duration.ofDays(366);
    /** The most silences {@code GET /api/silences} lists, and its default. */
    static final int MAX_LIST = 10_000;
    static final int DEFAULT_LIST = 500;
    /** How far back ended silences go by default. */
    static final Duration DEFAULT_ENDED = Duration.ofHours(24);
    /** How many recently ended silences {@code GET /api/silences/{id}} looks through. */
    static final int LOOKUP_ENDED = 10_000;
    /** The most entries of an alert's notification log, and its default. */
    static final int MAX_LOG = 1_000;
    static final int DEFAULT_LOG = 50;
    private static final Set<String> MEMBERS = Set.of("matchers", "all", "startsAt", "endsAt", "duration", "comment", "author");
    private static final String NOT_CONFIGURED = "notification routing is not configured on this runner "
            + "(the notifications setting): there are no silences nor notification log";

    /**
     * One silence in JSON.
     *
     * @param id its id
     * @param matchers the label selector, as given
     * @param startsAt when it starts (ISO-8601 UTC)
     * @param endsAt when it ends
     * @param author who created it
     * @param comment why
     * @param createdAt when it was created
     * @param state {@code active}, {@code pending} (starts later) or {@code expired}
     * @param heldAlerts how many open alerts it mutes now (0 unless active)
     */
    @JsonPropertyOrder({"id", "matchers", "startsAt", "endsAt", "author", "comment", "createdAt", "state", "heldAlerts"})
    record SilenceView(String id, String matchers, String startsAt, String endsAt, String author, String comment,
                       String createdAt, String state, int heldAlerts) {
    }

    /**
     * One message that named an alert.
     *
     * @param receiver the receiver
     * @param reason {@code new}, {@code changed}, {@code repeat} or {@code escalation}
     * @param sentAt when it was delivered
     * @param status {@code firing} or {@code resolved}: what the message said of the alert
     * @param group the notification group's key
     * @param alerts how many alerts the message named
     */
    @JsonPropertyOrder({"receiver", "reason", "sentAt", "status", "group", "alerts"})
    record NotificationView(String receiver, String reason, String sentAt, String status, String group, int alerts) {
    }

    private final Notifications notifications;
    private final Holds holds;
    private final FleetView fleet;
    private final Clock clock;

    SilencesResource(Notifications notifications, Holds holds, FleetView fleet, Clock clock) {
        this.notifications = notifications;
        this.holds = holds;
        this.fleet = fleet;
        this.clock = clock;
    }

    private boolean configured(Response r) throws IOException {
        if (notifications == null) {
            Answers.error(r, 404, NOT_CONFIGURED);
            return false;
        }
        return true;
    }

    void create(Request q, Response r) throws IOException {
        if (!configured(r)) {
            return;
        }
        String type = q.header("Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            Answers.error(r, 415, "send Content-Type: application/json with the silence as a JSON object");
            return;
        }
        JsonNode n;
        try {
            n = Answers.read(q.body());
        } catch (IOException e) {
            Answers.badRequest(r, "the body is not JSON");
            return;
        }
        if (n == null || !n.isObject()) {
            Answers.badRequest(r, "the body must be a JSON object: {\"matchers\": \"branch = Vake\", \"duration\": \"2h\", "
                    + "\"comment\": \"...\", \"author\": \"...\"}");
            return;
        }
        Instant now = clock.instant();
        List<String> problems = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!MEMBERS.contains(k)) {
                problems.add("unknown member '" + shorten(k) + "' (known: matchers, all, startsAt, endsAt, duration, comment, author)");
            }
        }
        boolean all = false;
        JsonNode allNode = n.get("all");
        if (allNode != null && !allNode.isNull()) {
            if (allNode.isBoolean()) {
                all = allNode.asBoolean();
            } else {
                problems.add("all must be true or false");
            }
        }
        LabelSelector matchers = null;
        String text = text(n, "matchers", problems);
        if (text == null && (n.get("matchers") == null || n.get("matchers").isNull())) {
            problems.add("matchers is missing: a label selector such as \"branch = Vake and severity = critical\"");
        } else if (text != null && text.chars().anyMatch(Character::isISOControl)) {
            problems.add("matchers must not contain control characters");
        } else if (text != null) {
            try {
                matchers = LabelSelector.parse(text.strip());
                if (text.isBlank() && !all) {
                    problems.add("matchers is empty, which would silence every alert: send \"all\": true to mean that");
                    matchers = null;
                } else if (!text.isBlank() && all) {
                    problems.add("\"all\": true silences every alert, but matchers is not empty: send one or the other");
                }
            } catch (RuleSyntaxException e) {
                problems.add("matchers: at column " + e.position() + ": expected " + e.expected() + ", found " + e.found());
            }
        }
        Instant start = now;
        String startText = text(n, "startsAt", problems);
        if (startText != null) {
            start = instant("startsAt", startText, problems);
        }
        String endText = text(n, "endsAt", problems);
        String durationText = text(n, "duration", problems);
        Instant end = null;
        if (endText != null && durationText != null) {
            problems.add("give endsAt or duration, not both");
        } else if (endText == null && durationText == null) {
            problems.add("endsAt or duration is missing: when the silence ends (ISO-8601) or how long it lasts (\"2h\")");
        } else if (endText != null) {
            end = instant("endsAt", endText, problems);
        } else {
            try {
                Duration d = Durations.parse(durationText.strip());
                if (d.isNegative() || d.isZero()) {
                    problems.add("duration '" + shorten(durationText) + "' must be more than 0");
                } else if (d.compareTo(MAX_LENGTH) > 0) {
                    problems.add("duration '" + shorten(durationText) + "' is longer than 90d, the longest silence");
                } else if (start != null) {
                    end = start.plus(d);
                }
            } catch (RuntimeException e) {
                problems.add("duration '" + shorten(durationText) + "': " + e.getMessage());
            }
        }
        if (start != null && start.isAfter(now.plus(MAX_AHEAD))) {
            problems.add("startsAt " + start + " is more than 366d ahead");
        }
        if (start != null && end != null && endText != null) {
            if (!end.isAfter(start)) {
                problems.add("endsAt " + end + " is not after startsAt " + start);
            } else if (Duration.between(start, end).compareTo(MAX_LENGTH) > 0) {
                problems.add("the silence from " + start + " to " + end + " is longer than 90d, the longest silence");
            }
        }
        if (end != null && !end.isAfter(now)) {
            problems.add("endsAt " + end + " is in the past (now is " + now + ")");
        }
        String author = text(n, "author", problems);
        if (author == null) {
            if (!n.has("author") || n.get("author").isNull()) {
                problems.add("author is missing: who silences (1-" + Silence.MAX_AUTHOR + " characters)");
            }
        } else {
            author = author.strip();
            if (author.isEmpty() || author.length() > Silence.MAX_AUTHOR || author.chars().anyMatch(Character::isISOControl)) {
                problems.add("author must be 1-" + Silence.MAX_AUTHOR + " characters without control characters");
            }
        }
        String comment = text(n, "comment", problems);
        comment = comment == null ? "" : comment.strip();
        if (comment.length() > Silence.MAX_COMMENT
                || comment.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\t')) {
            problems.add("comment must be at most " + Silence.MAX_COMMENT + " characters without control characters "
                    + "(line breaks and tabs allowed)");
        }
        if (!problems.isEmpty()) {
            Answers.badRequest(r, String.join("; ", problems));
            return;
        }
        Silence s = new Silence(UUID.randomUUID(), matchers, start, end, author, comment, now);
        try {
            notifications.silences().add(s);
        } catch (IllegalStateException e) {
            Answers.error(r, 409, "the silence store is full (it keeps a bounded number of silences that have not "
                    + "ended): expire silences no longer needed, then try again");
            return;
        } catch (Exception e) {
            LOG.warn("storing silence {} failed: {}", s.id(), e.toString());
            Answers.error(r, 503, "the silence cannot be stored now; try again");
            return;
        }
        holds.invalidate();
        LOG.info("silence {} created by {}: {} from {} to {}", s.id(), author, s.matchers().text().isEmpty()
                ? "every alert" : s.matchers().text(), s.startsAt(), s.endsAt());
        r.header("Location", "/api/silences/" + s.id());
        r.send(201, Answers.JSON, Answers.json(view(s, now, openLabels())));
    }

    void list(Request q, Response r) throws IOException {
        if (!configured(r)) {
            return;
        }
        Instant now = clock.instant();
        List<String> problems = new ArrayList<>();
        Instant endedSince = now.minus(DEFAULT_ENDED);
        int limit = DEFAULT_LIST;
        try {
            for (Map.Entry<String, String> kv : QueryString.parse(q.rawQuery(), 4096, problems)) {
                switch (kv.getKey()) {
                    case "endedSince" -> {
                        Instant t = sinceValue(kv.getValue(), now, problems);
                        endedSince = t == null ? endedSince : t;
                    }
                    case "limit" -> limit = QueryString.wholeNumber("limit", kv.getValue(), 1, MAX_LIST, limit, problems);
                    default -> problems.add("unknown parameter '" + shorten(kv.getKey()) + "' (known: endedSince, limit)");
                }
            }
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        if (!problems.isEmpty()) {
            Answers.badRequest(r, String.join("; ", problems));
            return;
        }
        List<SilenceView> out;
        try {
            out = read(now, endedSince, limit);
        } catch (Exception e) {
            LOG.warn("reading the silences failed: {}", e.toString());
            Answers.error(r, 503, "the silences cannot be read now; try again");
            return;
        }
        Answers.ok(r, out);
    }

    /**
     * The silences as {@code GET /api/silences} lists them with its defaults (the current ones,
     * then those ended in the last 24 h, at most {@code limit}), for the status page's first
     * render; {@code null} when notification routing is not configured (the route answers
     * {@code 404}).
     *
     * @param limit the most listed
     * @return the silences, or {@code null}
     * @throws Exception when they cannot be read
     */
    List<SilenceView> current(int limit) throws Exception {
        if (notifications == null) {
            return null;
        }
        Instant now = clock.instant();
        return read(now, now.minus(DEFAULT_ENDED), limit);
    }

    private List<SilenceView> read(Instant now, Instant endedSince, int limit) throws Exception {
        List<Silence> found = new ArrayList<>();
        List<Silence> current = notifications.silences().current(now);
        found.addAll(current.subList(0, Math.min(current.size(), limit)));
        if (found.size() < limit) {
            for (Silence s : notifications.silences().endedSince(endedSince, limit - found.size())) {
                // one expired by hand and read again in between may be in both
                if (!s.endsAt().isAfter(now) && found.stream().noneMatch(x -> x.id().equals(s.id()))) {
                    found.add(s);
                }
            }
        }
        List<Map<String, String>> labels = openLabels();
        List<SilenceView> out = new ArrayList<>(found.size());
        for (Silence s : found) {
            out.add(view(s, now, labels));
        }
        return out;
    }

    void one(Request q, Response r) throws IOException {
        if (!configured(r)) {
            return;
        }
        UUID id = id(q, r);
        if (id == null) {
            return;
        }
        Instant now = clock.instant();
        Optional<Silence> found;
        try {
            found = find(id, now);
        } catch (Exception e) {
            LOG.warn("reading the silences failed: {}", e.toString());
            Answers.error(r, 503, "the silences cannot be read now; try again");
            return;
        }
        if (found.isEmpty()) {
            Answers.error(r, 404, "no silence " + id + " (ended ones are kept for a while only)");
            return;
        }
        Answers.ok(r, view(found.get(), now, openLabels()));
    }

    private Optional<Silence> find(UUID id, Instant now) throws Exception {
        for (Silence s : notifications.silences().current(now)) {
            if (s.id().equals(id)) {
                return Optional.of(s);
            }
        }
        for (Silence s : notifications.silences().endedSince(Instant.EPOCH, LOOKUP_ENDED)) {
            if (s.id().equals(id)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    void expire(Request q, Response r) throws IOException {
        if (!configured(r)) {
            return;
        }
        UUID id = id(q, r);
        if (id == null) {
            return;
        }
        Instant now = clock.instant();
        Optional<Silence> done;
        try {
            done = notifications.silences().expire(id, now);
        } catch (Exception e) {
            LOG.warn("expiring silence {} failed: {}", id, e.toString());
            Answers.error(r, 503, "the silence cannot be expired now; try again");
            return;
        }
        if (done.isEmpty()) {
            Answers.error(r, 404, "no silence " + id);
            return;
        }
        holds.invalidate();
        LOG.info("silence {} expired (ends {})", id, done.get().endsAt());
        Answers.ok(r, view(done.get(), now, openLabels()));
    }

    void notificationsOf(Request q, Response r) throws IOException {
        if (!configured(r)) {
            return;
        }
        String rawId = q.param("id");
        UUID id;
        try {
            id = UUID.fromString(rawId);
        } catch (IllegalArgumentException e) {
            Answers.badRequest(r, "'" + shorten(rawId) + "' is not an alert id (a UUID)");
            return;
        }
        List<String> problems = new ArrayList<>();
        int limit = DEFAULT_LOG;
        try {
            for (Map.Entry<String, String> kv : QueryString.parse(q.rawQuery(), 4096, problems)) {
                if (kv.getKey().equals("limit")) {
                    limit = QueryString.wholeNumber("limit", kv.getValue(), 1, MAX_LOG, limit, problems);
                } else {
                    problems.add("unknown parameter '" + shorten(kv.getKey()) + "' (known: limit)");
                }
            }
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        if (!problems.isEmpty()) {
            Answers.badRequest(r, String.join("; ", problems));
            return;
        }
        List<NotificationLog.Entry> entries;
        try {
            entries = notifications.log().forAlert(id, limit);
        } catch (Exception e) {
            LOG.warn("reading the notification log failed: {}", e.toString());
            Answers.error(r, 503, "the notification log cannot be read now; try again");
            return;
        }
        List<NotificationView> out = new ArrayList<>(Math.min(entries.size(), limit));
        for (NotificationLog.Entry e : entries.subList(0, Math.min(entries.size(), limit))) {
            out.add(new NotificationView(e.receiver(), e.reason().toLowerCase(Locale.ROOT), e.sentAt().toString(),
                    e.firing().contains(id) ? "firing" : "resolved", e.groupKey(), e.firing().size() + e.resolved().size()));
        }
        Answers.ok(r, out);
    }

    /** The labels of the open alerts, once per answer, to count what each silence holds. */
    private List<Map<String, String>> openLabels() {
        List<Map<String, String>> out = new ArrayList<>();
        for (Alert a : fleet.openAlerts()) {
            out.add(NotificationLabels.of(a));
        }
        return out;
    }

    static SilenceView view(Silence s, Instant now, List<Map<String, String>> open) {
        // Silence.expire ends one expired before its start 1 ns after it: it never takes effect.
        boolean expiredEarly = s.endsAt().equals(s.startsAt().plusNanos(1));
        String state = expiredEarly || !now.isBefore(s.endsAt()) ? "expired" : s.activeAt(now) ? "active" : "pending";
        int held = 0;
        if (state.equals("active")) {
            for (Map<String, String> l : open) {
                if (s.matchers().matches(l)) {
                    held++;
                }
            }
        }
        return new SilenceView(s.id().toString(), s.matchers().text(), s.startsAt().toString(), s.endsAt().toString(),
                s.author(), s.comment(), s.createdAt().toString(), state, held);
    }

    private static UUID id(Request q, Response r) throws IOException {
        String rawId = q.param("id");
        try {
            return UUID.fromString(rawId);
        } catch (IllegalArgumentException e) {
            Answers.badRequest(r, "'" + shorten(rawId) + "' is not a silence id (a UUID)");
            return null;
        }
    }

    /** A text member: its value, or {@code null} when absent or null (a non-text value is a problem). */
    private static String text(JsonNode n, String name, List<String> problems) {
        JsonNode v = n.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            problems.add(name + " must be a string");
            return null;
        }
        return v.asText();
    }

    private static Instant instant(String name, String value, List<String> problems) {
        try {
            return OffsetDateTime.parse(value.strip()).toInstant();
        } catch (DateTimeParseException e) {
            problems.add(name + " '" + shorten(value) + "' is not an ISO-8601 time such as 2026-12-07T18:00:00Z");
            return null;
        }
    }

    /** {@code endedSince}: an ISO-8601 time, or a duration back from now ({@code 6h}). */
    private static Instant sinceValue(String value, Instant now, List<String> problems) {
        try {
            return OffsetDateTime.parse(value.strip()).toInstant();
        } catch (DateTimeParseException e) {
            try {
                Duration d = Durations.parse(value.strip());
                if (!d.isNegative() && d.compareTo(Duration.ofDays(366)) <= 0) {
                    return now.minus(d);
                }
            } catch (RuntimeException ignored) {
                // reported below
            }
            problems.add("endedSince '" + shorten(value) + "' is neither an ISO-8601 time nor a duration up to 366d (6h)");
            return null;
        }
    }

    /** A value quoted in a message, cut short. */
    private static String shorten(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }
}
