package io.github.wardops.ward.runner.http.server;

/**
 * A request the server refuses before any handler sees it: the status to answer, the reason
 * counted in {@code ward.http.rejected} (or {@code null} when nothing is counted) and a message
 * for the client (never a secret, never the client's bytes). The connection is closed after the
 * answer.
 */
final class HttpError extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String reason;

    HttpError(int status, String reason, String message) {
        super(message, null, false, false);
        this.status = status;
        this.reason = reason;
    }

    int status() {
        return status;
    }

    /** The tag of {@code ward.http.rejected}, such as {@code malformed}. */
    String reason() {
        return reason;
    }

    static HttpError malformed(String message) {
        return new HttpError(400, HttpMeters.MALFORMED, message);
    }
}
