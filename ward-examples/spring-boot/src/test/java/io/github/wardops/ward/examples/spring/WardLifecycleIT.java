package io.github.wardops.ward.examples.spring;

import static org.junit.jupiter.api.Assertions.*;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.Ward;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.probe.ProbeResult;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** The engine's lifecycle follows the application context's. */
class WardLifecycleIT {
    /** Runs the application with these devices (as command-line arguments, which win over application.properties). */
    private static ConfigurableApplicationContext run(String devices) {
        return new SpringApplicationBuilder(WardExampleApplication.class)
                .web(WebApplicationType.NONE)
                .run("--ward.example.devices=" + devices, "--ward.example.interval=1s");
    }

    @Test
    void theEngineRunsWhileTheContextDoesAndClosingTheContextClosesIt() throws Exception {
        Ward ward;
        WardConfiguration.WardLifecycle lifecycle;
        try (ConfigurableApplicationContext ctx = run("127.0.47.1")) {
            ward = ctx.getBean(Ward.class);
            lifecycle = ctx.getBean(WardConfiguration.WardLifecycle.class);
            assertTrue(lifecycle.isRunning());
            ProbeResult r = ward.probeNow(DeviceId.fromKey("127.0.47.1"), "icmp").get(10, TimeUnit.SECONDS);
            assertInstanceOf(ProbeResult.Up.class, r, r::toString);
        }
        assertFalse(lifecycle.isRunning());
        // A closed engine refuses to start again and to probe.
        IllegalStateException e = assertThrows(IllegalStateException.class, ward::start);
        assertEquals("this Ward is closed", e.getMessage());
        ExecutionException probe = assertThrows(ExecutionException.class,
                () -> ward.probeNow(DeviceId.fromKey("127.0.47.1"), "icmp").get(10, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, probe.getCause());
    }

    @Test
    void invalidDeviceAddressesStopTheApplicationWithEveryProblemListed() {
        Exception e = assertThrows(Exception.class, () -> run("127.0.47.2,not-an-ip,999.1.1.1,127.0.47.2").close());
        Throwable t = e;
        while (t != null && !(t instanceof InvalidConfigurationException)) {
            t = t.getCause();
        }
        InvalidConfigurationException ice = assertInstanceOf(InvalidConfigurationException.class, t, e::toString);
        assertEquals(3, ice.problems().size(), ice.problems().toString());
        assertTrue(ice.problems().get(0).contains("not-an-ip"), ice.problems().toString());
        assertTrue(ice.problems().get(1).contains("999.1.1.1"), ice.problems().toString());
        assertEquals("ward.example.devices: '127.0.47.2' is listed twice", ice.problems().get(2));
    }
}
