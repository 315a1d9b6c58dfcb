package io.github.wardops.ward.runner.http;

import io.github.wardops.ward.Secret;
import io.github.wardops.ward.internal.support.PrivateFiles;
import io.github.wardops.ward.runner.http.server.Request;
import io.github.wardops.ward.runner.http.server.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.OptionalInt;

/**
 * Who may use the API. With a bearer token, every path but {@code /health} and the page shell
 * ({@code /}, {@code /index.html}) needs {@code Authorization: Bearer <token>}, compared in
 * constant time. Without one, only this process's user (and root) on this host, told apart by the
 * kernel's socket table ({@link LoopbackPeer}), unless the API is open to all
 * ({@code http-allow-insecure}). Runs before routing, so a refused request learns nothing about
 * which paths exist. Immutable and thread-safe.
 */
final class Access {
    private static final int OWN_UID = PrivateFiles.processUid();

    /** The SHA-256 of the whole expected header, {@code null} without a token. */
    private final byte[] token;
    /** {@code http-allow-insecure}: without a token, every client may use the API, not only this user. */
    private final boolean openToAll;

    /**
     * Creates the check.
     *
     * @param token the bearer token required, or {@code null} for none
     * @param openToAll without a token, whether clients other than this user may use the API
     */
    Access(Secret token, boolean openToAll) {
        this.token = token == null ? null : sha256(("Bearer " + token.reveal()).getBytes(StandardCharsets.UTF_8));
        this.openToAll = openToAll;
    }

    /**
     * Lets a request through, or answers {@code 403} (another user, no token) or {@code 401}
     * (no or a wrong token).
     *
     * @param q the request
     * @param r its response, sent here when refused
     * @return {@code true} when the request may be routed
     */
    boolean admit(Request q, Response r) {
        String path = q.rawPath();
        boolean open = path.equals("/health") || path.equals("/") || path.equals("/index.html");
        if (open) {
            return true;
        }
        if (token == null && !openToAll && !sameUser(q)) {
            // No token: the API is for the runner's own user. Another local user on this host
            // (any process can connect to loopback) must not read the fleet or acknowledge alerts.
            r.send(403, Answers.JSON, "{\"error\":\"this ward runner has no http-token, so its API answers only its own "
                    + "user on this host; set a token (WARD_HTTP_TOKEN_FILE) to let others in\"}");
            return false;
        }
        if (authorized(q)) {
            return true;
        }
        r.header("WWW-Authenticate", "Bearer realm=\"ward\"");
        r.send(401, Answers.JSON, "{\"error\":\"a bearer token is required: Authorization: Bearer <token>\"}");
        return false;
    }

    /**
     * Whether a request would be let into the API itself (as {@link #admit} decides for a path
     * other than {@code /health} and the page shell): the status page carries the fleet's data
     * inline only for such a request. Answers nothing.
     *
     * @param q the request
     * @return {@code true} when the request may read the API
     */
    boolean permits(Request q) {
        if (token == null) {
            return openToAll || sameUser(q);
        }
        return authorized(q);
    }

    /** Whether the client is this process's user (or root, who can read ward's data anyway). */
    private static boolean sameUser(Request q) {
        OptionalInt uid = q.peerUid();
        return uid.isPresent() && (uid.getAsInt() == OWN_UID || uid.getAsInt() == 0);
    }

    /**
     * Compares digests of the whole header in constant time, so neither the token's content nor
     * its length shows in the timing.
     */
    private boolean authorized(Request q) {
        if (token == null) {
            return true;
        }
        String h = q.header("Authorization");
        return h != null && h.length() <= 1024 && MessageDigest.isEqual(token, sha256(h.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }
}
