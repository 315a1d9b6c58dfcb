package io.github.wardops.ward.victoriametrics.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    @Test
    void escapesBackslashQuoteAndNewlineOnly() {
        assertEquals("a\\\\b", PrometheusText.escape("a\\b"));
        assertEquals("say \\\"hi\\\"", PrometheusText.escape("say \"hi\""));
        assertEquals("l1\\nl2", PrometheusText.escape("l1\nl2"));
        assertEquals("\\\\n is not a newline", PrometheusText.escape("\\n is not a newline"));
        assertEquals("Tbilisi – თბილისი ✓ \t tab", PrometheusText.escape("Tbilisi – თბილისი ✓ \t tab"));
        assertEquals("", PrometheusText.escape(""));
        assertEquals("\\\\\\\"", PrometheusText.escape("\\\""), "backslash before a quote: both escaped, in order");
    }

    @Test
    void sanitisesMetricNames() {
        assertEquals("ward_tcp_connect_ms", PrometheusText.metricName("ward_tcp_connect_ms"));
        assertEquals("ward_snmp_cpu_load_1m", PrometheusText.metricName("ward_snmp_cpu.load-1m"));
        assertEquals("ns:metric", PrometheusText.metricName("ns:metric"), "colons are allowed in metric names");
        assertEquals("_1st", PrometheusText.metricName("1st"));
        assertEquals("_", PrometheusText.metricName(""));
        assertEquals("interface_in__s", PrometheusText.metricName("interface_in µs"));
        assertEquals("a_b", PrometheusText.metricName("a\nb"));
    }

    @Test
    void sanitisesLabelNames() {
        assertEquals("ns_label", PrometheusText.labelName("ns:label"), "no colon in label names");
        assertEquals("_9lives", PrometheusText.labelName("9lives"));
        assertTrue(PrometheusText.isValidLabelName("device_type"));
        assertTrue(PrometheusText.isValidLabelName("_x"));
        assertFalse(PrometheusText.isValidLabelName("device-type"));
        assertFalse(PrometheusText.isValidLabelName("1x"));
        assertFalse(PrometheusText.isValidLabelName(""));
        assertFalse(PrometheusText.isValidLabelName(null));
    }

    @Test
    void formatsNumbers() {
        assertEquals("1", PrometheusText.number(1.0));
        assertEquals("0", PrometheusText.number(0.0));
        assertEquals("-3", PrometheusText.number(-3.0));
        assertEquals("0.052", PrometheusText.number(0.052));
        assertEquals("33.333333333333336", PrometheusText.number(100.0 / 3));
        assertEquals(1e20, Double.parseDouble(PrometheusText.number(1e20)));
        assertEquals(1.5e-9, Double.parseDouble(PrometheusText.number(1.5e-9)));
        assertThrows(IllegalArgumentException.class, () -> PrometheusText.number(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> PrometheusText.number(Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> PrometheusText.number(Double.NEGATIVE_INFINITY));
    }

    @Test
    void writesOneLinePerSample() {
        Sample s = new Sample("device_ping_status",
                List.of(new Sample.Label("device_id", "x"), new Sample.Label("device_name", "a \"b\"\nc\\")),
                1, 1_767_225_600_123L);
        assertEquals("device_ping_status{device_id=\"x\",device_name=\"a \\\"b\\\"\\nc\\\\\"} 1 1767225600123\n",
                PrometheusText.line(s));
        assertEquals("m 0.5 7\n", PrometheusText.line(new Sample("m", List.of(), 0.5, 7)));
    }

    @Test
    void aSampleCannotHoldANonFiniteValue() {
        assertThrows(IllegalArgumentException.class, () -> new Sample("m", List.of(), Double.NaN, 0));
        assertThrows(IllegalArgumentException.class, () -> new Sample("m", List.of(), Double.NEGATIVE_INFINITY, 0));
    }
}
