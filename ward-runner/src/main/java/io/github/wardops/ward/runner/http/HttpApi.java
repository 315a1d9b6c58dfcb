package io.github.wardops.ward.runner.http;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.wardops.ward.DeviceStatus;
import io.github.wardops.ward.Secret;
import io.github.wardops.ward.Ward;
import io.github.wardops.ward.alert.Alert;
import io.github.wardops.ward.alert.AlertStore;
import io.github.wardops.ward.alert.Alerting;
import io.github.wardops.ward.alert.Severity;
import io.github.wardops.ward.inventory.Check;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.runner.http.server.HttpLimits;
import io.github.wardops.ward.runner.http.server.HttpServer;
import io.github.wardops.ward.runner.http.server.Request;
import io.github.wardops.ward.runner.http.server.Response;
import io.github.wardops.ward.runner.http.server.Router;
import io.github.wardops.ward.state.DeviceState;
import io.github.wardops.ward.state.StateTracker;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runner's HTTP API: the routes and their handlers, on ward's own {@link HttpServer} (its
 * limits, deadlines and slots are described there). Routes and JSON fields are documented in
 * {@code docs/api.md}:
 *
 * <ul>
 *   <li>{@code GET /}: the status page (a static page; its data comes from the API);</li>
 *   <li>{@code GET /health}: liveness; {@code GET /ready}: every {@link ReadinessCheck} (both
 *       answered outside the shared slots);</li>
 *   <li>{@code GET /metrics}: Prometheus text;</li>
 *   <li>{@code GET /api/devices}, {@code GET /api/devices/{id}};</li>
 *   <li>{@code GET /api/alerts}, {@code POST /api/alerts/{id}/ack}.</li>
 * </ul>
 * With a bearer token, every route but {@code /health} and the page shell {@code /} answers
 * {@code 401} unless the request carries {@code Authorization: Bearer <token>} (compared in
 * constant time). Thread-safe.
 */
public final class HttpApi implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    /** The largest request body read (acknowledgements). */
    public static final int MAX_BODY_BYTES = HttpLimits.MAX_BODY_BYTES;
    /** The most alerts one {@code /api/alerts} answer holds. */
    public static final int MAX_ALERTS = 10_000;
    private static final String JSON = "application/json; charset=utf-8";
    private static final Comparator<Device> ORDER = Comparator.comparing(Device::name).thenComparing(Device::id);
    private static final byte[] PAGE = loadPage();
    /** How long a {@code /ready} request waits for the checks already running. */
    private static final Duration READY_WAIT = Duration.ofSeconds(10);

    /**
     * What the API serves.
     *
     * @param ward the engine (inventory, latest results)
     * @param tracker the device states
     * @param alerting open alerts and acknowledgement
     * @param alertStore resolved alerts (history)
     * @param registry the registry scraped by {@code /metrics}
     * @param readiness the checks behind {@code /ready}
     * @param clock the clock for alert durations
     */
    public record Backend(Ward ward, StateTracker tracker, Alerting alerting, AlertStore alertStore,
                          PrometheusMeterRegistry registry, List<ReadinessCheck> readiness, Clock clock) {
        /**
         * Validates and copies.
         *
         * @param ward ward
         * @param tracker tracker
         * @param alerting alerting
         * @param alertStore store
         * @param registry registry
         * @param readiness checks
         * @param clock clock
         */
        public Backend {
            Objects.requireNonNull(ward, "ward");
            Objects.requireNonNull(tracker, "tracker");
            Objects.requireNonNull(alerting, "alerting");
            Objects.requireNonNull(alertStore, "alertStore");
            Objects.requireNonNull(registry, "registry");
            readiness = List.copyOf(readiness);
            Objects.requireNonNull(clock, "clock");
        }
    }

    private final HttpServer server;
    private final Backend b;
    private final byte[] token;
    /** {@code http-allow-insecure}: without a token, every client may use the API, not only this user. */
    private final boolean openToAll;
    private static final int OWN_UID = io.github.wardops.ward.internal.support.PrivateFiles.processUid();
    private final ObjectMapper mapper = new ObjectMapper();
    private final Object readyLock = new Object();
    private CompletableFuture<Ready> readyInFlight;

    private HttpApi(InetSocketAddress address, Secret token, HttpLimits limits, Backend backend, boolean openToAll)
            throws IOException {
        this.b = backend;
        this.openToAll = openToAll;
        this.token = token == null ? null : sha256(("Bearer " + token.reveal()).getBytes(StandardCharsets.UTF_8));
        Router router = new Router()
                .guard(this::guard)
                .getLight("/", (q, r) -> page(r))
                .getLight("/index.html", (q, r) -> page(r))
                .getLight("/health", (q, r) -> r.send(200, JSON, "{\"status\":\"ok\"}"))
                .getLight("/ready", (q, r) -> ready(r))
                .get("/metrics", (q, r) -> r.send(200, "text/plain; version=0.0.4; charset=utf-8", b.registry().scrape()))
                .get("/api/devices", this::devices)
                .get("/api/devices/{id}", this::device)
                .get("/api/alerts", this::alerts)
                .post("/api/alerts/{id}/ack", this::acknowledge);
        this.server = HttpServer.start(address, limits, router, backend.registry());
    }

    /**
     * Binds and starts the server.
     *
     * @param address where to listen (port 0: any free port)
     * @param token the bearer token required, or {@code null} for none
     * @param limits the server's bounds (connections, deadlines, slots, allowed hosts)
     * @param backend what is served
     * @return the running API
     * @throws IOException when the address cannot be bound; the message says which address and why
     */
    public static HttpApi start(InetSocketAddress address, Secret token, HttpLimits limits, Backend backend) throws IOException {
        return new HttpApi(address, token, limits, backend, false);
    }

    /**
     * Binds and starts the server. Without a token, the API answers only this process's user (and
     * root) on this host, told apart by the kernel's socket table ({@link LoopbackPeer}), unless
     * {@code openToAll} ({@code http-allow-insecure}) opens it to every client.
     *
     * @param address where to listen (port 0: any free port)
     * @param token the bearer token required, or {@code null} for none
     * @param limits the server's bounds (connections, deadlines, slots, allowed hosts)
     * @param backend what is served
     * @param openToAll without a token, whether clients other than this user may use the API
     * @return the running API
     * @throws IOException when the address cannot be bound; the message says which address and why
     */
    public static HttpApi start(InetSocketAddress address, Secret token, HttpLimits limits, Backend backend,
                                boolean openToAll) throws IOException {
        return new HttpApi(address, token, limits, backend, openToAll);
    }

    /**
     * The bound address, with the actual port when port 0 was asked for.
     *
     * @return the address
     */
    public InetSocketAddress address() {
        return server.address();
    }

    /** Every path but the open ones needs the token; {@code 401} before {@code 404}, so paths do not leak. */
    private boolean guard(Request q, Response r) {
        String path = q.rawPath();
        boolean open = path.equals("/health") || path.equals("/") || path.equals("/index.html");
        if (open) {
            return true;
        }
        if (token == null && !openToAll && !sameUser(q)) {
            // No token: the API is for the runner's own user. Another local user on this host
            // (any process can connect to loopback) must not read the fleet or acknowledge alerts.
            r.send(403, JSON, "{\"error\":\"this ward runner has no http-token, so its API answers only its own "
                    + "user on this host; set a token (WARD_HTTP_TOKEN_FILE) to let others in\"}");
            return false;
        }
        if (authorized(q)) {
            return true;
        }
        r.header("WWW-Authenticate", "Bearer realm=\"ward\"");
        r.send(401, JSON, "{\"error\":\"a bearer token is required: Authorization: Bearer <token>\"}");
        return false;
    }

    private static void page(Response r) {
        // The page loads nothing from elsewhere; its inline script and style are allowed, nothing more.
        r.header("Content-Security-Policy",
                "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; "
                        + "img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
        r.send(200, "text/html; charset=utf-8", PAGE);
    }

    /** Whether the client is this process's user (or root, who can read ward's data anyway). */
    private static boolean sameUser(Request q) {
        java.util.OptionalInt uid = q.peerUid();
        return uid.isPresent() && (uid.getAsInt() == OWN_UID || uid.getAsInt() == 0);
    }

    /**
     * Compares digests of the whole header in constant time, so neither the token's content nor
     * its length shows in the timing.
     */
    private boolean authorized(Request q) {
        if (token == null) {
            return true;
        }
        String h = q.header("Authorization");
        return h != null && h.length() <= 1024 && MessageDigest.isEqual(token, sha256(h.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }

    /** A readiness answer: its status and body. */
    private record Ready(int status, String body) {
    }

    /**
     * Answers {@code /ready}. It runs outside the shared slots, so the checks run at most once at a
     * time: a request that comes while they run waits for that run's answer. A flood of
     * {@code /ready} thus costs one database round trip at a time, never the whole pool.
     */
    private void ready(Response r) throws IOException {
        CompletableFuture<Ready> f;
        boolean mine = false;
        synchronized (readyLock) {
            if (readyInFlight == null) {
                readyInFlight = new CompletableFuture<>();
                mine = true;
            }
            f = readyInFlight;
        }
        if (mine) {
            try {
                f.complete(evaluateReadiness());
            } catch (IOException | RuntimeException | Error e) {
                f.completeExceptionally(e);
                throw e;
            } finally {
                synchronized (readyLock) {
                    readyInFlight = null;
                }
            }
        }
        Ready answer;
        try {
            answer = f.get(READY_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            answer = new Ready(503, "{\"status\":\"not ready\",\"checks\":[],\"error\":\"the readiness checks did not "
                    + "answer within " + READY_WAIT.toSeconds() + " s\"}");
        }
        r.send(answer.status(), JSON, answer.body());
    }

    private Ready evaluateReadiness() throws IOException {
        List<Map<String, Object>> checks = new ArrayList<>();
        boolean all = true;
        for (ReadinessCheck c : b.readiness()) {
            ReadinessCheck.Result r;
            try {
                r = c.check();
            } catch (RuntimeException e) {
                r = new ReadinessCheck.Result(false, "check failed: " + e.getClass().getSimpleName());
            }
            all &= r.ok();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", c.name());
            m.put("ok", r.ok());
            m.put("detail", r.detail());
            checks.add(m);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", all ? "ready" : "not ready");
        body.put("checks", checks);
        return new Ready(all ? 200 : 503, mapper.writeValueAsString(body));
    }

    private void devices(Request q, Response r) throws IOException {
        DeviceFilter filter;
        try {
            filter = DeviceFilter.parse(q.rawQuery());
        } catch (IllegalArgumentException e) {
            badRequest(r, e.getMessage());
            return;
        }
        List<Device> all = new ArrayList<>();
        for (Device d : b.ward().inventory().devices()) {
            if (filter.labelsMatch(d)) {
                all.add(d);
            }
        }
        all.sort(ORDER);
        try (JsonGenerator g = mapper.getFactory().createGenerator(r.stream(200, JSON), JsonEncoding.UTF8)) {
            writeDevices(g, all, filter);
        }
    }

    /**
     * Writes the devices as a JSON array, one {@link DeviceView} each, streaming.
     *
     * @param g the generator
     * @param devices the devices, in output order
     * @param filter which statuses to keep
     * @throws IOException when writing fails
     */
    void writeDevices(JsonGenerator g, List<Device> devices, DeviceFilter filter) throws IOException {
        g.writeStartArray();
        for (Device d : devices) {
            DeviceState state = b.tracker().state(d.id()).orElse(null);
            DeviceStatus status = state == null ? DeviceStatus.UNKNOWN : state.status();
            if (filter.statusMatches(status)) {
                mapper.writeValue(g, DeviceView.of(d, state, b.ward().latest().get(d.id(), "icmp").orElse(null)));
            }
        }
        g.writeEndArray();
    }

    private void device(Request q, Response r) throws IOException {
        String rawId = q.param("id");
        DeviceId id;
        try {
            id = DeviceId.parse(rawId);
        } catch (IllegalArgumentException e) {
            badRequest(r, "'" + rawId + "' is not a device id (a UUID)");
            return;
        }
        Device d = b.ward().inventory().get(id).orElse(null);
        if (d == null) {
            r.send(404, JSON, mapper.writeValueAsString(Map.of("error", "no device " + id)));
            return;
        }
        DeviceState state = b.tracker().state(id).orElse(null);
        List<CheckView> checks = new ArrayList<>();
        for (Check c : d.checks()) {
            checks.add(CheckView.of(c, b.ward().latest().get(id, c.name()).orElse(null)));
        }
        Map<String, Double> values = new TreeMap<>();
        Map<String, StateView> interfaces = new TreeMap<>();
        Map<String, Map<String, Double>> interfaceValues = new TreeMap<>();
        int dependents = 0;
        var view = b.tracker().view(id).orElse(null);
        if (view != null) {
            view.values().forEach((k, v) -> {
                if (v != null && Double.isFinite(v)) {
                    values.put(k, DeviceView.round(v));
                }
            });
            view.interfaces().forEach((i, s) -> interfaces.put(String.valueOf(i), StateView.of(s)));
            view.interfaceValues().forEach((i, vs) -> {
                Map<String, Double> m = new TreeMap<>();
                vs.forEach((k, v) -> {
                    if (v != null && Double.isFinite(v)) {
                        m.put(k, DeviceView.round(v));
                    }
                });
                interfaceValues.put(String.valueOf(i), m);
            });
            dependents = view.dependents();
        }
        Instant now = b.clock().instant();
        List<AlertView> alerts = new ArrayList<>();
        for (Alert a : b.alerting().openAlerts()) {
            if (a.device().equals(id)) {
                alerts.add(AlertView.of(a, now));
            }
        }
        DeviceDetail detail = new DeviceDetail(DeviceView.of(d, state, b.ward().latest().get(id, "icmp").orElse(null)),
                state == null ? null : StateView.of(state), checks, values, interfaces, interfaceValues,
                dependents, alerts);
        r.send(200, JSON, mapper.writeValueAsString(detail));
    }

    /**
     * The query of {@code /api/alerts}.
     *
     * @param open whether open alerts are wanted
     * @param resolved whether resolved alerts are wanted
     * @param severities the severities wanted; empty means any
     * @param window how far back resolved alerts go
     * @param limit the most alerts returned
     */
    record AlertQuery(boolean open, boolean resolved, Set<Severity> severities, Duration window, int limit) {
        static AlertQuery parse(String rawQuery) {
            boolean open = true;
            boolean resolved = false;
            Set<Severity> severities = EnumSet.noneOf(Severity.class);
            Duration window = Duration.ofHours(24);
            int limit = 1000;
            List<String> problems = new ArrayList<>();
            for (Map.Entry<String, String> kv : QueryString.parse(rawQuery, 4096, problems)) {
                String key = kv.getKey();
                String value = kv.getValue();
                switch (key) {
                    case "state" -> {
                        switch (value.toLowerCase(Locale.ROOT)) {
                            case "open" -> {
                                open = true;
                                resolved = false;
                            }
                            case "resolved" -> {
                                open = false;
                                resolved = true;
                            }
                            case "all" -> {
                                open = true;
                                resolved = true;
                            }
                            default -> problems.add("state '" + value + "' is not open, resolved or all");
                        }
                    }
                    case "severity" -> {
                        for (String s : value.split(",")) {
                            try {
                                severities.add(Severity.valueOf(s.strip().toUpperCase(Locale.ROOT)));
                            } catch (IllegalArgumentException e) {
                                problems.add("severity '" + s + "' is not CRITICAL, HIGH, MEDIUM, LOW or INFO");
                            }
                        }
                    }
                    case "since" -> {
                        try {
                            window = io.github.wardops.ward.runner.config.Durations.parse(value);
                            if (window.compareTo(Duration.ofDays(366)) > 0 || window.isNegative() || window.isZero()) {
                                problems.add("since '" + value + "' must be more than 0 and at most 366d");
                            }
                        } catch (IllegalArgumentException e) {
                            problems.add("since '" + value + "': " + e.getMessage());
                        }
                    }
                    case "limit" -> {
                        try {
                            limit = Integer.parseInt(value);
                            if (limit < 1 || limit > MAX_ALERTS) {
                                problems.add("limit '" + value + "' must be 1-" + MAX_ALERTS);
                            }
                        } catch (NumberFormatException e) {
                            problems.add("limit '" + value + "' is not a whole number");
                        }
                    }
                    default -> problems.add("unknown parameter '" + key + "' (known: state, severity, since, limit)");
                }
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(String.join("; ", problems));
            }
            return new AlertQuery(open, resolved, severities, window, limit);
        }

        boolean wants(Alert a) {
            return (severities.isEmpty() || severities.contains(a.severity())) && (a.isOpen() ? open : resolved);
        }
    }

    private void alerts(Request request, Response r) throws IOException {
        AlertQuery q;
        try {
            q = AlertQuery.parse(request.rawQuery());
        } catch (IllegalArgumentException e) {
            badRequest(r, e.getMessage());
            return;
        }
        Instant now = b.clock().instant();
        Map<UUID, Alert> found = new HashMap<>();
        if (q.open()) {
            for (Alert a : b.alerting().openAlerts()) {
                if (q.wants(a)) {
                    found.put(a.id(), a);
                }
            }
        }
        if (q.resolved()) {
            try {
                for (Alert a : b.alertStore().history(null, now.minus(q.window()), now)) {
                    if (!a.isOpen() && q.wants(a)) {
                        found.put(a.id(), a);
                    }
                }
            } catch (Exception e) {
                LOG.warn("reading resolved alerts failed: {}", e.toString());
                r.send(503, JSON, "{\"error\":\"the alert store cannot be read now\"}");
                return;
            }
        }
        List<Alert> list = new ArrayList<>(found.values());
        // Open first, then the newest; ties by id so the order is stable.
        list.sort(Comparator.comparing((Alert a) -> !a.isOpen()).thenComparing(Alert::openedAt, Comparator.reverseOrder())
                .thenComparing(Alert::id));
        List<AlertView> out = new ArrayList<>();
        for (Alert a : list.subList(0, Math.min(list.size(), q.limit()))) {
            out.add(AlertView.of(a, now));
        }
        r.send(200, JSON, mapper.writeValueAsString(out));
    }

    private void acknowledge(Request q, Response r) throws IOException {
        String rawId = q.param("id");
        UUID id;
        try {
            id = UUID.fromString(rawId);
        } catch (IllegalArgumentException e) {
            badRequest(r, "'" + rawId + "' is not an alert id (a UUID)");
            return;
        }
        String type = q.header("Content-Type");
        // JSON only: a cross-site form cannot send it without a CORS preflight, which this server never grants.
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            r.send(415, JSON, "{\"error\":\"send Content-Type: application/json with {\\\"user\\\":\\\"name\\\"}\"}");
            return;
        }
        // The server refuses bodies over MAX_BODY_BYTES (413) before this runs.
        byte[] body = q.body();
        String user;
        try {
            JsonNode n = mapper.readTree(body);
            JsonNode u = n == null ? null : n.get("user");
            if (u == null || !u.isTextual()) {
                badRequest(r, "the body must be a JSON object with a \"user\" string");
                return;
            }
            user = u.asText().strip();
        } catch (IOException e) {
            badRequest(r, "the body is not JSON");
            return;
        }
        if (user.isEmpty() || user.length() > 100 || user.chars().anyMatch(Character::isISOControl)) {
            badRequest(r, "user must be 1-100 characters without control characters");
            return;
        }
        Alert acked = b.alerting().acknowledge(id, user).orElse(null);
        if (acked == null) {
            r.send(404, JSON, mapper.writeValueAsString(Map.of("error", "no open alert " + id)));
            return;
        }
        LOG.info("alert {} ({} on {}) acknowledged by {}", acked.id(), acked.rule(), acked.deviceName(), user);
        r.send(200, JSON, mapper.writeValueAsString(AlertView.of(acked, b.clock().instant())));
    }

    private void badRequest(Response r, String message) throws IOException {
        r.send(400, JSON, mapper.writeValueAsString(Map.of("error", message)));
    }

    private static byte[] loadPage() {
        try (InputStream in = HttpApi.class.getResourceAsStream("/status/index.html")) {
            if (in == null) {
                return "<!doctype html><title>ward</title><p>The status page is missing from the jar.".getBytes(StandardCharsets.UTF_8);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Stops accepting, closes idle connections, gives requests in progress up to a second.
     * Idempotent.
     */
    @Override
    public void close() {
        server.close();
    }
}
