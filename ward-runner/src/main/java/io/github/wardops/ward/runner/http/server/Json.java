package io.github.wardops.ward.runner.http.server;

/** The server's own JSON error bodies: a media type and a string quoter. Stateless. */
final class Json {
    /** The media type of every JSON answer. */
    static final String TYPE = "application/json; charset=utf-8";

    private Json() {
    }

    /** {@code {"error":"message"}}. */
    static String error(String message) {
        return "{\"error\":" + quote(message) + "}";
    }

    /** A JSON string literal. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x7f || c == '<' || c == '>' || c == '&') {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
