package io.github.wardops.ward.runner.http;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.wardops.ward.DeviceStatus;
import io.github.wardops.ward.Ward;
import io.github.wardops.ward.inventory.Device;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runner's HTTP API on the JDK's built-in server, one virtual thread per exchange, at most
 * {@value #MAX_CONCURRENT} exchanges at once (more get {@code 503}).
 *
 * <ul>
 *   <li>{@code GET /health}: {@code {"status":"ok"}} while the runner runs;</li>
 *   <li>{@code GET /metrics}: Prometheus text;</li>
 *   <li>{@code GET /api/devices}: a JSON array of {@link DeviceView}, sorted by name then id,
 *       filtered by {@link DeviceFilter} ({@code 400} for a bad filter).</li>
 * </ul>
 * Other paths answer {@code 404}, other methods {@code 405}. Thread-safe.
 */
public final class HttpApi implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    /** The most exchanges handled at once. */
    public static final int MAX_CONCURRENT = 64;
    private static final String JSON = "application/json; charset=utf-8";
    private static final Comparator<Device> ORDER = Comparator.comparing(Device::name).thenComparing(Device::id);

    private final HttpServer server;
    private final ExecutorService executor;
    private final Ward ward;
    private final PrometheusMeterRegistry registry;
    private final ObjectMapper mapper;
    private final Semaphore slots = new Semaphore(MAX_CONCURRENT);

    private HttpApi(HttpServer server, ExecutorService executor, Ward ward, PrometheusMeterRegistry registry,
                    ObjectMapper mapper) {
        this.server = server;
        this.executor = executor;
        this.ward = ward;
        this.registry = registry;
        this.mapper = mapper;
    }

    /**
     * Binds and starts the server.
     *
     * @param address where to listen (port 0: any free port)
     * @param ward the engine whose devices are served
     * @param registry the registry scraped by {@code /metrics}
     * @return the running API
     * @throws IOException when the address cannot be bound; the message says which address and why
     */
    public static HttpApi start(InetSocketAddress address, Ward ward, PrometheusMeterRegistry registry) throws IOException {
        HttpServer server;
        try {
            server = HttpServer.create(address, 128);
        } catch (BindException e) {
            throw new IOException("cannot listen on " + address.getAddress().getHostAddress() + ":" + address.getPort()
                    + " (" + e.getMessage() + "); pick another address with --http HOST:PORT, or --http off", e);
        }
        ExecutorService executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("ward-http-", 0).factory());
        HttpApi api = new HttpApi(server, executor, ward, registry, new ObjectMapper());
        server.setExecutor(executor);
        server.createContext("/", api::handle);
        server.start();
        return api;
    }

    /**
     * The bound address, with the actual port when port 0 was asked for.
     *
     * @return the address
     */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    private void handle(HttpExchange ex) throws IOException {
        if (!slots.tryAcquire()) {
            send(ex, 503, JSON, "{\"error\":\"too many requests in progress\"}");
            return;
        }
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            Runnable route = switch (path) {
                case "/health" -> () -> sendQuietly(ex, 200, JSON, "{\"status\":\"ok\"}");
                case "/metrics" -> () -> metrics(ex);
                case "/api/devices" -> () -> devices(ex);
                default -> null;
            };
            if (route == null) {
                send(ex, 404, JSON, "{\"error\":\"not found\",\"path\":" + mapper.writeValueAsString(path) + "}");
            } else if (!method.equals("GET") && !method.equals("HEAD")) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                send(ex, 405, JSON, "{\"error\":\"method not allowed\",\"allow\":[\"GET\",\"HEAD\"]}");
            } else {
                route.run();
            }
        } catch (RuntimeException e) {
            LOG.warn("HTTP {} {} failed: {}", ex.getRequestMethod(), ex.getRequestURI().getPath(), e.toString());
        } finally {
            slots.release();
        }
    }

    private void metrics(HttpExchange ex) {
        sendQuietly(ex, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
    }

    private void devices(HttpExchange ex) {
        DeviceFilter filter;
        try {
            filter = DeviceFilter.parse(ex.getRequestURI().getRawQuery());
        } catch (IllegalArgumentException e) {
            try {
                send(ex, 400, JSON, mapper.writeValueAsString(Map.of("error", e.getMessage())));
            } catch (IOException io) {
                LOG.debug("client went away: {}", io.toString());
            }
            return;
        }
        List<Device> all = new ArrayList<>();
        for (Device d : ward.inventory().devices()) {
            if (filter.labelsMatch(d)) {
                all.add(d);
            }
        }
        all.sort(ORDER);
        try {
            ex.getResponseHeaders().set("Content-Type", JSON);
            if (ex.getRequestMethod().equals("HEAD")) {
                ex.sendResponseHeaders(200, -1);
                return;
            }
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody();
                 JsonGenerator g = mapper.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
                writeDevices(g, all, filter);
            }
        } catch (IOException e) {
            LOG.debug("client went away during /api/devices: {}", e.toString());
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
            DeviceStatus status = ward.status(d.id());
            if (filter.statusMatches(status)) {
                mapper.writeValue(g, DeviceView.of(d, status, ward.latest().get(d.id(), "icmp").orElse(null)));
            }
        }
        g.writeEndArray();
    }

    private static void sendQuietly(HttpExchange ex, int status, String type, String body) {
        try {
            send(ex, status, type, body);
        } catch (IOException e) {
            LOG.debug("client went away: {}", e.toString());
        }
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.sendResponseHeaders(status, -1);
            ex.close();
            return;
        }
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    /**
     * Stops accepting, gives exchanges in progress up to a second, and stops the executor.
     * Idempotent.
     */
    @Override
    public void close() {
        server.stop(1);
        executor.shutdownNow();
    }
}
