package io.github.wardops.ward.internal.alert;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal, strict JSON reader (RFC 8259) for ward's small configuration files: objects
 * become {@code Map<String,Object>} (insertion order), arrays {@code List<Object>}, numbers
 * {@code Double}, plus {@code String}, {@code Boolean} and {@code null}. Bounded: input length
 * and nesting depth are capped. Errors name the line and column. Stateless; thread-safe.
 */
public final class Json {
    /** The largest document accepted, in characters. */
    public static final int MAX_CHARS = 4 * 1024 * 1024;
    private static final int MAX_DEPTH = 64;

    private final String s;
    private int i;
    private int depth;

    /** A malformed document. */
    public static final class JsonException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        JsonException(String message) {
            super(message);
        }
    }

    private Json(String s) {
        this.s = s;
    }

    /**
     * Parses a document.
     *
     * @param text the JSON text
     * @return the value
     * @throws JsonException with line and column when malformed
     */
    public static Object parse(String text) {
        if (text.length() > MAX_CHARS) {
            throw new JsonException("document is " + text.length() + " characters; at most " + MAX_CHARS);
        }
        Json j = new Json(text);
        j.ws();
        if (j.i < text.length() && text.charAt(j.i) == '\uFEFF') {
            j.i++;
            j.ws();
        }
        Object v = j.value();
        j.ws();
        if (j.i != text.length()) {
            throw j.err("the end of the document");
        }
        return v;
    }

    private JsonException err(String expected) {
        int line = 1;
        int col = 1;
        for (int k = 0; k < i && k < s.length(); k++) {
            if (s.charAt(k) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        String found = i >= s.length() ? "the end of the document" : "'" + s.charAt(i) + "'";
        return new JsonException("line " + line + ", column " + col + ": expected " + expected + ", found " + found);
    }

    private void ws() {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                i++;
            } else {
                break;
            }
        }
    }

    private Object value() {
        if (i >= s.length()) {
            throw err("a value");
        }
        char c = s.charAt(i);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw err("a value");
            }
        };
    }

    private Object literal(String word, Object v) {
        if (!s.startsWith(word, i)) {
            throw err("'" + word + "'");
        }
        i += word.length();
        return v;
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw err("at most " + MAX_DEPTH + " levels of nesting");
        }
    }

    private Map<String, Object> object() {
        enter();
        i++;
        Map<String, Object> m = new LinkedHashMap<>();
        ws();
        if (i < s.length() && s.charAt(i) == '}') {
            i++;
            depth--;
            return Collections.unmodifiableMap(m);
        }
        while (true) {
            ws();
            if (i >= s.length() || s.charAt(i) != '"') {
                throw err("a member name in double quotes");
            }
            String k = string();
            ws();
            if (i >= s.length() || s.charAt(i) != ':') {
                throw err("':'");
            }
            i++;
            ws();
            if (m.containsKey(k)) {
                throw err("no duplicate member '" + k + "'");
            }
            m.put(k, value());
            ws();
            if (i < s.length() && s.charAt(i) == ',') {
                i++;
            } else if (i < s.length() && s.charAt(i) == '}') {
                i++;
                depth--;
                return Collections.unmodifiableMap(m);
            } else {
                throw err("',' or '}'");
            }
        }
    }

    private List<Object> array() {
        enter();
        i++;
        List<Object> l = new ArrayList<>();
        ws();
        if (i < s.length() && s.charAt(i) == ']') {
            i++;
            depth--;
            return Collections.unmodifiableList(l);
        }
        while (true) {
            ws();
            l.add(value());
            ws();
            if (i < s.length() && s.charAt(i) == ',') {
                i++;
            } else if (i < s.length() && s.charAt(i) == ']') {
                i++;
                depth--;
                return Collections.unmodifiableList(l);
            } else {
                throw err("',' or ']'");
            }
        }
    }

    private String string() {
        i++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (i >= s.length()) {
                throw err("a closing '\"'");
            }
            char c = s.charAt(i);
            if (c == '"') {
                i++;
                return sb.toString();
            }
            if (c < 0x20) {
                throw err("no control character inside a string");
            }
            if (c == '\\') {
                i++;
                if (i >= s.length()) {
                    throw err("an escape");
                }
                char e = s.charAt(i);
                switch (e) {
                    case '"', '\\', '/' -> sb.append(e);
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        if (i + 4 >= s.length()) {
                            throw err("four hex digits after \\u");
                        }
                        int cp = 0;
                        for (int k = 1; k <= 4; k++) {
                            int d = Character.digit(s.charAt(i + k), 16);
                            if (d < 0) {
                                i += k;
                                throw err("a hex digit");
                            }
                            cp = cp * 16 + d;
                        }
                        sb.append((char) cp);
                        i += 4;
                    }
                    default -> throw err("a valid escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
                }
                i++;
            } else {
                sb.append(c);
                i++;
            }
        }
    }

    private Double number() {
        int start = i;
        if (s.charAt(i) == '-') {
            i++;
        }
        if (i >= s.length() || !Character.isDigit(s.charAt(i))) {
            throw err("a digit");
        }
        if (s.charAt(i) == '0' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1))) {
            i++;
            throw err("no leading zero");
        }
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            i++;
        }
        if (i < s.length() && s.charAt(i) == '.') {
            i++;
            if (i >= s.length() || !Character.isDigit(s.charAt(i))) {
                throw err("a digit after '.'");
            }
            while (i < s.length() && Character.isDigit(s.charAt(i))) {
                i++;
            }
        }
        if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            if (i >= s.length() || !Character.isDigit(s.charAt(i))) {
                throw err("a digit in the exponent");
            }
            while (i < s.length() && Character.isDigit(s.charAt(i))) {
                i++;
            }
        }
        return Double.parseDouble(s.substring(start, i));
    }

    /**
     * Writes a JSON string literal (quotes included).
     *
     * @param sb where to write
     * @param v the string
     */
    public static void quote(StringBuilder sb, String v) {
        sb.append('"');
        for (int k = 0; k < v.length(); k++) {
            char c = v.charAt(k);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
