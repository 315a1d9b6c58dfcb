package io.github.wardops.ward.notify;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.alert.LabelSelector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One node of the routing tree, as in Alertmanager: which alerts it takes (a {@link LabelSelector}
 * over {@link NotificationLabels}), which receivers hear of them, how they are grouped, and how
 * often a group's receivers are told. Immutable and thread-safe; built by {@link #builder()}.
 *
 * <p>An alert enters the tree at the root (which takes every alert) and goes down: at each node, the
 * children are tried in order; the first that takes the alert keeps it, unless it says
 * {@link Builder#continueMatching(boolean) continue}, in which case the following siblings are tried
 * too. A node none of whose children took the alert handles it itself. Grouping and timing that a
 * node does not set are its parent's.
 *
 * <p>Timing (per group and receiver): the first message waits {@code group-wait} after the group
 * appears (so a branch's devices going down together are one message); later changes (alerts
 * joining or resolved) wait at least {@code group-interval} after the previous message; with no
 * change, a group with unacknowledged firing alerts is told again after {@code repeat-interval}.
 * {@link Escalation Escalation} steps send a group's alerts unacknowledged for a while to more
 * receivers.
 */
public final class Route {

    /**
     * One escalation step: alerts of the route still unacknowledged {@code after} they opened are
     * sent to {@code receivers} too.
     *
     * @param after how long after the alert opened, 1 min to 7 days
     * @param receivers the receivers' names; never empty
     */
    public record Escalation(Duration after, List<String> receivers) {
        /**
         * Checks and copies.
         *
         * @throws NullPointerException if a component is null
         */
        public Escalation {
            Objects.requireNonNull(after, "after");
            receivers = List.copyOf(receivers);
        }
    }

    /** {@link Builder#groupBy} value that puts every alert in a group of its own. */
    public static final String EACH_ALERT = "...";

    /** The root's group-wait when not set. */
    public static final Duration DEFAULT_GROUP_WAIT = Duration.ofSeconds(30);
    /** The root's group-interval when not set. */
    public static final Duration DEFAULT_GROUP_INTERVAL = Duration.ofMinutes(5);
    /** The root's repeat-interval when not set. */
    public static final Duration DEFAULT_REPEAT_INTERVAL = Duration.ofHours(4);

    private static final int MAX_DEPTH = 16;
    private static final int MAX_CHILDREN = 1_000;

    private final String name;
    private final LabelSelector match;
    private final List<String> receivers;
    private final boolean continueMatching;
    private final List<String> groupBy;
    private final Duration groupWait;
    private final Duration groupInterval;
    private final Duration repeatInterval;
    private final boolean sendResolved;
    private final List<Escalation> escalations;
    private final List<Route> routes;

    private Route(Builder b) {
        this.name = b.name;
        this.match = b.match;
        this.receivers = List.copyOf(b.receivers);
        this.continueMatching = b.continueMatching;
        this.groupBy = b.groupBy == null ? null : List.copyOf(b.groupBy);
        this.groupWait = b.groupWait;
        this.groupInterval = b.groupInterval;
        this.repeatInterval = b.repeatInterval;
        this.sendResolved = b.sendResolved;
        this.escalations = List.copyOf(b.escalations);
        this.routes = List.copyOf(b.routes);
    }

    /**
     * A new builder; a route built without settings takes every alert and tells nobody.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The route's name: it names the route's groups in the notification log, so a group's
     * receivers are not told again when the tree is reloaded with the route in another place.
     *
     * @return the name, or empty when the route is named by its place in the tree
     */
    public Optional<String> name() {
        return Optional.ofNullable(name);
    }

    /**
     * Which alerts the route takes.
     *
     * @return the selector
     */
    public LabelSelector match() {
        return match;
    }

    /**
     * The receivers it sends to.
     *
     * @return their names, possibly empty
     */
    public List<String> receivers() {
        return receivers;
    }

    /**
     * Whether the following siblings are tried after this route took an alert.
     *
     * @return {@code true} to go on
     */
    public boolean continueMatching() {
        return continueMatching;
    }

    /**
     * The labels its groups are made by, or empty when its parent's apply.
     *
     * @return the label names ({@link #EACH_ALERT} for one group per alert)
     */
    public Optional<List<String>> groupBy() {
        return Optional.ofNullable(groupBy);
    }

    /**
     * How long a new group waits before its first message, or empty for its parent's.
     *
     * @return the wait
     */
    public Optional<Duration> groupWait() {
        return Optional.ofNullable(groupWait);
    }

    /**
     * The least time between two messages of a group, or empty for its parent's.
     *
     * @return the interval
     */
    public Optional<Duration> groupInterval() {
        return Optional.ofNullable(groupInterval);
    }

    /**
     * After how long an unchanged group with unacknowledged firing alerts is told again, or empty
     * for its parent's.
     *
     * @return the interval
     */
    public Optional<Duration> repeatInterval() {
        return Optional.ofNullable(repeatInterval);
    }

    /**
     * Whether receivers are told when alerts they heard of are resolved.
     *
     * @return {@code true} (the default) to send resolved alerts
     */
    public boolean sendResolved() {
        return sendResolved;
    }

    /**
     * The escalation steps, shortest {@code after} first.
     *
     * @return the steps
     */
    public List<Escalation> escalations() {
        return escalations;
    }

    /**
     * The child routes, in the order they are tried.
     *
     * @return the children
     */
    public List<Route> routes() {
        return routes;
    }

    /**
     * Every receiver name the tree uses (routes and escalation steps).
     *
     * @return the names, in the order first met
     */
    public List<String> receiverNames() {
        java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
        collectReceivers(out);
        return List.copyOf(out);
    }

    private void collectReceivers(java.util.Set<String> out) {
        out.addAll(receivers);
        escalations.forEach(e -> out.addAll(e.receivers()));
        routes.forEach(r -> r.collectReceivers(out));
    }

    @Override
    public String toString() {
        return "Route[" + (name != null ? name + " " : "") + match + " -> " + receivers
                + (routes.isEmpty() ? "" : ", " + routes.size() + " children") + "]";
    }

    /** Builds a {@link Route}; not thread-safe. */
    public static final class Builder {
        private String name;
        private LabelSelector match = LabelSelector.any();
        private final List<String> receivers = new ArrayList<>();
        private boolean continueMatching;
        private List<String> groupBy;
        private Duration groupWait;
        private Duration groupInterval;
        private Duration repeatInterval;
        private boolean sendResolved = true;
        private final List<Escalation> escalations = new ArrayList<>();
        private final List<Route> routes = new ArrayList<>();
        private final List<String> problems = new ArrayList<>();

        private Builder() {
        }

        /**
         * Names the route (letters, digits, {@code -_.}, at most 64 characters).
         *
         * @param n the name
         * @return this builder
         */
        public Builder name(String n) {
            if (n == null || !n.matches("[A-Za-z0-9_.-]{1,64}")) {
                problems.add("name = '" + n + "': 1-64 letters, digits, '-', '_' or '.'");
            } else {
                this.name = n;
            }
            return this;
        }

        /**
         * Which alerts the route takes; the default takes every alert.
         *
         * @param selector the selector, such as {@code LabelSelector.parse("severity = critical, region = Tbilisi")}
         * @return this builder
         */
        public Builder match(LabelSelector selector) {
            if (selector == null) {
                problems.add("match must not be null");
            } else {
                this.match = selector;
            }
            return this;
        }

        /**
         * Adds receivers, by name.
         *
         * @param names the names
         * @return this builder
         */
        public Builder receivers(String... names) {
            for (String n : names) {
                if (n == null || n.isBlank()) {
                    problems.add("a receiver name must not be blank");
                } else if (!receivers.contains(n)) {
                    receivers.add(n);
                }
            }
            return this;
        }

        /**
         * Whether the following siblings are tried after this route took an alert (default {@code false}).
         *
         * @param go {@code true} to go on
         * @return this builder
         */
        public Builder continueMatching(boolean go) {
            this.continueMatching = go;
            return this;
        }

        /**
         * The labels groups are made by (such as {@code branch}); none makes one group of all the
         * route's alerts, {@link #EACH_ALERT} one group per alert. Unset: the parent's (the root's
         * default is none).
         *
         * @param labels the label names
         * @return this builder
         */
        public Builder groupBy(List<String> labels) {
            if (labels == null || labels.stream().anyMatch(l -> l == null || l.isBlank())) {
                problems.add("group-by must not be null or hold a blank label");
            } else if (labels.contains(EACH_ALERT) && labels.size() > 1) {
                problems.add("group-by: '" + EACH_ALERT + "' stands alone");
            } else if (labels.size() > 16) {
                problems.add("group-by: at most 16 labels");
            } else {
                this.groupBy = List.copyOf(labels);
            }
            return this;
        }

        /**
         * The wait before a new group's first message, 0 to 1 hour (root default 30 s).
         *
         * @param d the wait
         * @return this builder
         */
        public Builder groupWait(Duration d) {
            this.groupWait = check("group-wait", d, Duration.ZERO, Duration.ofHours(1));
            return this;
        }

        /**
         * The least time between a group's messages, 1 s to 1 day (root default 5 min).
         *
         * @param d the interval
         * @return this builder
         */
        public Builder groupInterval(Duration d) {
            this.groupInterval = check("group-interval", d, Duration.ofSeconds(1), Duration.ofDays(1));
            return this;
        }

        /**
         * After how long an unchanged group is told again, 1 min to 30 days (root default 4 h).
         *
         * @param d the interval
         * @return this builder
         */
        public Builder repeatInterval(Duration d) {
            this.repeatInterval = check("repeat-interval", d, Duration.ofMinutes(1), Duration.ofDays(30));
            return this;
        }

        /**
         * Whether receivers hear of resolved alerts (default {@code true}).
         *
         * @param send {@code false} to tell only of firing ones
         * @return this builder
         */
        public Builder sendResolved(boolean send) {
            this.sendResolved = send;
            return this;
        }

        /**
         * Adds an escalation step.
         *
         * @param after how long after opening, 1 min to 7 days
         * @param names the receivers to add then
         * @return this builder
         */
        public Builder escalate(Duration after, String... names) {
            Duration a = check("escalation after", after, Duration.ofMinutes(1), Duration.ofDays(7));
            if (names.length == 0 || java.util.Arrays.stream(names).anyMatch(n -> n == null || n.isBlank())) {
                problems.add("escalation after " + after + ": name at least one receiver, none blank");
            } else if (a != null) {
                escalations.add(new Escalation(a, List.of(names)));
            }
            return this;
        }

        /**
         * Adds a child route.
         *
         * @param child the child
         * @return this builder
         */
        public Builder route(Route child) {
            if (child == null) {
                problems.add("a child route must not be null");
            } else if (routes.size() >= MAX_CHILDREN) {
                problems.add("at most " + MAX_CHILDREN + " child routes");
            } else {
                routes.add(child);
            }
            return this;
        }

        private Duration check(String what, Duration d, Duration min, Duration max) {
            if (d == null || d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                problems.add(what + " = " + d + ": must be " + min + " to " + max);
                return null;
            }
            return d;
        }

        /**
         * Builds the route.
         *
         * @return the route
         * @throws InvalidConfigurationException naming every problem
         */
        public Route build() {
            List<String> p = new ArrayList<>(problems);
            escalations.sort(java.util.Comparator.comparing(Escalation::after));
            Route r = new Route(this);
            if (depth(r) > MAX_DEPTH) {
                p.add("routes nest deeper than " + MAX_DEPTH);
            }
            java.util.Set<String> names = new java.util.HashSet<>();
            collectNames(r, names, p);
            if (!p.isEmpty()) {
                throw new InvalidConfigurationException("Route", p);
            }
            return r;
        }

        private static int depth(Route r) {
            int d = 0;
            for (Route c : r.routes) {
                d = Math.max(d, depth(c));
            }
            return d + 1;
        }

        private static void collectNames(Route r, java.util.Set<String> names, List<String> p) {
            if (r.name != null && !names.add(r.name)) {
                p.add("route name '" + r.name + "' is used twice");
            }
            r.routes.forEach(c -> collectNames(c, names, p));
        }
    }

    /** Resolved settings of a node (its own, else inherited). */
    record Effective(String id, Route route, List<String> groupBy, Duration groupWait, Duration groupInterval,
                     Duration repeatInterval) {
    }

    /**
     * The nodes that handle an alert, with their settings resolved; the root handles it when no
     * child does.
     *
     * @param labels the alert's labels
     * @return the handling nodes, in tree order
     */
    List<Effective> handlers(Map<String, String> labels) {
        List<Effective> out = new ArrayList<>();
        Effective root = rootEffective();
        walk(root, labels, out);
        if (out.isEmpty()) {
            out.add(root);
        }
        return out;
    }

    private Effective rootEffective() {
        return new Effective(name != null ? name : "root", this, groupBy != null ? groupBy : List.of(),
                groupWait != null ? groupWait : DEFAULT_GROUP_WAIT,
                groupInterval != null ? groupInterval : DEFAULT_GROUP_INTERVAL,
                repeatInterval != null ? repeatInterval : DEFAULT_REPEAT_INTERVAL);
    }

    /** A child's settings: its own, else its parent's; its id: its name, else its place. */
    private static Effective child(Effective at, Route c, int i) {
        return new Effective(c.name != null ? c.name : at.id() + "/" + i, c,
                c.groupBy != null ? c.groupBy : at.groupBy(),
                c.groupWait != null ? c.groupWait : at.groupWait(),
                c.groupInterval != null ? c.groupInterval : at.groupInterval(),
                c.repeatInterval != null ? c.repeatInterval : at.repeatInterval());
    }

    /**
     * The node with an id (as {@link #handlers} names them), its settings resolved.
     *
     * @param id the id
     * @return the node, or {@code null} when the tree has none (it was reloaded without it)
     */
    Effective byId(String id) {
        Effective root = rootEffective();
        return find(root, id);
    }

    private static Effective find(Effective at, String id) {
        if (at.id().equals(id)) {
            return at;
        }
        List<Route> children = at.route().routes;
        for (int i = 0; i < children.size(); i++) {
            Route c = children.get(i);
            Effective e = child(at, c, i);
            Effective found = find(e, id);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static boolean walk(Effective at, Map<String, String> labels, List<Effective> out) {
        boolean taken = false;
        List<Route> children = at.route().routes;
        for (int i = 0; i < children.size(); i++) {
            Route c = children.get(i);
            if (!c.match.matches(labels)) {
                continue;
            }
            Effective e = child(at, c, i);
            if (!walk(e, labels, out)) {
                out.add(e);
            }
            taken = true;
            if (!c.continueMatching) {
                break;
            }
        }
        return taken;
    }
}
