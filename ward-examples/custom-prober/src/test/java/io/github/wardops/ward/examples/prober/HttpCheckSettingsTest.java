package io.github.wardops.ward.examples.prober;

import static org.junit.jupiter.api.Assertions.*;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.inventory.Addresses;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpCheckSettingsTest {
    @Test
    void defaults() {
        HttpCheckSettings s = HttpCheckSettings.builder().build();
        assertEquals(new HttpCheckSettings("/", 80, false, 200, 399, Duration.ofSeconds(2)), s);
        assertEquals("http", s.type());
        assertTrue(s.healthy(200));
        assertTrue(s.healthy(399));
        assertFalse(s.healthy(199));
        assertFalse(s.healthy(400));
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> HttpCheckSettings.builder()
                .path("health").port(0).expectStatus(99, 600).timeout(Duration.ZERO).build());
        List<String> p = e.problems();
        assertEquals(5, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("path = 'health'"), p.get(0));
        assertTrue(p.contains("port = 0: must be 1-65535"), p.toString());
        assertTrue(p.contains("minStatus = 99: must be 100-599"), p.toString());
        assertTrue(p.contains("maxStatus = 600: must be 100-599"), p.toString());
        assertTrue(p.contains("timeout = PT0S: must be 1 ms to 5 min"), p.toString());
    }

    @Test
    void invalidTimeoutAndReversedRange() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> HttpCheckSettings.builder()
                .expectStatus(400, 200).timeout(Duration.ofMinutes(6)).port(65536).build());
        assertEquals(List.of("port = 65536: must be 1-65535", "maxStatus = 200: must not be below minStatus 400",
                "timeout = PT6M: must be 1 ms to 5 min"), e.problems());
        InvalidConfigurationException nulls = assertThrows(InvalidConfigurationException.class,
                () -> new HttpCheckSettings(null, 80, false, 200, 299, null));
        assertEquals(2, nulls.problems().size(), nulls.problems().toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "health", "/a b", "/tab\there", "/new\nline", "/é", "/a|b", "/{x}", "/frag#x"})
    void malformedPathsAreRejected(String path) {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> HttpCheckSettings.builder().path(path).build());
        assertEquals(1, e.problems().size());
        assertTrue(e.problems().getFirst().startsWith("path = "), e.problems().toString());
        assertFalse(e.getMessage().contains("\n" + "line"), "control characters are not echoed");
    }

    @Test
    void anOverlongPathIsRejectedAndNotEchoedWhole() {
        String path = "/" + "a".repeat(2000);
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> HttpCheckSettings.builder().path(path).build());
        assertTrue(e.getMessage().length() < 300, e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/health", "/health?full=1&x=%7C", "/a/b-c_d.e~f"})
    void wellFormedPathsAreAccepted(String path) {
        assertEquals(path, HttpCheckSettings.builder().path(path).build().path());
    }

    @Test
    void theCheckUsesTheRequestTimeout() {
        HttpCheckSettings s = HttpCheckSettings.builder().timeout(Duration.ofMillis(1500)).build();
        assertEquals(Duration.ofMillis(1500), s.check("http", Duration.ofSeconds(10)).timeout());
        assertThrows(IllegalArgumentException.class, () -> s.check("http", Duration.ofSeconds(1)), "timeout above the interval");
    }

    @Test
    void urisForIpv4AndIpv6() {
        HttpCheckSettings s = HttpCheckSettings.builder().path("/health?x=1").port(8443).https(true).build();
        assertEquals("https://127.0.0.1:8443/health?x=1", HttpProber.uri(Addresses.parse("127.0.0.1"), s).toString());
        assertEquals("https://[0:0:0:0:0:0:0:1]:8443/health?x=1", HttpProber.uri(Addresses.parse("::1"), s).toString());
    }
}
