package io.github.wardops.ward.runner.http.server;

/**
 * The server's own JSON error bodies: a media type and a string quoter, on ward's shared codec
 * ({@link io.github.wardops.ward.internal.support.Json}). Stateless.
 */
final class Json {
    /** The media type of every JSON answer. */
    static final String TYPE = "application/json; charset=utf-8";

    private Json() {
    }

    /** {@code {"error":"message"}}. */
    static String error(String message) {
        return "{\"error\":" + quote(message) + "}";
    }

    /** A JSON string literal, HTML-safe ({@code <}, {@code >}, {@code &} escaped too). */
    static String quote(String s) {
        return io.github.wardops.ward.internal.support.Json.quoteHtmlSafe(s);
    }
}
