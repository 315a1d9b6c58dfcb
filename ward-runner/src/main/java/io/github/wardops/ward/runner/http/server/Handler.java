package io.github.wardops.ward.runner.http.server;

import java.io.IOException;

/**
 * Answers one request. Runs on the request's connection thread; implementations must be
 * thread-safe, since connections run side by side.
 */
@FunctionalInterface
public interface Handler {
    /**
     * Handles a request by calling {@link Response#send} or {@link Response#stream} once.
     *
     * @param request the request; never {@code null}
     * @param response where the answer goes; never {@code null}
     * @throws IOException when the client went away; the connection is then closed
     */
    void handle(Request request, Response response) throws IOException;
}
