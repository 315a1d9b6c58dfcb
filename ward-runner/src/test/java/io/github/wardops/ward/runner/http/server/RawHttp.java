package io.github.wardops.ward.runner.http.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A raw HTTP/1.1 client for tests: sends exactly the bytes given, reads answers byte by byte
 * (Content-Length, chunked, or up to the close), and tells whether the server closed the
 * connection. Every read has a 10 s timeout, so a test never hangs. Not thread-safe.
 */
public final class RawHttp implements AutoCloseable {
    private static final int READ_TIMEOUT_MS = 10_000;
    private final Socket socket;
    private final InputStream in;

    /** One answer: status, headers by lower-case name, body. */
    public record Answer(int status, Map<String, List<String>> headers, byte[] body) {
        /** The first value of a header, or null. */
        public String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null ? null : v.get(0);
        }

        /** The body as UTF-8. */
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(READ_TIMEOUT_MS);
        this.in = socket.getInputStream();
    }

    /** Connects from the default loopback source. */
    public static RawHttp connect(InetSocketAddress server) throws IOException {
        return connect(server, null, 0);
    }

    /**
     * Connects from a given source address (such as 127.0.0.2), with a small receive buffer when
     * {@code receiveBuffer} is more than 0 (a client that does not read then stalls the server quickly).
     */
    public static RawHttp connect(InetSocketAddress server, InetAddress from, int receiveBuffer) throws IOException {
        Socket s = new Socket();
        try {
            if (receiveBuffer > 0) {
                s.setReceiveBufferSize(receiveBuffer);
            }
            if (from != null) {
                s.bind(new InetSocketAddress(from, 0));
            }
            s.connect(server, 5000);
            return new RawHttp(s);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** Sends text as ISO-8859-1 bytes (one byte per char). */
    public RawHttp send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Sends bytes. */
    public RawHttp send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        return this;
    }

    /** Reads one answer; {@code head} says it answers a HEAD request (no body). */
    public Answer read(boolean head) throws IOException {
        String status = line();
        if (status == null) {
            throw new IOException("the server closed the connection before answering");
        }
        if (!status.startsWith("HTTP/1.1 ")) {
            throw new IOException("not a status line: " + status);
        }
        int code = Integer.parseInt(status.substring(9, 12));
        Map<String, List<String>> headers = new LinkedHashMap<>();
        String l;
        while ((l = line()) != null && !l.isEmpty()) {
            int c = l.indexOf(':');
            headers.computeIfAbsent(l.substring(0, c).toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(l.substring(c + 1).strip());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (head || code == 100) {
            return new Answer(code, headers, body.toByteArray());
        }
        List<String> length = headers.get("content-length");
        List<String> te = headers.get("transfer-encoding");
        if (length != null) {
            body.write(in.readNBytes(Integer.parseInt(length.get(0))));
        } else if (te != null && te.get(0).equalsIgnoreCase("chunked")) {
            while (true) {
                int n = Integer.parseInt(line(), 16);
                if (n == 0) {
                    line();
                    break;
                }
                body.write(in.readNBytes(n));
                line();
            }
        } else {
            body.write(in.readAllBytes());
        }
        return new Answer(code, headers, body.toByteArray());
    }

    /** Reads one answer to a request that is not HEAD. */
    public Answer read() throws IOException {
        return read(false);
    }

    /** Sends a request and reads its answer. */
    public Answer exchange(String request) throws IOException {
        send(request);
        return read(request.startsWith("HEAD "));
    }

    /** Sends one request on a new connection and reads the answer. */
    public static Answer once(InetSocketAddress server, String request) throws IOException {
        try (RawHttp c = connect(server)) {
            return c.exchange(request);
        }
    }

    /**
     * Whether the server closes the connection within the bound: reading (and dropping) what
     * still comes reaches the end of the stream or a reset.
     */
    public boolean closedWithin(Duration bound) throws IOException {
        long deadline = System.nanoTime() + bound.toNanos();
        byte[] sink = new byte[8192];
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
            try {
                if (in.read(sink) < 0) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                return false;
            } catch (SocketException e) {
                return true; // reset by the server
            } finally {
                socket.setSoTimeout(READ_TIMEOUT_MS);
            }
        }
    }

    /** A line without its CRLF, or null at the end of the stream. */
    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                int n = sb.length();
                return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
            }
            sb.append((char) b);
        }
        return sb.isEmpty() ? null : sb.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
