package io.github.wardops.ward.examples.prober;

import io.github.wardops.ward.inventory.Addresses;
import io.github.wardops.ward.inventory.Check;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.probe.ProbeRequest;
import io.github.wardops.ward.probe.Prober;
import io.github.wardops.ward.testkit.contract.ProberContract;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link HttpProber} keeps ward's Prober contract against a real HTTP server on 127.0.0.1. */
class HttpProberContractIT extends ProberContract {
    private static TestServer server;
    private static int closedPort;

    @BeforeAll
    static void startServer() throws Exception {
        server = new TestServer();
        closedPort = TestServer.closedPort();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Override
    protected Prober createProber() {
        return HttpProber.create();
    }

    @Override
    protected ProbeRequest reachable(int i) {
        return request("web-" + i, server.port());
    }

    @Override
    protected ProbeRequest unreachable() {
        return request("closed", closedPort);
    }

    static ProbeRequest request(String key, int port) {
        HttpCheckSettings s = HttpCheckSettings.builder().path("/health").port(port).timeout(Duration.ofSeconds(2)).build();
        return request(key, "127.0.0.1", s.check("http:" + port, Duration.ofSeconds(30)));
    }

    static ProbeRequest request(String key, String address, Check check) {
        Device d = Device.builder(DeviceId.fromKey(key), key, Addresses.parse(address)).check(check).build();
        return new ProbeRequest(d, check, Instant.now());
    }
}
