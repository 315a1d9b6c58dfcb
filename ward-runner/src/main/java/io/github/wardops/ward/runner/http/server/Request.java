package io.github.wardops.ward.runner.http.server;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One parsed request: its line, its headers and its whole body (at most
 * {@link HttpLimits#MAX_BODY_BYTES}). The path is kept raw (percent-encoded); {@link #segments()}
 * are decoded as UTF-8, which the parser has checked. Immutable apart from the route parameters
 * the {@link Router} sets before a handler sees it; confined to one connection's thread.
 */
public final class Request {
    private final String method;
    private final String rawPath;
    private final String rawQuery;
    private final boolean http11;
    private final List<Map.Entry<String, String>> headers;
    private final byte[] body;
    private final InetSocketAddress remote;
    private final List<String> segments;
    private Map<String, String> params = Map.of();
    private final java.util.function.Supplier<java.util.OptionalInt> peerUid;

    Request(String method, String rawPath, String rawQuery, boolean http11, List<Map.Entry<String, String>> headers,
            byte[] body, InetSocketAddress remote, List<String> segments, java.util.function.Supplier<java.util.OptionalInt> peerUid) {
        this.peerUid = peerUid;
        this.method = method;
        this.rawPath = rawPath;
        this.rawQuery = rawQuery;
        this.http11 = http11;
        this.headers = List.copyOf(headers);
        this.body = body;
        this.remote = remote;
        this.segments = List.copyOf(segments);
    }

    /**
     * The method, as sent (methods are case-sensitive: {@code GET}, {@code POST}...).
     *
     * @return the method; never {@code null}
     */
    public String method() {
        return method;
    }

    /**
     * Whether this is a {@code HEAD} request: the answer has the headers of a {@code GET}, no body.
     *
     * @return whether the method is {@code HEAD}
     */
    public boolean isHead() {
        return method.equals("HEAD");
    }

    /**
     * The path, percent-encoded as sent, such as {@code /api/devices/b280...}.
     *
     * @return the raw path; never {@code null}, always starting with {@code /}
     */
    public String rawPath() {
        return rawPath;
    }

    /**
     * The path's segments after the leading {@code /}, percent-decoded as UTF-8.
     *
     * @return the segments; {@code /} gives one empty segment; never {@code null}
     */
    public List<String> segments() {
        return segments;
    }

    /**
     * The query without {@code ?}, percent-encoded as sent.
     *
     * @return the raw query, or {@code null} when the target has none
     */
    public String rawQuery() {
        return rawQuery;
    }

    /**
     * Whether the request is HTTP/1.1 (else HTTP/1.0).
     *
     * @return {@code true} for HTTP/1.1
     */
    public boolean isHttp11() {
        return http11;
    }

    /**
     * The first value of a header.
     *
     * @param name the name, in any case
     * @return the value without surrounding whitespace, or {@code null} when absent
     */
    public String header(String name) {
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().equalsIgnoreCase(name)) {
                return h.getValue();
            }
        }
        return null;
    }

    /**
     * Every value of a header, in order.
     *
     * @param name the name, in any case
     * @return the values; empty when absent; never {@code null}
     */
    public List<String> headers(String name) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().equalsIgnoreCase(name)) {
                out.add(h.getValue());
            }
        }
        return out;
    }

    /**
     * The body.
     *
     * @return a copy of the body; empty when there is none; never {@code null}
     */
    public byte[] body() {
        return body.clone();
    }

    /**
     * The local user holding the client's end of a loopback connection (from the kernel's socket
     * table), looked up once per connection.
     *
     * @return the uid; empty when the client is not on loopback or cannot be told
     */
    public java.util.OptionalInt peerUid() {
        return peerUid.get();
    }

    /**
     * Whom the connection comes from.
     *
     * @return the client's address and port; never {@code null}
     */
    public InetSocketAddress remote() {
        return remote;
    }

    /**
     * A parameter of the matched route, such as {@code id} of {@code /api/devices/{id}}.
     *
     * @param name the parameter's name
     * @return the decoded segment
     * @throws IllegalArgumentException when the route has no such parameter
     */
    public String param(String name) {
        String v = params.get(name);
        if (v == null) {
            throw new IllegalArgumentException("the route has no parameter " + name);
        }
        return v;
    }

    void params(Map<String, String> params) {
        this.params = Map.copyOf(params);
    }

    /**
     * The method and the raw path, for log lines (the query is left out: it may be long).
     *
     * @return such as {@code GET /api/devices}
     */
    @Override
    public String toString() {
        return method + " " + rawPath;
    }
}
