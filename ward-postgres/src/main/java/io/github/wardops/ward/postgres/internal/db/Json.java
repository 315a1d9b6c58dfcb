package io.github.wardops.ward.postgres.internal.db;

import java.util.LinkedHashMap;
import java.util.Map;

/** The flat string-to-string JSON objects stored in {@code devices.labels}. Stateless. */
public final class Json {
    private Json() {
    }

    /**
     * Writes a flat object.
     *
     * @param map the labels
     * @return the JSON text
     */
    public static String write(Map<String, String> map) {
        StringBuilder sb = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<String, String> e : map.entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            string(sb, e.getKey());
            sb.append(':');
            string(sb, e.getValue());
        }
        return sb.append('}').toString();
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    /**
     * Reads a flat object as PostgreSQL prints jsonb. Values that are not strings are kept as
     * their JSON text (numbers, booleans); nested values are rejected.
     *
     * @param text the JSON text
     * @return the labels, in text order
     * @throws IllegalArgumentException when the text is not a flat object
     */
    public static Map<String, String> read(String text) {
        Parser p = new Parser(text);
        Map<String, String> out = new LinkedHashMap<>();
        p.ws();
        p.expect('{');
        p.ws();
        if (p.peek() == '}') {
            p.pos++;
            return out;
        }
        while (true) {
            p.ws();
            String k = p.string();
            p.ws();
            p.expect(':');
            p.ws();
            String v = p.peek() == '"' ? p.string() : p.scalar();
            out.put(k, v);
            p.ws();
            char c = p.next();
            if (c == '}') {
                return out;
            }
            if (c != ',') {
                throw new IllegalArgumentException("labels: expected , or } at " + (p.pos - 1));
            }
        }
    }

    private static final class Parser {
        final String s;
        int pos;

        Parser(String s) {
            this.s = s;
        }

        char peek() {
            if (pos >= s.length()) {
                throw new IllegalArgumentException("labels: unexpected end of JSON");
            }
            return s.charAt(pos);
        }

        char next() {
            char c = peek();
            pos++;
            return c;
        }

        void ws() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        void expect(char c) {
            if (next() != c) {
                throw new IllegalArgumentException("labels: expected " + c + " at " + (pos - 1));
            }
        }

        String scalar() {
            int start = pos;
            while (pos < s.length() && ",}".indexOf(s.charAt(pos)) < 0 && !Character.isWhitespace(s.charAt(pos))) {
                if ("{[".indexOf(s.charAt(pos)) >= 0) {
                    throw new IllegalArgumentException("labels: nested values are not supported");
                }
                pos++;
            }
            return s.substring(start, pos);
        }

        String string() {
            expect('"');
            StringBuilder sb = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') {
                    return sb.toString();
                }
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                char e = next();
                switch (e) {
                    case '"', '\\', '/' -> sb.append(e);
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'u' -> {
                        if (pos + 4 > s.length()) {
                            throw new IllegalArgumentException("labels: bad \\u escape");
                        }
                        sb.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                        pos += 4;
                    }
                    default -> throw new IllegalArgumentException("labels: bad escape \\" + e);
                }
            }
        }
    }
}
