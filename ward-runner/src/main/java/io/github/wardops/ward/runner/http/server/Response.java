package io.github.wardops.ward.runner.http.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The answer to one {@link Request}, filled by a {@link Handler}: either a whole body
 * ({@link #send}) or a stream ({@link #stream}). Every answer carries {@code Cache-Control: no-store}
 * and {@code X-Content-Type-Options: nosniff}. A body that fits in {@value #BUFFER_BYTES} bytes is
 * kept until the handler returns and written after, so a slow reader never holds a handler slot;
 * a larger streamed body is sent chunked as it is written (HTTP/1.0: until the connection closes).
 * A {@code HEAD} request gets the headers of the {@code GET}, with its {@code Content-Length}, and
 * no body. Confined to the connection's thread; not thread-safe.
 */
public final class Response {
    /** The most body bytes kept in memory before a streamed answer is sent chunked. */
    public static final int BUFFER_BYTES = 64 * 1024;
    private static final byte[] CRLF = {'\r', '\n'};
    /** IMF-fixdate (RFC 9110 5.6.7): two-digit day, English names, GMT. */
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US);
    private static final Map<Integer, String> REASONS = Map.ofEntries(
            Map.entry(100, "Continue"), Map.entry(200, "OK"), Map.entry(400, "Bad Request"),
            Map.entry(401, "Unauthorized"), Map.entry(404, "Not Found"), Map.entry(405, "Method Not Allowed"),
            Map.entry(408, "Request Timeout"), Map.entry(413, "Content Too Large"), Map.entry(414, "URI Too Long"),
            Map.entry(415, "Unsupported Media Type"), Map.entry(417, "Expectation Failed"),
            Map.entry(421, "Misdirected Request"), Map.entry(431, "Request Header Fields Too Large"),
            Map.entry(500, "Internal Server Error"), Map.entry(501, "Not Implemented"),
            Map.entry(503, "Service Unavailable"), Map.entry(505, "HTTP Version Not Supported"));

    private final Connection conn;
    private final boolean head;
    private final boolean http11;
    private final List<String[]> headers = new ArrayList<>();
    private int status;
    private String contentType;
    private byte[] whole;
    private BodyStream stream;
    private boolean close;
    private boolean committed;

    Response(Connection conn, boolean head, boolean http11, boolean close) {
        this.conn = conn;
        this.head = head;
        this.http11 = http11;
        this.close = close;
    }

    /**
     * Adds a header to the answer. {@code Content-Type}, {@code Content-Length},
     * {@code Transfer-Encoding}, {@code Connection}, {@code Cache-Control} and
     * {@code X-Content-Type-Options} are set by the server and cannot be set here.
     *
     * @param name the name
     * @param value the value, without CR or LF
     * @return this
     * @throws IllegalArgumentException for a reserved name or a value with a line break
     */
    public Response header(String name, String value) {
        String n = name.toLowerCase(Locale.ROOT);
        if (List.of("content-type", "content-length", "transfer-encoding", "connection", "cache-control",
                "x-content-type-options", "date").contains(n)) {
            throw new IllegalArgumentException(name + " is set by the server");
        }
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0 || name.indexOf('\r') >= 0 || name.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a header must not hold a line break");
        }
        headers.add(new String[] {name, value});
        return this;
    }

    /**
     * Answers with a whole body.
     *
     * @param status the status code
     * @param contentType the media type
     * @param body the body
     * @throws IllegalStateException when the answer was already given
     */
    public void send(int status, String contentType, byte[] body) {
        start(status, contentType);
        this.whole = body;
    }

    /**
     * Answers with a whole UTF-8 body.
     *
     * @param status the status code
     * @param contentType the media type (with its charset)
     * @param body the body
     * @throws IllegalStateException when the answer was already given
     */
    public void send(int status, String contentType, String body) {
        send(status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Answers with a body written to the returned stream, which may be large. Closing the stream
     * is optional: the answer ends when the handler returns.
     *
     * @param status the status code
     * @param contentType the media type
     * @return where the body goes
     * @throws IllegalStateException when the answer was already given
     */
    public OutputStream stream(int status, String contentType) {
        start(status, contentType);
        stream = new BodyStream();
        return stream;
    }

    /**
     * Whether the handler gave an answer.
     *
     * @return whether {@link #send} or {@link #stream} was called
     */
    public boolean started() {
        return contentType != null;
    }

    /**
     * Whether part of the answer already went out (a large streamed body), so it can no longer be replaced.
     *
     * @return whether the head was written
     */
    boolean committed() {
        return committed;
    }

    /** The status code, or 0 before an answer. */
    int status() {
        return status;
    }

    /** Closes the connection after this answer. */
    void closeAfter() {
        close = true;
    }

    /** Whether the connection is closed after this answer. */
    boolean closes() {
        return close;
    }

    /** Drops a started answer that was not committed, so an error can replace it. */
    void reset() {
        if (committed) {
            throw new IllegalStateException("already committed");
        }
        headers.clear();
        contentType = null;
        whole = null;
        stream = null;
        status = 0;
    }

    private void start(int status, String contentType) {
        if (this.contentType != null) {
            throw new IllegalStateException("the answer was already given");
        }
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("status " + status);
        }
        this.status = status;
        this.contentType = contentType;
    }

    /**
     * Writes what is left of the answer: the head and the kept body, or the end of a chunked one.
     * Called by the connection after the handler returned.
     */
    void finish() throws IOException {
        if (contentType == null) {
            throw new IllegalStateException("no answer");
        }
        OutputStream out = conn.output();
        if (stream != null) {
            if (stream.chunked) {
                stream.flushChunk();
                if (http11) {
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.flush();
                return;
            }
            if (head) {
                writeHead(out, stream.count);
            } else {
                writeHead(out, stream.buf.size());
                stream.buf.writeTo(out);
            }
        } else {
            writeHead(out, whole.length);
            if (!head) {
                out.write(whole);
            }
        }
        out.flush();
    }

    /** The head; {@code length} -1 means chunked (HTTP/1.1) or up to the close (HTTP/1.0). */
    private void writeHead(OutputStream out, long length) throws IOException {
        committed = true;
        StringBuilder sb = new StringBuilder(256);
        sb.append("HTTP/1.1 ").append(status).append(' ').append(REASONS.getOrDefault(status, "Status")).append("\r\n");
        sb.append("Date: ").append(DATE.format(ZonedDateTime.now(ZoneOffset.UTC))).append("\r\n");
        sb.append("Content-Type: ").append(contentType).append("\r\n");
        if (length >= 0) {
            sb.append("Content-Length: ").append(length).append("\r\n");
        } else if (http11) {
            sb.append("Transfer-Encoding: chunked\r\n");
        } else {
            close = true;
        }
        sb.append("Cache-Control: no-store\r\n");
        sb.append("X-Content-Type-Options: nosniff\r\n");
        for (String[] h : headers) {
            sb.append(h[0]).append(": ").append(h[1]).append("\r\n");
        }
        if (close) {
            sb.append("Connection: close\r\n");
        }
        sb.append("\r\n");
        conn.armWrite();
        out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Keeps up to {@link #BUFFER_BYTES}, then writes chunks straight to the connection; counts only for HEAD. */
    private final class BodyStream extends OutputStream {
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream(1024);
        private long count;
        private boolean chunked;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (head) {
                count += len;
                return;
            }
            buf.write(b, off, len);
            if (buf.size() >= BUFFER_BYTES) {
                if (!chunked) {
                    writeHead(conn.output(), -1);
                    chunked = true;
                }
                flushChunk();
            }
        }

        void flushChunk() throws IOException {
            if (buf.size() == 0) {
                return;
            }
            OutputStream out = conn.output();
            if (http11) {
                out.write(Integer.toHexString(buf.size()).getBytes(StandardCharsets.US_ASCII));
                out.write(CRLF);
                buf.writeTo(out);
                out.write(CRLF);
            } else {
                buf.writeTo(out);
            }
            buf.reset();
        }
    }
}
