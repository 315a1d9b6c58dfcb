package io.github.wardops.ward.runner.http;

import io.github.wardops.ward.Secret;
import io.github.wardops.ward.Ward;
import io.github.wardops.ward.alert.AlertStore;
import io.github.wardops.ward.alert.Alerting;
import io.github.wardops.ward.postgres.DeviceEvents;
import io.github.wardops.ward.postgres.AvailabilityReport;
import io.github.wardops.ward.postgres.DeviceHistory;
import io.github.wardops.ward.postgres.InterfaceHistory;
import io.github.wardops.ward.postgres.cluster.ClusterView;
import io.github.wardops.ward.runner.http.server.HttpLimits;
import io.github.wardops.ward.runner.http.server.HttpServer;
import io.github.wardops.ward.runner.http.server.Router;
import io.github.wardops.ward.state.StateTracker;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The runner's HTTP API: the routes, each to its resource, on ward's own {@link HttpServer} (its
 * limits, deadlines and slots are described there). Routes and JSON fields are documented in
 * {@code docs/api.md}:
 *
 * <ul>
 *   <li>{@code GET /}: the {@link StatusPage} (its data comes from the API; for a request that may
 *       read the API, the overview's first data comes inline);</li>
 *   <li>{@code GET /health}: liveness; {@code GET /ready}: every {@link ReadinessCheck} (both
 *       answered outside the shared slots; {@link HealthResource});</li>
 *   <li>{@code GET /metrics}: Prometheus text ({@link MetricsResource});</li>
 *   <li>{@code GET /api/devices}, {@code GET /api/devices/{id}} ({@link DevicesResource});</li>
 *   <li>{@code GET /api/devices/{id}/history}: RTT, loss and time UP over a range, from raw
 *       results or roll-ups ({@link HistoryResource});</li>
 *   <li>{@code GET /api/devices/{id}/interfaces}: SNMP interfaces with their latest rates;
 *       {@code GET /api/devices/{id}/interfaces/{ifIndex}/history}: an interface's traffic over a
 *       range ({@link InterfacesResource});</li>
 *   <li>{@code GET /api/devices/{id}/events}: state changes and alerts in time order
 *   <li>{@code GET /api/devices/{id}/traps}: the latest SNMP traps, newest first
 *       ({@link EventsResource});</li>
 *   <li>{@code GET /api/summary}: counts by status for the fleet, per region and per branch
 *       ({@link SummaryResource});</li>
 *   <li>{@code GET /api/reports/availability}: availability, downtime, outages and MTTR per
 *       device or label ({@link ReportsResource});</li>
 *   <li>{@code GET /api/status}: counts, devices and open alerts read together, so they agree
 *       ({@link StatusResource}; the status page's data);</li>
 *   <li>{@code GET /api/alerts}, {@code POST /api/alerts/{id}/ack}, {@code POST /api/alerts/{id}/resolve}
 *   ({@link AlertsResource});</li>
 *   <li>{@code GET}, {@code POST /api/silences}, {@code GET}, {@code DELETE /api/silences/{id}} and
 *   {@code GET /api/alerts/{id}/notifications}, with {@link Notifications} ({@link SilencesResource});</li>
 *   <li>{@code GET /api/cluster}: the runners sharing the fleet and the shard map, in cluster mode
 *   ({@link ClusterResource}).</li>
 * </ul>
 * The resources answer for the {@link FleetView} of the backend: what this runner polls, or in
 * cluster mode the whole fleet ({@link SharedFleetView}; the answers then carry the age of the
 * shared state in {@code X-Ward-Fleet-Age}).
 * Before routing, {@link Access} admits the request: with a bearer token, every route but
 * {@code /health} and the page shell {@code /} answers {@code 401} unless the request carries
 * {@code Authorization: Bearer <token>} (compared in constant time). Thread-safe.
 */
public final class HttpApi implements AutoCloseable {
    /** The largest request body read (acknowledgements). */
    public static final int MAX_BODY_BYTES = HttpLimits.MAX_BODY_BYTES;
    /** The most alerts one {@code /api/alerts} answer holds. */
    public static final int MAX_ALERTS = 10_000;

    /**
     * What the API serves.
     *
     * @param ward the engine (inventory, latest results)
     * @param tracker the device states
     * @param alerting open alerts and acknowledgement
     * @param alertStore resolved alerts (history)
     * @param registry the registry scraped by {@code /metrics}
     * @param readiness the checks behind {@code /ready}
     * @param clock the clock for alert durations and relative history ranges
     * @param history devices' stored history, or {@code null} when storage is off
     *     ({@code /api/devices/{id}/history} then answers {@code 503})
     * @param interfaceHistory stored interfaces and their history, or {@code null} when storage is
     *     off ({@code /api/devices/{id}/interfaces} then lists only what the latest poll in memory
     *     saw, and the interface history answers {@code 503})
     * @param events devices' stored state changes and alerts, or {@code null} when storage is off
     *     ({@code /api/devices/{id}/events} then answers {@code 503})
     * @param availability the availability report, or {@code null} when storage is off
     *     ({@code /api/reports/availability} then answers {@code 503})
     * @param fleet what the API answers for: {@link FleetView#local} of {@code ward}, {@code tracker}
     *     and {@code alerting} for a runner alone (what {@code null} gives), a {@link SharedFleetView}
     *     in cluster mode (the whole fleet from the shared state)
     * @param cluster the cluster member's view for {@code GET /api/cluster}, or {@code null} when
     *     the runner is not in cluster mode ({@code /api/cluster} then answers {@code 404}); it may
     *     give {@code null} before the runner has joined ({@code 503})
     * @param notifications silences, the notification log and the maintenance windows, or
     *     {@code null} when notification routing is not configured ({@code /api/silences} and
     *     {@code /api/alerts/{id}/notifications} then answer {@code 404}, and alerts have no
     *     {@code heldBy})
     * @param traps the latest SNMP traps per device, or {@code null} when the trap receiver is off
     *     ({@code /api/devices/{id}/traps} then answers {@code 503})
     * @param uplinks the fleet's uplinks by provider, or {@code null} ({@code /api/summary} then has
     *     no {@code uplinks})
     */
    public record Backend(Ward ward, StateTracker tracker, Alerting alerting, AlertStore alertStore,
                          PrometheusMeterRegistry registry, List<ReadinessCheck> readiness, Clock clock,
                          DeviceHistory history, InterfaceHistory interfaceHistory, DeviceEvents events,
                          AvailabilityReport availability, FleetView fleet, Supplier<ClusterView> cluster,
                          Notifications notifications, TrapLog traps, Uplinks uplinks) {
        /**
         * Checks the components (each is described on the record), builds the local
         * {@link FleetView} when {@code fleet} is {@code null}, and copies its collections, so
         * the caller's later changes do not reach it.
         *
         * @throws NullPointerException if {@code ward}, {@code tracker}, {@code alerting}, {@code alertStore}, {@code registry} or {@code clock} is null
         */
        public Backend {
            Objects.requireNonNull(ward, "ward");
            Objects.requireNonNull(tracker, "tracker");
            Objects.requireNonNull(alerting, "alerting");
            Objects.requireNonNull(alertStore, "alertStore");
            Objects.requireNonNull(registry, "registry");
            readiness = List.copyOf(readiness);
            Objects.requireNonNull(clock, "clock");
            if (fleet == null) {
                fleet = FleetView.local(ward, tracker, alerting);
            }
        }

        /**
         * A backend without notification routing (as before it existed).
         *
         * @param ward the engine (inventory, latest results)
         * @param tracker the device states
         * @param alerting open alerts and acknowledgement
         * @param alertStore resolved alerts (history)
         * @param registry the registry scraped by {@code /metrics}
         * @param readiness the checks behind {@code /ready}
         * @param clock the clock
         * @param history devices' stored history, or {@code null} when storage is off
         * @param interfaceHistory stored interfaces and their history, or {@code null}
         * @param events devices' stored state changes and alerts, or {@code null}
         * @param availability the availability report, or {@code null}
         * @param fleet the fleet, or {@code null} for the local one
         * @param cluster the cluster member's view, or {@code null}
         */
        public Backend(Ward ward, StateTracker tracker, Alerting alerting, AlertStore alertStore,
                       PrometheusMeterRegistry registry, List<ReadinessCheck> readiness, Clock clock,
                       DeviceHistory history, InterfaceHistory interfaceHistory, DeviceEvents events,
                       AvailabilityReport availability, FleetView fleet, Supplier<ClusterView> cluster) {
            this(ward, tracker, alerting, alertStore, registry, readiness, clock, history, interfaceHistory, events,
                    availability, fleet, cluster, null, null, null);
        }

        /**
         * A backend of a runner alone: the API answers for what this runner polls
         * ({@link FleetView#local}), and {@code /api/cluster} answers {@code 404}.
         *
         * @param ward the engine (inventory, latest results)
         * @param tracker the device states
         * @param alerting open alerts and acknowledgement
         * @param alertStore resolved alerts (history)
         * @param registry the registry scraped by {@code /metrics}
         * @param readiness the checks behind {@code /ready}
         * @param clock the clock
         * @param history devices' stored history, or {@code null} when storage is off
         * @param interfaceHistory stored interfaces and their history, or {@code null}
         * @param events devices' stored state changes and alerts, or {@code null}
         * @param availability the availability report, or {@code null}
         */
        public Backend(Ward ward, StateTracker tracker, Alerting alerting, AlertStore alertStore,
                       PrometheusMeterRegistry registry, List<ReadinessCheck> readiness, Clock clock,
                       DeviceHistory history, InterfaceHistory interfaceHistory, DeviceEvents events,
                       AvailabilityReport availability) {
            this(ward, tracker, alerting, alertStore, registry, readiness, clock, history, interfaceHistory, events,
                    availability, null, null, null, null, null);
        }

        /**
         * This backend answering for another fleet, with a cluster view (cluster mode).
         *
         * @param fleet the fleet, such as a {@link SharedFleetView}; never {@code null}
         * @param cluster the cluster member's view, or {@code null}
         * @return the new backend
         */
        public Backend withFleet(FleetView fleet, Supplier<ClusterView> cluster) {
            Objects.requireNonNull(fleet, "fleet");
            return new Backend(ward, tracker, alerting, alertStore, registry, readiness, clock, history,
                    interfaceHistory, events, availability, fleet, cluster, notifications, traps, uplinks);
        }

        /**
         * This backend with notification routing: {@code /api/silences},
         * {@code /api/alerts/{id}/notifications} and each open alert's {@code heldBy}.
         *
         * @param n the silences, the notification log and the maintenance windows; {@code null}
         *     for none (those routes then answer {@code 404})
         * @return the new backend
         */
        public Backend withNotifications(Notifications n) {
            return new Backend(ward, tracker, alerting, alertStore, registry, readiness, clock, history,
                    interfaceHistory, events, availability, fleet, cluster, n, traps, uplinks);
        }

        /**
         * This backend with the SNMP trap receiver's log, for {@code GET /api/devices/{id}/traps}.
         *
         * @param log the latest traps per device, or {@code null} when the receiver is off (the route then answers {@code 503})
         * @return the new backend
         */
        public Backend withTraps(TrapLog log) {
            return new Backend(ward, tracker, alerting, alertStore, registry, readiness, clock, history,
                    interfaceHistory, events, availability, fleet, cluster, notifications, log, uplinks);
        }

        /**
         * This backend with the fleet's uplinks, for the {@code uplinks} of {@code /api/summary}.
         *
         * @param u the uplinks, or {@code null} for none
         * @return the new backend
         */
        public Backend withUplinks(Uplinks u) {
            return new Backend(ward, tracker, alerting, alertStore, registry, readiness, clock, history,
                    interfaceHistory, events, availability, fleet, cluster, notifications, traps, u);
        }

        /**
         * A backend without stored history (storage off).
         *
         * @param ward the engine
         * @param tracker the device states
         * @param alerting open alerts and acknowledgement
         * @param alertStore resolved alerts
         * @param registry the registry scraped by {@code /metrics}
         * @param readiness the checks behind {@code /ready}
         * @param clock the clock
         */
        public Backend(Ward ward, StateTracker tracker, Alerting alerting, AlertStore alertStore,
                       PrometheusMeterRegistry registry, List<ReadinessCheck> readiness, Clock clock) {
            this(ward, tracker, alerting, alertStore, registry, readiness, clock, null, null, null, null, null, null, null, null,
                    null);
        }
    }

    private final HttpServer server;

    private HttpApi(InetSocketAddress address, Secret token, HttpLimits limits, Backend b, boolean openToAll)
            throws IOException {
        Access access = new Access(token, openToAll);
        HealthResource health = new HealthResource(b.readiness());
        MetricsResource metrics = new MetricsResource(b.registry());
        FleetView fleet = b.fleet();
        Holds holds = b.notifications() == null ? null : new Holds(b.notifications(), b.clock());
        DevicesResource devices = new DevicesResource(fleet, b.clock(), holds);
        AlertsResource alerts = new AlertsResource(b.alerting(), fleet, b.alertStore(), b.cluster(), b.clock(), holds);
        StatusResource status = new StatusResource(fleet, b.clock(), holds);
        SilencesResource silences = new SilencesResource(b.notifications(), holds, fleet, b.clock());
        HistoryResource history = new HistoryResource(fleet, b.history(), b.clock());
        InterfacesResource interfaces = new InterfacesResource(fleet, b.interfaceHistory(), b.clock());
        EventsResource events = new EventsResource(fleet, b.events(), b.clock());
        TrapsResource traps = new TrapsResource(fleet, b.traps());
        SummaryResource summary = new SummaryResource(fleet, b.clock(), b.uplinks());
        ReportsResource reports = new ReportsResource(fleet, b.availability(), b.clock());
        ClusterResource cluster = new ClusterResource(fleet, b.cluster(), b.clock());
        // Handled in a slot: with its data inline the page costs what /api/status and /api/summary cost.
        StatusPage page = new StatusPage(access, status, summary, silences, fleet);
        Router router = new Router()
                .guard(access::admit)
                .get("/", page::get)
                .get("/index.html", page::get)
                .getLight("/health", (q, r) -> HealthResource.health(r))
                .getLight("/ready", (q, r) -> health.ready(r))
                .get("/metrics", (q, r) -> metrics.get(r))
                .get("/api/devices", devices::list)
                .get("/api/devices/{id}", devices::one)
                .get("/api/devices/{id}/history", history::get)
                .get("/api/devices/{id}/interfaces", interfaces::list)
                .get("/api/devices/{id}/interfaces/{ifIndex}/history", interfaces::history)
                .get("/api/devices/{id}/events", events::get)
                .get("/api/devices/{id}/traps", traps::get)
                .get("/api/summary", summary::get)
                .get("/api/reports/availability", reports::availability)
                .get("/api/status", status::get)
                .get("/api/cluster", cluster::get)
                .get("/api/alerts", alerts::list)
                .post("/api/alerts/{id}/ack", alerts::acknowledge)
                .post("/api/alerts/{id}/resolve", alerts::resolve)
                .get("/api/alerts/{id}/notifications", silences::notificationsOf)
                .get("/api/silences", silences::list)
                .post("/api/silences", silences::create)
                .get("/api/silences/{id}", silences::one)
                .delete("/api/silences/{id}", silences::expire);
        this.server = HttpServer.start(address, limits, router, b.registry());
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

    /**
     * Stops accepting, closes idle connections, gives requests in progress up to a second.
     * Idempotent.
     */
    @Override
    public void close() {
        server.close();
    }
}
