package io.github.wardops.ward.postgres.internal.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelsTest {
    @Test
    void roundTripsAwkwardStrings() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("region", "Achara");
        m.put("quote\"back\\slash", "tab\tnew\nline \u0001 ünï");
        m.put("", "");
        assertEquals(m, Labels.read(Labels.write(m)));
        assertEquals(Map.of(), Labels.read(" { } "));
        assertEquals(Map.of("n", "12", "b", "true"), Labels.read("{\"n\": 12, \"b\": true}"));
        assertEquals(Map.of("u", "é"), Labels.read("{\"u\": \"\\u00e9\"}"));
    }

    @Test
    void rejectsWhatIsNotAFlatObject() {
        assertThrows(IllegalArgumentException.class, () -> Labels.read("[1]"));
        assertThrows(IllegalArgumentException.class, () -> Labels.read("{\"a\": {\"b\": 1}}"));
        assertThrows(IllegalArgumentException.class, () -> Labels.read("{\"a\": \"b\""));
        assertThrows(IllegalArgumentException.class, () -> Labels.read("{\"a\" \"b\"}"));
        assertThrows(IllegalArgumentException.class, () -> Labels.read("{\"a\": \"\\x\"}"));
    }

    @Test
    void writesWhatItAlwaysWrote() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("q\"b\\", "\u0001\n\r\t<&>/é");
        assertEquals("{\"q\\\"b\\\\\":\"\\u0001\\n\\r\\t<&>/é\"}", Labels.write(m));
    }

    @Test
    void keepsTheTextOfValuesThatAreNotStrings() {
        assertEquals(Map.of("n", "1.50", "big", "12345678901234567890", "z", "null", "f", "false"),
                Labels.read("{\"n\": 1.50, \"big\": 12345678901234567890, \"z\": null, \"f\": false}"));
    }
}
