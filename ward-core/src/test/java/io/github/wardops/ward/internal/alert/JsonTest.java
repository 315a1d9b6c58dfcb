package io.github.wardops.ward.internal.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {

    @Test
    void readsTheValuesRuleFilesUse() {
        Object v = Json.parse("\uFEFF [ {\"a\": \"x\\\"y\\u00e9\\n\", \"b\": null, \"c\": true, \"d\": -1.5e2, \"e\": [], \"f\": {}} ] ");
        Map<?, ?> m = (Map<?, ?>) ((List<?>) v).get(0);
        assertEquals("x\"y\u00e9\n", m.get("a"));
        assertTrue(m.containsKey("b") && m.get("b") == null);
        assertEquals(Boolean.TRUE, m.get("c"));
        assertEquals(-150.0, m.get("d"));
        assertEquals(List.of(), m.get("e"));
        assertEquals(Map.of(), m.get("f"));
        assertEquals(List.of("a", "b", "c", "d", "e", "f"), List.copyOf(m.keySet()), "member order kept");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "[", "]", "{", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "[01]", "[1.]", "[1e]",
        "[-]", "\"abc", "\"a\\x\"", "\"\\u12g4\"", "tru", "nul", "[1] 2", "{\"a\":1,\"a\":2}", "\"tab\there\"",
        "[\"\\u12\"]", "NaN", "'single'"})
    void malformedDocumentsAreRejectedWithAPosition(String text) {
        Json.JsonException e = assertThrows(Json.JsonException.class, () -> Json.parse(text));
        assertTrue(e.getMessage().matches("line \\d+, column \\d+: expected .*"), e.getMessage());
    }

    @Test
    void nestingAndSizeAreBounded() {
        char[] deep = new char[10_000];
        Arrays.fill(deep, '[');
        Json.JsonException e = assertThrows(Json.JsonException.class, () -> Json.parse(new String(deep)));
        assertTrue(e.getMessage().contains("nesting"), e.getMessage());
        String big = "\"" + "x".repeat(Json.MAX_CHARS) + "\"";
        assertThrows(Json.JsonException.class, () -> Json.parse(big));
    }

    @Test
    void quotesRoundTrip() {
        StringBuilder sb = new StringBuilder();
        String s = "a\"b\\c\nd\u0001e";
        Json.quote(sb, s);
        assertEquals(s, Json.parse(sb.toString()));
    }
}
