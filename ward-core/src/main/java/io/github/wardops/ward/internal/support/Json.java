package io.github.wardops.ward.internal.support;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * ward's one JSON codec: a strict reader (RFC 8259) and a writer, for the rule files, the webhook
 * bodies, the labels stored in PostgreSQL and the runner's error bodies. No dependency.
 *
 * <p><b>Reading.</b> Objects become unmodifiable {@code Map<String,Object>} (member order kept),
 * arrays unmodifiable {@code List<Object>}, numbers {@code Double} (or {@link BigDecimal} with
 * {@link Reader#withExactNumbers}), plus {@code String}, {@code Boolean} and {@code null}. Errors
 * ({@link JsonException}) name the line and column. Decisions on what RFC 8259 leaves open:
 * <ul>
 *   <li>a duplicate member name is an error (a rule file with two {@code "expr"} is a mistake);</li>
 *   <li>a number too large for a {@code double} ({@code 1e400}) is an error, never infinity;
 *       a number literal longer than {@value #MAX_NUMBER_CHARS} characters is an error;</li>
 *   <li>a control character (below U+0020) inside a string is an error; a lone surrogate from a
 *       <code>&#92;u</code> escape is kept as it is;</li>
 *   <li>one leading byte-order mark is skipped; nothing may follow the value but whitespace;</li>
 *   <li>input length and nesting depth are capped ({@link #MAX_CHARS}, {@link #MAX_DEPTH} by
 *       default; see {@link #reader()}).</li>
 * </ul>
 *
 * <p><b>Writing.</b> {@link #write(Object)} writes maps (in their iteration order), lists and
 * other iterables, strings, numbers, booleans and {@code null}, without whitespace. Strings are
 * escaped as RFC 8259 requires ({@code \"}, {@code \\}, {@code \n}, {@code \r}, {@code \t},
 * other control characters as <code>&#92;u00XX</code>); the HTML-safe variants also escape {@code <},
 * {@code >}, {@code &} and DEL, and every control character as <code>&#92;u00XX</code>, so the text can
 * sit in an HTML page.
 *
 * <p>Stateless; thread-safe.
 */
public final class Json {
    /** The largest document accepted by default, in characters. */
    public static final int MAX_CHARS = 4 * 1024 * 1024;
    /** The deepest nesting of arrays and objects accepted by default. */
    public static final int MAX_DEPTH = 64;
    /** The longest number literal accepted, in characters. */
    public static final int MAX_NUMBER_CHARS = 400;

    private final String s;
    private final int maxDepth;
    private final boolean exactNumbers;
    private int i;
    private int depth;

    /** A malformed document. */
    public static final class JsonException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        JsonException(String message) {
            super(message);
        }
    }

    private Json(String s, int maxDepth, boolean exactNumbers) {
        this.s = s;
        this.maxDepth = maxDepth;
        this.exactNumbers = exactNumbers;
    }

    /**
     * A reader with other limits, or exact numbers.
     *
     * @param maxChars the largest document, in characters
     * @param maxDepth the deepest nesting
     * @param exactNumbers numbers as {@link BigDecimal} (their digits kept) instead of {@code Double}
     */
    public record Reader(int maxChars, int maxDepth, boolean exactNumbers) {
        /**
         * Checks the limits.
         *
         * @throws IllegalArgumentException when a limit is below 1
         */
        public Reader {
            if (maxChars < 1 || maxDepth < 1) {
                throw new IllegalArgumentException("limits must be at least 1");
            }
        }

        /**
         * The same reader with another size limit.
         *
         * @param chars the largest document, in characters
         * @return a new reader
         */
        public Reader withMaxChars(int chars) {
            return new Reader(chars, maxDepth, exactNumbers);
        }

        /**
         * The same reader with another nesting limit.
         *
         * @param levels the deepest nesting
         * @return a new reader
         */
        public Reader withMaxDepth(int levels) {
            return new Reader(maxChars, levels, exactNumbers);
        }

        /**
         * The same reader, giving numbers as {@link BigDecimal}.
         *
         * @return a new reader
         */
        public Reader withExactNumbers() {
            return new Reader(maxChars, maxDepth, true);
        }

        /**
         * Parses a document.
         *
         * @param text the JSON text
         * @return the value
         * @throws JsonException with line and column when malformed or over a limit
         */
        public Object parse(String text) {
            Objects.requireNonNull(text, "text");
            if (text.length() > maxChars) {
                throw new JsonException("document is " + text.length() + " characters; at most " + maxChars);
            }
            return new Json(text, maxDepth, exactNumbers).document();
        }
    }

    /**
     * The default reader: {@link #MAX_CHARS}, {@link #MAX_DEPTH}, numbers as {@code Double}.
     *
     * @return the reader
     */
    public static Reader reader() {
        return new Reader(MAX_CHARS, MAX_DEPTH, false);
    }

    /**
     * Parses a document with the default limits into plain maps, lists, strings, {@code Double}s,
     * booleans and {@code null}.
     *
     * @param text the JSON text
     * @return the value
     * @throws JsonException with line and column when malformed
     */
    public static Object parse(String text) {
        return reader().parse(text);
    }

    private Object document() {
        Json j = this;
        String text = s;
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
        for (int k = 0; k < word.length(); k++, i++) {
            if (i >= s.length() || s.charAt(i) != word.charAt(k)) {
                throw err("'" + word + "'");
            }
        }
        return v;
    }

    private void enter() {
        if (++depth > maxDepth) {
            throw err("at most " + maxDepth + " levels of nesting");
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
                            i = s.length();
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

    private Number number() {
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
        if (i - start > MAX_NUMBER_CHARS) {
            i = start;
            throw err("a number of at most " + MAX_NUMBER_CHARS + " characters");
        }
        String literal = s.substring(start, i);
        double d = Double.parseDouble(literal);
        if (Double.isInfinite(d)) {
            i = start;
            throw err("a number within the range of a double");
        }
        return exactNumbers ? new BigDecimal(literal) : d;
    }

    // ------------------------------------------------------------------ writing

    /**
     * Writes a value as JSON text.
     *
     * @param value a map (string keys), an iterable, a string, a number, a boolean or {@code null}
     * @return the text
     * @throws IllegalArgumentException for another type, a non-finite number or a key that is not
     *     a string
     */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, false);
        return sb.toString();
    }

    /**
     * Writes a value as JSON text, escaping strings HTML-safely.
     *
     * @param value as for {@link #write(Object)}
     * @return the text
     */
    public static String writeHtmlSafe(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, true);
        return sb.toString();
    }

    /**
     * Appends a value as JSON text.
     *
     * @param sb where to write
     * @param value as for {@link #write(Object)}
     * @param htmlSafe whether strings are escaped HTML-safely
     */
    public static void write(StringBuilder sb, Object value, boolean htmlSafe) {
        switch (value) {
            case null -> sb.append("null");
            case CharSequence cs -> quote(sb, cs, htmlSafe);
            case Boolean b -> sb.append(b.booleanValue());
            case Integer n -> sb.append(n.intValue());
            case Long n -> sb.append(n.longValue());
            case Short n -> sb.append(n.shortValue());
            case Byte n -> sb.append(n.byteValue());
            case BigInteger n -> sb.append(n);
            case BigDecimal n -> sb.append(n.toPlainString());
            case Number n -> {
                double d = n.doubleValue();
                if (!Double.isFinite(d)) {
                    throw new IllegalArgumentException("JSON has no " + d);
                }
                sb.append(n instanceof Float f ? f.toString() : Double.toString(d));
            }
            case Map<?, ?> m -> {
                sb.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!(e.getKey() instanceof CharSequence k)) {
                        throw new IllegalArgumentException("a JSON member name must be a string, got "
                                + (e.getKey() == null ? "null" : e.getKey().getClass().getName()));
                    }
                    if (!first) {
                        sb.append(',');
                    }
                    first = false;
                    quote(sb, k, htmlSafe);
                    sb.append(':');
                    write(sb, e.getValue(), htmlSafe);
                }
                sb.append('}');
            }
            case Iterable<?> it -> {
                sb.append('[');
                boolean first = true;
                for (Object o : it) {
                    if (!first) {
                        sb.append(',');
                    }
                    first = false;
                    write(sb, o, htmlSafe);
                }
                sb.append(']');
            }
            default -> throw new IllegalArgumentException("cannot write a " + value.getClass().getName() + " as JSON");
        }
    }

    /**
     * Writes a JSON string literal (quotes included).
     *
     * @param sb where to write
     * @param v the string
     */
    public static void quote(StringBuilder sb, CharSequence v) {
        quote(sb, v, false);
    }

    /**
     * A JSON string literal (quotes included).
     *
     * @param v the string
     * @return the literal
     */
    public static String quote(CharSequence v) {
        StringBuilder sb = new StringBuilder(v.length() + 2);
        quote(sb, v, false);
        return sb.toString();
    }

    /**
     * A JSON string literal that can sit in an HTML page: {@code <}, {@code >}, {@code &}, DEL and
     * every control character are written as <code>&#92;u00XX</code>.
     *
     * @param v the string
     * @return the literal
     */
    public static String quoteHtmlSafe(CharSequence v) {
        StringBuilder sb = new StringBuilder(v.length() + 2);
        quote(sb, v, true);
        return sb.toString();
    }

    /**
     * Writes a JSON string literal (quotes included).
     *
     * @param sb where to write
     * @param v the string
     * @param htmlSafe whether to escape HTML's special characters too
     */
    public static void quote(StringBuilder sb, CharSequence v, boolean htmlSafe) {
        sb.append('"');
        for (int k = 0; k < v.length(); k++) {
            char c = v.charAt(k);
            if (c == '"') {
                sb.append("\\\"");
            } else if (c == '\\') {
                sb.append("\\\\");
            } else if (htmlSafe) {
                if (c < 0x20 || c == 0x7f || c == '<' || c == '>' || c == '&') {
                    hex(sb, c);
                } else {
                    sb.append(c);
                }
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\t') {
                sb.append("\\t");
            } else if (c < 0x20) {
                hex(sb, c);
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private static void hex(StringBuilder sb, char c) {
        sb.append("\\u").append(HEX[(c >> 12) & 0xf]).append(HEX[(c >> 8) & 0xf]).append(HEX[(c >> 4) & 0xf])
                .append(HEX[c & 0xf]);
    }
}
