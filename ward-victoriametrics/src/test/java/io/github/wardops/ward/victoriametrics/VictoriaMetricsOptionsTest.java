package io.github.wardops.ward.victoriametrics;

import static org.junit.jupiter.api.Assertions.*;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.Secret;
import io.github.wardops.ward.Ticker;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VictoriaMetricsOptionsTest {
    static final URI VM = URI.create("http://127.0.0.1:8428");

    static List<String> problems(VictoriaMetricsOptions.Builder b) {
        return assertThrows(InvalidConfigurationException.class, b::build).problems();
    }

    static void assertHas(List<String> problems, String fragment) {
        assertTrue(problems.stream().anyMatch(p -> p.contains(fragment)), "no problem mentions '" + fragment + "': " + problems);
    }

    @Test
    void defaults() {
        VictoriaMetricsOptions o = VictoriaMetricsOptions.builder(VM).build();
        assertEquals(URI.create("http://127.0.0.1:8428/api/v1/import/prometheus"), o.importUri());
        assertEquals("victoriametrics", o.name());
        assertEquals(Map.of("device_type", "device_type"), o.deviceLabels());
        assertEquals(Map.of(), o.staticLabels());
        assertEquals(Duration.ofSeconds(10), o.requestTimeout());
        assertEquals(3, o.maxRetries());
        assertEquals(100_000, o.maxBufferedSamples());
        assertEquals(10_000, o.batchSize());
        assertTrue(o.compress());
        assertTrue(o.basicAuthUser().isEmpty());
        assertTrue(o.bearerToken().isEmpty());
        assertSame(Ticker.system(), o.ticker());
    }

    @Test
    void tickerIsKeptByToBuilderAndNeverNull() {
        Ticker fixed = () -> 42L;
        VictoriaMetricsOptions o = VictoriaMetricsOptions.builder(VM).ticker(fixed).build();
        assertSame(fixed, o.ticker());
        assertSame(fixed, o.toBuilder().build().ticker());
        assertHas(problems(VictoriaMetricsOptions.builder(VM).ticker(null)), "ticker must not be null");
    }

    @Test
    void compatIsNoneByDefaultKeptByToBuilderAndItsLabelsAreReservedInV1() {
        assertEquals(VictoriaMetricsOptions.Compat.NONE, VictoriaMetricsOptions.builder(VM).build().compat());
        VictoriaMetricsOptions v1 = VictoriaMetricsOptions.builder(VM).compat(VictoriaMetricsOptions.Compat.V1).build();
        assertEquals(VictoriaMetricsOptions.Compat.V1, v1.compat());
        assertEquals(VictoriaMetricsOptions.Compat.V1, v1.toBuilder().build().compat());
        assertTrue(v1.toString().contains("compat=V1"), v1.toString());
        assertHas(problems(VictoriaMetricsOptions.builder(VM).compat(null)), "compat must not be null");
        // without the mode the names are free; with it, ward writes them itself
        VictoriaMetricsOptions.builder(VM).label("isp_provider", "x").deviceLabel("kind", "interface_type").build();
        List<String> p = problems(VictoriaMetricsOptions.builder(VM).compat(VictoriaMetricsOptions.Compat.V1)
                .label("isp_provider", "x").deviceLabel("kind", "interface_type"));
        assertHas(p, "label 'isp_provider': ward writes this label itself in compat V1");
        assertHas(p, "deviceLabel 'kind' -> 'interface_type': ward writes this label itself in compat V1");
    }

    @Test
    void importUriKeepsAPathPrefixAndDropsTrailingSlashes() {
        assertEquals(URI.create("https://vminsert:8480/insert/0/prometheus/api/v1/import/prometheus"),
                VictoriaMetricsOptions.builder(URI.create("https://vminsert:8480/insert/0/prometheus//")).build().importUri());
    }

    @Test
    void everyProblemIsListedAtOnce() {
        List<String> p = problems(VictoriaMetricsOptions.builder(URI.create("ftp://127.0.0.1/x?y=1"))
                .name(" ")
                .label("device_id", "x")
                .label("bad-name", "x")
                .label("__meta", "x")
                .label("nullvalue", null)
                .label("region", "x")
                .deviceLabel("region", "region")
                .deviceLabel("zone", "region")
                .deviceLabel("", "9bad")
                .requestTimeout(Duration.ZERO)
                .retries(-1, Duration.ofSeconds(2), Duration.ofSeconds(1))
                .maxWriteTime(null)
                .closeTimeout(Duration.ofSeconds(-1))
                .maxBufferedSamples(0)
                .batchSize(2_000_000)
                .basicAuth("a:b", Secret.of("pw"))
                .bearerToken(Secret.of("")));
        assertHas(p, "scheme must be http or https");
        assertHas(p, "no query or fragment");
        assertHas(p, "name = ' '");
        assertHas(p, "label 'device_id': ward writes this label itself");
        assertHas(p, "label 'bad-name': not a valid label name");
        assertHas(p, "label '__meta': names starting with '__' are reserved");
        assertHas(p, "label 'nullvalue': value must not be null");
        assertHas(p, "label 'region': also a mapped device label");
        assertHas(p, "two device labels map to the same label");
        assertHas(p, "deviceLabel key '': must not be blank");
        assertHas(p, "'9bad': not a valid label name");
        assertHas(p, "requestTimeout = PT0S");
        assertHas(p, "maxRetries = -1");
        assertHas(p, "maxBackoff = PT1S: must not be shorter than initialBackoff = PT2S");
        assertHas(p, "maxWriteTime must be set");
        assertHas(p, "closeTimeout = PT-1S");
        assertHas(p, "maxBufferedSamples = 0");
        assertHas(p, "batchSize = 2000000");
        assertHas(p, "basicAuth user 'a:b'");
        assertHas(p, "bearerToken: must not be empty");
        assertHas(p, "set one, not both");
        assertEquals(21, p.size(), String.join("\n", p));
    }

    @Test
    void aMissingOrHostlessUriIsReported() {
        assertHas(problems(VictoriaMetricsOptions.builder(null)), "baseUri must be set");
        assertHas(problems(VictoriaMetricsOptions.builder(URI.create("http:/only/a/path"))), "must name a host");
        assertHas(problems(VictoriaMetricsOptions.builder(URI.create("mailto:ops@example.org"))), "scheme must be http or https");
        assertHas(problems(VictoriaMetricsOptions.builder(URI.create("localhost:8428"))), "scheme must be http or https");
    }

    @Test
    void aPasswordInTheUriIsRejectedWithoutEchoingIt() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> VictoriaMetricsOptions.builder(URI.create("http://ops:hunter2@127.0.0.1:8428")).build());
        assertHas(e.problems(), "use basicAuth");
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }

    @Test
    void secretsNeverPrint() {
        VictoriaMetricsOptions basic = VictoriaMetricsOptions.builder(VM).basicAuth("ops", Secret.of("hunter2")).build();
        VictoriaMetricsOptions bearer = VictoriaMetricsOptions.builder(VM).bearerToken(Secret.of("tok-123")).build();
        assertFalse(basic.toString().contains("hunter2"), basic.toString());
        assertTrue(basic.toString().contains("basic(ops, ***)"), basic.toString());
        assertFalse(bearer.toString().contains("tok-123"), bearer.toString());
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> VictoriaMetricsOptions.builder(VM).basicAuth("ops", Secret.of("hunter2"))
                        .bearerToken(Secret.of("tok-123")).build());
        assertFalse(e.getMessage().contains("hunter2") || e.getMessage().contains("tok-123"), e.getMessage());
    }

    @Test
    void nullCredentialsAreReported() {
        assertHas(problems(VictoriaMetricsOptions.builder(VM).basicAuth("ops", null)), "basicAuth needs a user and a password");
        assertHas(problems(VictoriaMetricsOptions.builder(VM).bearerToken(null)), "bearerToken must not be null");
        assertHas(problems(VictoriaMetricsOptions.builder(VM).deviceLabels(null)), "deviceLabels must not be null");
    }

    @Test
    void toBuilderRoundTrips() {
        VictoriaMetricsOptions o = VictoriaMetricsOptions.builder(VM).name("vm2").label("site", "dc1")
                .deviceLabel("region", "region").retries(5, Duration.ofMillis(10), Duration.ofMillis(40))
                .maxBufferedSamples(50).batchSize(7).compress(false).bearerToken(Secret.of("t")).build();
        VictoriaMetricsOptions c = o.toBuilder().build();
        assertEquals(o.toString(), c.toString());
        assertEquals(o.bearerToken(), c.bearerToken());
        assertEquals(Map.of("device_type", "device_type", "region", "region"), c.deviceLabels());
        assertThrows(UnsupportedOperationException.class, () -> c.staticLabels().put("x", "y"));
    }

    @Test
    void aLabelSetTwiceIsReportedNotSilentlyReplaced() {
        List<String> p = problems(VictoriaMetricsOptions.builder(VM).label("site", "a").label("site", "b"));
        assertEquals(List.of("label 'site' is set twice"), p);
    }
}
