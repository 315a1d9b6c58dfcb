package io.github.wardops.ward.runner.http;

import io.github.wardops.ward.runner.http.server.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /} and {@code /index.html}: the status page, a static page from the jar whose data
 * comes from the API. Stateless and thread-safe.
 */
final class StatusPage {
    private static final byte[] PAGE = loadPage();

    private StatusPage() {
    }

    /**
     * Sends the page, with a Content-Security-Policy that allows its inline script and style and
     * nothing from elsewhere.
     *
     * @param r the response
     */
    static void get(Response r) {
        r.header("Content-Security-Policy",
                "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; "
                        + "img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
        r.send(200, "text/html; charset=utf-8", PAGE);
    }

    private static byte[] loadPage() {
        try (InputStream in = StatusPage.class.getResourceAsStream("/status/index.html")) {
            if (in == null) {
                return "<!doctype html><title>ward</title><p>The status page is missing from the jar.".getBytes(StandardCharsets.UTF_8);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
