package io.github.wardops.ward.postgres.internal.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void roundTripsAwkwardStrings() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("region", "Achara");
        m.put("quote\"back\\slash", "tab\tnew\nline \u0001 ünï");
        m.put("", "");
        assertEquals(m, Json.read(Json.write(m)));
        assertEquals(Map.of(), Json.read(" { } "));
        assertEquals(Map.of("n", "12", "b", "true"), Json.read("{\"n\": 12, \"b\": true}"));
        assertEquals(Map.of("u", "é"), Json.read("{\"u\": \"\\u00e9\"}"));
    }

    @Test
    void rejectsWhatIsNotAFlatObject() {
        assertThrows(IllegalArgumentException.class, () -> Json.read("[1]"));
        assertThrows(IllegalArgumentException.class, () -> Json.read("{\"a\": {\"b\": 1}}"));
        assertThrows(IllegalArgumentException.class, () -> Json.read("{\"a\": \"b\""));
        assertThrows(IllegalArgumentException.class, () -> Json.read("{\"a\" \"b\"}"));
        assertThrows(IllegalArgumentException.class, () -> Json.read("{\"a\": \"\\x\"}"));
    }
}
