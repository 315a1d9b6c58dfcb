package io.github.wardops.ward.examples.prober;

import com.sun.net.httpserver.HttpServer;
import io.github.wardops.ward.Ward;
import io.github.wardops.ward.inventory.Addresses;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.probe.ProbeResult;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Embeds the {@link HttpProber} in a {@link Ward}: one device whose health endpoint answers and
 * one whose port is closed, both on 127.0.0.1. To keep the example self-contained it serves the
 * health endpoint itself. Run it with
 * {@code ./mvnw -q -pl ward-examples/custom-prober -am compile exec:java}.
 */
public final class HttpProberExample {
    private HttpProberExample() {
    }

    /**
     * Probes both devices once a second until each has reported, then stops.
     *
     * @param out where results are printed
     * @return the first result of each device
     * @throws IOException when the local health endpoint cannot start
     * @throws InterruptedException if interrupted
     */
    static Map<String, ProbeResult> run(PrintStream out) throws IOException, InterruptedException {
        HttpServer health = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        health.createContext("/health", ex -> {
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        health.start();
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Map<String, ProbeResult> first = new ConcurrentHashMap<>();
        CountDownLatch both = new CountDownLatch(2);
        List<Device> devices = List.of(
                device("web", health.getAddress().getPort()),
                device("web-closed", closedPort));
        Map<DeviceId, String> names = Map.of(devices.get(0).id(), "web", devices.get(1).id(), "web-closed");
        // The prober is ours: the engine does not close it.
        try (HttpProber http = HttpProber.create();
             Ward ward = Ward.builder()
                     .prober(http)
                     .devices(devices)
                     .listener(r -> {
                         if (first.putIfAbsent(names.get(r.device()), r) == null) {
                             out.println(names.get(r.device()) + " " + describe(r));
                             both.countDown();
                         }
                     })
                     .build()) {
            ward.start();
            if (!both.await(20, TimeUnit.SECONDS)) {
                out.println("not every device reported within 20 s");
            }
        } finally {
            health.stop(0);
        }
        return first;
    }

    private static Device device(String name, int port) {
        HttpCheckSettings settings = HttpCheckSettings.builder()
                .path("/health")
                .port(port)
                .expectStatus(200, 299)
                .timeout(Duration.ofSeconds(1))
                .build();
        return Device.builder(DeviceId.fromKey("example-" + name), name, Addresses.parse("127.0.0.1"))
                .check(settings.check("http:" + port, Duration.ofSeconds(1)))
                .build();
    }

    private static String describe(ProbeResult r) {
        return switch (r) {
            case ProbeResult.Up up -> "UP " + up.measurement().values();
            case ProbeResult.Down down -> "DOWN " + down.reason() + ": " + down.detail();
            case ProbeResult.Unknown unknown -> "UNKNOWN " + unknown.detail();
        };
    }

    /**
     * Runs the example.
     *
     * @param args unused
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        run(System.out);
    }
}
