package io.github.wardops.ward.runner.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.Secret;
import io.github.wardops.ward.alert.LabelSelector;
import io.github.wardops.ward.alert.MaintenanceWindow;
import io.github.wardops.ward.alert.RuleSyntaxException;
import io.github.wardops.ward.notify.Route;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The notifications file ({@code notifications} setting): receivers, the routing tree and
 * maintenance windows, in YAML. Read whole and checked whole: {@link #read} returns every problem
 * it finds, each naming its place ({@code receivers[2].email.port}), and a file with any problem
 * changes nothing. Secrets are never in the file itself: a receiver names a file holding each
 * ({@code password-file}, {@code url-file}, {@code token-file}, {@code secret-file}), read here, so
 * a reload picks up a rotated secret. Stateless and thread-safe.
 */
public final class NotificationsFile {
    /** The largest file read. */
    public static final long MAX_BYTES = 1024 * 1024;
    private static final long MAX_SECRET_BYTES = 64 * 1024;
    private static final int MAX_RECEIVERS = 200;
    private static final int MAX_WINDOWS = 1_000;
    private static final YAMLMapper YAML = new YAMLMapper();

    /** Receiver kinds and the members each takes; secrets are the {@code -file} members. */
    static final Map<String, Set<String>> KINDS = Map.of(
            "log", Set.of(),
            "webhook", Set.of("url", "secret-file", "timeout"),
            "slack", Set.of("url-file", "timeout"),
            "teams", Set.of("url-file", "timeout"),
            "telegram", Set.of("token-file", "chat-id", "api-base", "timeout", "max-retry-after"),
            "email", Set.of("host", "port", "security", "username", "password-file", "from", "to", "subject-prefix",
                    "timeout", "trust-store-file"));

    /**
     * One receiver as the file describes it; its notifier is built by the runner.
     *
     * @param name the receiver's name
     * @param kind {@code log}, {@code webhook}, {@code slack}, {@code teams}, {@code telegram} or {@code email}
     * @param options its plain members (lists joined by commas)
     * @param secrets the contents of its secret files, by member without {@code -file}
     */
    public record Receiver(String name, String kind, Map<String, String> options, Map<String, Secret> secrets) {
        /**
         * Copies the maps.
         */
        public Receiver {
            options = Map.copyOf(options);
            secrets = Map.copyOf(secrets);
        }

        /**
         * A plain member.
         *
         * @param key the member
         * @return its value, or {@code null}
         */
        public String option(String key) {
            return options.get(key);
        }

        @Override
        public String toString() {
            return "Receiver[" + name + " " + kind + " " + options + ", secrets " + secrets.keySet() + "]";
        }
    }

    /**
     * A checked file.
     *
     * @param root the routing tree
     * @param receivers the receivers, in file order
     * @param windows the maintenance windows
     * @param statusPage the status page's address, for the links in messages, or {@code null}
     * @param source where it was read from
     */
    public record Parsed(Route root, List<Receiver> receivers, List<MaintenanceWindow> windows, java.net.URI statusPage,
                         String source) {
    }

    private NotificationsFile() {
    }

    /**
     * Reads and checks a file.
     *
     * @param file the file
     * @return the checked contents
     * @throws InvalidConfigurationException naming every problem
     */
    public static Parsed read(Path file) {
        String text;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new InvalidConfigurationException("notifications " + file, List.of("larger than " + MAX_BYTES + " bytes"));
            }
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new InvalidConfigurationException("notifications " + file, List.of("no such file"));
        } catch (java.nio.charset.MalformedInputException e) {
            throw new InvalidConfigurationException("notifications " + file, List.of("not UTF-8 text"));
        } catch (IOException e) {
            throw new InvalidConfigurationException("notifications " + file,
                    List.of("cannot be read (" + e.getClass().getSimpleName() + ")"));
        }
        return parse(text, file.toString(), file.toAbsolutePath().getParent());
    }

    /**
     * Checks a document.
     *
     * @param text the YAML text
     * @param source its name, for messages
     * @param base the directory relative secret-file paths are read from
     * @return the checked contents
     * @throws InvalidConfigurationException naming every problem
     */
    public static Parsed parse(String text, String source, Path base) {
        List<String> p = new ArrayList<>();
        JsonNode doc;
        try {
            doc = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            String msg = e.getOriginalMessage() == null ? "syntax error" : e.getOriginalMessage().lines().findFirst().orElse("");
            throw new InvalidConfigurationException("notifications " + source, List.of("not valid YAML"
                    + (l == null ? "" : " at line " + l.getLineNr() + ", column " + l.getColumnNr()) + ": " + msg));
        }
        if (doc == null || !doc.isObject()) {
            throw new InvalidConfigurationException("notifications " + source,
                    List.of("expected a map with receivers, route and maintenance"));
        }
        members(doc, "", Set.of("status-page", "receivers", "route", "maintenance"), p);
        java.net.URI statusPage = null;
        String page = text(doc, "status-page");
        if (page != null) {
            try {
                statusPage = new java.net.URI(page);
                if (statusPage.getHost() == null || !Set.of("http", "https").contains(String.valueOf(statusPage.getScheme()))
                        || statusPage.getRawQuery() != null || statusPage.getRawFragment() != null
                        || statusPage.getRawUserInfo() != null) {
                    p.add("status-page: an http(s) address with a host and no credentials, query or fragment");
                    statusPage = null;
                }
            } catch (java.net.URISyntaxException e) {
                p.add("status-page: not an address (" + e.getReason() + ")");
            }
        }
        List<Receiver> receivers = receivers(doc.get("receivers"), base, p);
        Route root = null;
        JsonNode r = doc.get("route");
        if (r == null || !r.isObject()) {
            p.add("route: required, a map (receivers, group-by, routes...)");
        } else {
            root = route(r, "route", 0, p);
        }
        List<MaintenanceWindow> windows = windows(doc.get("maintenance"), p);
        if (root != null && p.isEmpty()) {
            Set<String> names = new LinkedHashSet<>();
            receivers.forEach(x -> names.add(x.name()));
            for (String used : root.receiverNames()) {
                if (!names.contains(used)) {
                    p.add("route: receiver '" + used + "' is not defined under receivers" + suggest(used, names));
                }
            }
        }
        if (!p.isEmpty()) {
            throw new InvalidConfigurationException("notifications " + source, p);
        }
        return new Parsed(root, receivers, windows, statusPage, source);
    }

    private static List<Receiver> receivers(JsonNode list, Path base, List<String> p) {
        List<Receiver> out = new ArrayList<>();
        if (list == null || list.isNull()) {
            return out;
        }
        if (!list.isArray()) {
            p.add("receivers: a list");
            return out;
        }
        if (list.size() > MAX_RECEIVERS) {
            p.add("receivers: at most " + MAX_RECEIVERS);
            return out;
        }
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String at = "receivers[" + i + "]";
            JsonNode n = list.get(i);
            if (!n.isObject()) {
                p.add(at + ": a map with name and one kind (" + String.join(", ", new java.util.TreeSet<>(KINDS.keySet())) + ")");
                continue;
            }
            String name = text(n, "name");
            if (name == null || !name.matches("[A-Za-z0-9_.-]{1,64}")) {
                p.add(at + ".name: 1-64 letters, digits, '-', '_' or '.'");
                continue;
            }
            at = "receivers[" + i + "] (" + name + ")";
            if (!names.add(name)) {
                p.add(at + ": the name is used twice");
            }
            List<String> kinds = new ArrayList<>();
            for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!f.equals("name")) {
                    kinds.add(f);
                }
            }
            if (kinds.size() != 1 || !KINDS.containsKey(kinds.get(0))) {
                p.add(at + ": exactly one kind of " + String.join(", ", new java.util.TreeSet<>(KINDS.keySet()))
                        + ", found " + kinds);
                continue;
            }
            String kind = kinds.get(0);
            JsonNode body = n.get(kind);
            Map<String, String> options = new LinkedHashMap<>();
            Map<String, Secret> secrets = new LinkedHashMap<>();
            if (body != null && !body.isNull()) {
                if (!body.isObject()) {
                    p.add(at + "." + kind + ": a map");
                    continue;
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    String key = e.getKey();
                    String where = at + "." + kind + "." + key;
                    if (!KINDS.get(kind).contains(key)) {
                        boolean inline = KINDS.get(kind).contains(key + "-file");
                        p.add(where + ": " + (inline ? "secrets are not written in this file; name a file holding it with "
                                + key + "-file" : "unknown member (known: " + String.join(", ",
                                new java.util.TreeSet<>(KINDS.get(kind))) + ")" + suggest(key, KINDS.get(kind))));
                        continue;
                    }
                    JsonNode v = e.getValue();
                    String value;
                    if (v.isArray()) {
                        List<String> parts = new ArrayList<>();
                        v.forEach(x -> parts.add(x.asText()));
                        value = String.join(",", parts);
                    } else if (v.isValueNode() && !v.isNull()) {
                        value = v.asText();
                    } else {
                        p.add(where + ": a single value or a list");
                        continue;
                    }
                    if (key.endsWith("-file") && !key.equals("trust-store-file")) {
                        // a secret: the file is read here, its contents never shown
                        Secret s = secretFile(base, value, where, p);
                        if (s != null) {
                            secrets.put(key.substring(0, key.length() - 5), s);
                        }
                    } else {
                        options.put(key, value);
                    }
                }
            }
            Receiver rec = new Receiver(name, kind, options, secrets);
            checkReceiver(rec, at, p);
            out.add(rec);
        }
        return out;
    }

    /** The members each kind needs, and their shapes; building the notifier checks the rest. */
    private static void checkReceiver(Receiver r, String at, List<String> p) {
        String k = r.kind();
        at = at + "." + k;
        switch (k) {
            case "webhook" -> need(r, at, "url", p);
            case "slack", "teams" -> needSecret(r, at, "url", p);
            case "telegram" -> {
                needSecret(r, at, "token", p);
                need(r, at, "chat-id", p);
            }
            case "email" -> {
                need(r, at, "host", p);
                need(r, at, "from", p);
                need(r, at, "to", p);
                String port = r.option("port");
                if (port != null && !port.matches("\\d{1,5}") || port != null && (Integer.parseInt(port) < 1
                        || Integer.parseInt(port) > 65535)) {
                    p.add(at + ".port = '" + port + "': 1-65535");
                }
                String sec = r.option("security");
                if (sec != null && !Set.of("none", "starttls", "tls").contains(sec.toLowerCase(Locale.ROOT))) {
                    p.add(at + ".security = '" + sec + "': none, starttls or tls");
                }
                if (r.option("username") != null != r.secrets().containsKey("password")) {
                    p.add(at + ": username and password-file go together");
                }
            }
            default -> {
            }
        }
        String timeout = r.option("timeout");
        if (timeout != null) {
            try {
                Duration d = Durations.parse(timeout);
                if (d.compareTo(Duration.ofSeconds(1)) < 0 || d.compareTo(Duration.ofMinutes(5)) > 0) {
                    p.add(at + ".timeout = " + timeout + ": 1s to 5m");
                }
            } catch (IllegalArgumentException e) {
                p.add(at + ".timeout = '" + timeout + "': " + e.getMessage());
            }
        }
    }

    private static void need(Receiver r, String at, String key, List<String> p) {
        if (r.option(key) == null || r.option(key).isBlank()) {
            p.add(at + "." + key + ": required");
        }
    }

    private static void needSecret(Receiver r, String at, String key, List<String> p) {
        if (!r.secrets().containsKey(key)) {
            p.add(at + "." + key + "-file: required (a file holding the " + key + ")");
        }
    }

    private static Secret secretFile(Path base, String name, String where, List<String> p) {
        Path f = base == null ? Path.of(name) : base.resolve(name);
        try {
            if (Files.size(f) > MAX_SECRET_BYTES) {
                p.add(where + " = '" + name + "': larger than " + MAX_SECRET_BYTES + " bytes");
                return null;
            }
            String s = Files.readString(f).strip();
            if (s.isEmpty()) {
                p.add(where + " = '" + name + "': the file is empty");
                return null;
            }
            return Secret.of(s);
        } catch (NoSuchFileException e) {
            p.add(where + " = '" + name + "': no such file");
        } catch (IOException e) {
            // the contents never reach the message
            p.add(where + " = '" + name + "': cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        return null;
    }

    private static Route route(JsonNode n, String at, int depth, List<String> p) {
        members(n, at, Set.of("name", "match", "receivers", "continue", "group-by", "group-wait", "group-interval",
                "repeat-interval", "send-resolved", "escalate", "routes"), p);
        Route.Builder b = Route.builder();
        String name = text(n, "name");
        if (name != null) {
            b.name(name);
        }
        String match = text(n, "match");
        if (match != null) {
            try {
                b.match(LabelSelector.parse(match));
            } catch (RuleSyntaxException e) {
                p.add(at + ".match: " + e.getMessage());
            }
        }
        List<String> receivers = strings(n.get("receivers"), at + ".receivers", p);
        if (receivers != null) {
            b.receivers(receivers.toArray(String[]::new));
        }
        if (n.has("continue")) {
            Boolean c = bool(n.get("continue"), at + ".continue", p);
            if (c != null) {
                b.continueMatching(c);
            }
        }
        if (n.has("send-resolved")) {
            Boolean c = bool(n.get("send-resolved"), at + ".send-resolved", p);
            if (c != null) {
                b.sendResolved(c);
            }
        }
        List<String> groupBy = strings(n.get("group-by"), at + ".group-by", p);
        if (groupBy != null) {
            b.groupBy(groupBy);
        }
        Duration gw = duration(n, "group-wait", at, p);
        if (gw != null) {
            b.groupWait(gw);
        }
        Duration gi = duration(n, "group-interval", at, p);
        if (gi != null) {
            b.groupInterval(gi);
        }
        Duration ri = duration(n, "repeat-interval", at, p);
        if (ri != null) {
            b.repeatInterval(ri);
        }
        JsonNode esc = n.get("escalate");
        if (esc != null && !esc.isNull()) {
            if (!esc.isArray()) {
                p.add(at + ".escalate: a list of {after, receivers}");
            } else {
                for (int i = 0; i < esc.size(); i++) {
                    String w = at + ".escalate[" + i + "]";
                    JsonNode e = esc.get(i);
                    members(e, w, Set.of("after", "receivers"), p);
                    Duration after = duration(e, "after", w, p);
                    List<String> to = strings(e.get("receivers"), w + ".receivers", p);
                    if (after == null || to == null || to.isEmpty()) {
                        p.add(w + ": needs after and receivers");
                    } else {
                        b.escalate(after, to.toArray(String[]::new));
                    }
                }
            }
        }
        JsonNode children = n.get("routes");
        if (children != null && !children.isNull()) {
            if (!children.isArray()) {
                p.add(at + ".routes: a list of routes");
            } else if (depth >= 15) {
                p.add(at + ".routes: nested too deep");
            } else {
                for (int i = 0; i < children.size(); i++) {
                    JsonNode c = children.get(i);
                    if (!c.isObject()) {
                        p.add(at + ".routes[" + i + "]: a map");
                        continue;
                    }
                    Route child = route(c, at + ".routes[" + i + "]", depth + 1, p);
                    if (child != null) {
                        b.route(child);
                    }
                }
            }
        }
        try {
            return b.build();
        } catch (InvalidConfigurationException e) {
            for (String s : e.problems()) {
                p.add(at + ": " + s);
            }
            return null;
        }
    }

    private static List<MaintenanceWindow> windows(JsonNode list, List<String> p) {
        List<MaintenanceWindow> out = new ArrayList<>();
        if (list == null || list.isNull()) {
            return out;
        }
        if (!list.isArray() || list.size() > MAX_WINDOWS) {
            p.add("maintenance: a list of at most " + MAX_WINDOWS + " windows");
            return out;
        }
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String at = "maintenance[" + i + "]";
            JsonNode n = list.get(i);
            if (!n.isObject()) {
                p.add(at + ": a map");
                continue;
            }
            members(n, at, Set.of("name", "match", "time-zone", "days", "start", "end", "from", "to"), p);
            String name = text(n, "name");
            if (name == null || name.isBlank() || name.length() > 100) {
                p.add(at + ".name: required, 1-100 characters");
                continue;
            }
            at = at + " (" + name + ")";
            if (!names.add(name)) {
                p.add(at + ": the name is used twice");
            }
            LabelSelector sel = LabelSelector.any();
            String match = text(n, "match");
            if (match == null) {
                p.add(at + ".match: required (a label selector; \"\" would hold every device's notifications, "
                        + "write it explicitly)");
                continue;
            }
            try {
                sel = LabelSelector.parse(match);
            } catch (RuleSyntaxException e) {
                p.add(at + ".match: " + e.getMessage());
                continue;
            }
            try {
                if (n.has("from") || n.has("to")) {
                    Instant from = Instant.parse(text(n, "from"));
                    Instant to = Instant.parse(text(n, "to"));
                    out.add(MaintenanceWindow.once(name, sel, from, to));
                    continue;
                }
                String zoneText = text(n, "time-zone");
                if (zoneText == null) {
                    p.add(at + ".time-zone: required for a recurring window (such as Asia/Tbilisi)");
                    continue;
                }
                ZoneId zone = ZoneId.of(zoneText);
                LocalTime start = LocalTime.parse(text(n, "start"));
                LocalTime end = LocalTime.parse(text(n, "end"));
                Set<DayOfWeek> days = EnumSet.allOf(DayOfWeek.class);
                List<String> dayNames = strings(n.get("days"), at + ".days", p);
                if (dayNames != null) {
                    days = EnumSet.noneOf(DayOfWeek.class);
                    for (String d : dayNames) {
                        DayOfWeek dow = day(d);
                        if (dow == null) {
                            p.add(at + ".days: '" + d + "' is not a weekday (mon, tue, ... or monday, ...)");
                        } else {
                            days.add(dow);
                        }
                    }
                }
                if (!days.isEmpty()) {
                    out.add(MaintenanceWindow.weekly(name, sel, zone, days, start, end));
                }
            } catch (DateTimeException | NullPointerException | IllegalArgumentException e) {
                p.add(at + ": start and end as HH:MM with time-zone (a recurring window), or from and to as "
                        + "ISO instants such as 2027-01-15T22:00:00Z (once)" + (e.getMessage() == null ? ""
                        : " (" + e.getMessage().lines().findFirst().orElse("") + ")"));
            }
        }
        return out;
    }

    private static DayOfWeek day(String d) {
        String s = d.strip().toLowerCase(Locale.ROOT);
        for (DayOfWeek w : DayOfWeek.values()) {
            String full = w.name().toLowerCase(Locale.ROOT);
            if (s.equals(full) || s.equals(full.substring(0, 3))) {
                return w;
            }
        }
        return null;
    }

    private static void members(JsonNode n, String at, Set<String> known, List<String> p) {
        if (n == null || !n.isObject()) {
            return;
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                p.add((at.isEmpty() ? "" : at + ".") + f + ": unknown member" + suggest(f, known)
                        + " (known: " + String.join(", ", new java.util.TreeSet<>(known)) + ")");
            }
        }
    }

    private static String text(JsonNode n, String key) {
        JsonNode v = n == null ? null : n.get(key);
        return v == null || v.isNull() || !v.isValueNode() ? null : v.asText();
    }

    private static List<String> strings(JsonNode v, String at, List<String> p) {
        if (v == null || v.isNull()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        if (v.isValueNode()) {
            out.add(v.asText());
            return out;
        }
        if (!v.isArray()) {
            p.add(at + ": a list of names");
            return null;
        }
        for (JsonNode x : v) {
            if (!x.isValueNode()) {
                p.add(at + ": a list of names");
                return null;
            }
            out.add(x.asText());
        }
        return out;
    }

    private static Boolean bool(JsonNode v, String at, List<String> p) {
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        p.add(at + ": true or false");
        return null;
    }

    private static Duration duration(JsonNode n, String key, String at, List<String> p) {
        String t = text(n, key);
        if (t == null) {
            if (n != null && n.has(key) && !n.get(key).isNull()) {
                p.add(at + "." + key + ": a duration such as 30s or 5m");
            }
            return null;
        }
        try {
            return Durations.parse(t);
        } catch (IllegalArgumentException e) {
            p.add(at + "." + key + " = '" + t + "': " + e.getMessage());
            return null;
        }
    }

    private static String suggest(String typed, Set<String> names) {
        return io.github.wardops.ward.internal.support.Suggest.didYouMean(typed, names);
    }
}
