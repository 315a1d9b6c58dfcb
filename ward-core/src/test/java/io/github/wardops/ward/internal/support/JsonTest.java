package io.github.wardops.ward.internal.support;

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

    @Test
    void errorsNameTheLineAndColumn() {
        Json.JsonException e = assertThrows(Json.JsonException.class, () -> Json.parse("{\n  \"a\": 1,\n  \"b\": ]\n}"));
        assertEquals("line 3, column 8: expected a value, found ']'", e.getMessage());
        e = assertThrows(Json.JsonException.class, () -> Json.parse("[\"abc"));
        assertEquals("line 1, column 6: expected a closing '\"', found the end of the document", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1", "{\"a\"", "{\"a\":", "[\"a\\", "\"\\u00", "[tr", "{\"a\":1"})
    void truncatedDocumentsAreRejected(String text) {
        Json.JsonException e = assertThrows(Json.JsonException.class, () -> Json.parse(text));
        assertTrue(e.getMessage().contains("the end of the document"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"\\a\"", "\"\\U0041\"", "\"\\u+041\"", "\"\\x41\"", "\"\\'\""})
    void badEscapesAreRejected(String text) {
        assertThrows(Json.JsonException.class, () -> Json.parse(text));
    }

    @Test
    void controlCharactersInsideStringsAreRejectedButEscapedOnesRead() {
        for (char c = 0; c < 0x20; c++) {
            String raw = "\"a" + c + "b\"";
            assertThrows(Json.JsonException.class, () -> Json.parse(raw), "raw U+" + (int) c);
        }
        assertEquals("a\u0000b\u001fc", Json.parse("\"a\\u0000b\\u001fc\""));
    }

    @Test
    void duplicateMemberNamesAreAnError() {
        Json.JsonException e = assertThrows(Json.JsonException.class, () -> Json.parse("{\"expr\":\"a\",\"expr\":\"b\"}"));
        assertTrue(e.getMessage().contains("no duplicate member 'expr'"), e.getMessage());
        assertEquals(Map.of("a", Map.of("expr", 1.0)), Json.parse("{\"a\":{\"expr\":1}}"), "the same name at another level is fine");
    }

    @Test
    void hugeNumbersAreAnErrorNeverInfinity() {
        assertThrows(Json.JsonException.class, () -> Json.parse("1e400"));
        assertThrows(Json.JsonException.class, () -> Json.parse("-1e999"));
        assertThrows(Json.JsonException.class, () -> Json.parse("1" + "0".repeat(Json.MAX_NUMBER_CHARS)));
        assertEquals(1e300, Json.parse("1e300"));
        assertEquals(0.0, Json.parse("1e-400"), "underflow is zero, as in every JSON reader");
        assertEquals(new java.math.BigDecimal("1.50"), Json.reader().withExactNumbers().parse("1.50"));
        assertEquals(new java.math.BigDecimal("12345678901234567890"),
                Json.reader().withExactNumbers().parse("12345678901234567890"), "every digit kept");
    }

    @Test
    void theLimitsCanBeSet() {
        assertThrows(Json.JsonException.class, () -> Json.reader().withMaxDepth(2).parse("[[[1]]]"));
        assertEquals(List.of(List.of(1.0)), Json.reader().withMaxDepth(2).parse("[[1]]"));
        assertThrows(Json.JsonException.class, () -> Json.reader().withMaxChars(3).parse("[11]"));
        assertThrows(IllegalArgumentException.class, () -> Json.reader().withMaxDepth(0));
    }

    @Test
    void parsedValuesAreUnmodifiable() {
        Map<?, ?> m = (Map<?, ?>) Json.parse("{\"a\":[1]}");
        assertThrows(UnsupportedOperationException.class, () -> m.clear());
        assertThrows(UnsupportedOperationException.class, () -> ((List<?>) m.get("a")).clear());
    }

    @Test
    void theWriterWritesWhatTheReaderReads() {
        Map<String, Object> doc = new java.util.LinkedHashMap<>();
        doc.put("s", "a\"b\\c\n\r\t\u0001<&>\u007f\u00e9\u2028");
        doc.put("n", null);
        doc.put("i", 42);
        doc.put("l", 1L << 40);
        doc.put("d", 1.5);
        doc.put("b", false);
        doc.put("list", List.of(1, "x", List.of()));
        doc.put("map", Map.of());
        String text = Json.write(doc);
        assertEquals("{\"s\":\"a\\\"b\\\\c\\n\\r\\t\\u0001<&>\u007f\u00e9\u2028\",\"n\":null,\"i\":42,"
                + "\"l\":1099511627776,\"d\":1.5,\"b\":false,\"list\":[1,\"x\",[]],\"map\":{}}", text);
        Map<?, ?> back = (Map<?, ?>) Json.parse(text);
        assertEquals(doc.get("s"), back.get("s"));
        assertEquals(List.copyOf(doc.keySet()), List.copyOf(back.keySet()));
    }

    @Test
    void theHtmlSafeQuoteEscapesWhatAPageWouldRead() {
        assertEquals("\"\\u003cscript\\u003e\\u0026\\u007f\\u000a\\\"\\\\\"", Json.quoteHtmlSafe("<script>&\u007f\n\"\\"));
        assertEquals("{\"k\\u003c\":\"\\u003e\"}", Json.writeHtmlSafe(Map.of("k<", ">")));
        assertEquals("<script>&\u007f\n\"\\", Json.parse(Json.quoteHtmlSafe("<script>&\u007f\n\"\\")));
    }

    @Test
    void theWriterRefusesWhatJsonCannotSay() {
        assertThrows(IllegalArgumentException.class, () -> Json.write(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Json.write(Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> Json.write(Map.of(1, "x")));
        assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
    }
}
