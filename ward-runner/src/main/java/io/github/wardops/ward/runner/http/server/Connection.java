package io.github.wardops.ward.runner.http.server;

import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One accepted connection, served on its own platform thread: requests one after the other
 * (keep-alive), each read within its deadlines, routed, answered. Any refused request closes the
 * connection after its answer. Runs on one thread; {@link #writeLate} and {@link #abort} are
 * called by the server's watchdog.
 */
final class Connection implements Runnable {
    /** The local user at the other end of a loopback connection; looked up once, when first asked. */
    private java.util.OptionalInt peerUid;

    private java.util.OptionalInt peerUid() {
        if (peerUid == null) {
            peerUid = io.github.wardops.ward.runner.http.LoopbackPeer.uid((InetSocketAddress) socket.getRemoteSocketAddress(),
                    (InetSocketAddress) socket.getLocalSocketAddress());
        }
        return peerUid;
    }

    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int LINGER_BYTES = 64 * 1024;
    /** No complete request yet: the connection may be evicted to make room. */
    private static final int WAITING = 0;
    /** A request is being handled or answered. */
    private static final int BUSY = 1;
    /** Closed by the server to make room for a new connection. */
    private static final int EVICTED = 2;
    /** A complete request waits for a handler slot: it may be evicted too, after every {@link #WAITING} one. */
    private static final int QUEUED = 3;

    private final HttpServer server;
    private final Socket socket;
    private final String addressKey;
    private final long acceptedNanos;
    private OutputStream out;
    private volatile long writeDeadline;
    private volatile boolean idle;
    private volatile boolean aborted;
    private final AtomicInteger state = new AtomicInteger(WAITING);
    private volatile long waitingSince;

    Connection(HttpServer server, Socket socket, String addressKey, long acceptedNanos) {
        this.server = server;
        this.socket = socket;
        this.addressKey = addressKey;
        this.acceptedNanos = acceptedNanos;
        this.waitingSince = acceptedNanos;
    }

    /**
     * Since when the connection waits: for a complete request (its head and body) when
     * {@code queued} is {@code false}, for a handler slot when it is {@code true}; otherwise
     * {@link Long#MAX_VALUE}.
     */
    long waitingSince(boolean queued) {
        return state.get() == (queued ? QUEUED : WAITING) ? waitingSince : Long.MAX_VALUE;
    }

    /**
     * Closes the connection to make room, if it still waits (for a complete request, or for a
     * slot when {@code queued}).
     *
     * @return whether it was evicted (one that moved on meanwhile keeps it)
     */
    boolean evict(boolean queued) {
        if (!state.compareAndSet(queued ? QUEUED : WAITING, EVICTED)) {
            return false;
        }
        abort();
        return true;
    }

    /** Marks the request as waiting for a handler slot. */
    void queue() {
        waitingSince = System.nanoTime();
        state.compareAndSet(BUSY, QUEUED);
    }

    /**
     * Ends the wait for a slot.
     *
     * @return {@code false} when the connection was evicted meanwhile
     */
    boolean unqueue() {
        return state.compareAndSet(QUEUED, BUSY);
    }

    String addressKey() {
        return addressKey;
    }

    Socket socket() {
        return socket;
    }

    OutputStream output() {
        return out;
    }

    /** Starts the write deadline, unless it runs already (one per answer). */
    void armWrite() {
        if (writeDeadline == 0) {
            long d = System.nanoTime() + server.limits().writeTimeout().toNanos();
            writeDeadline = d == 0 ? 1 : d;
        }
    }

    private void disarmWrite() {
        writeDeadline = 0;
    }

    /** Whether a write has been going on past its deadline. */
    boolean writeLate(long now) {
        long d = writeDeadline;
        return d != 0 && now - d > 0;
    }

    /** Whether the connection waits for its next request. */
    boolean idle() {
        return idle;
    }

    /** Closes the socket from another thread: a blocked read or write fails at once. */
    void abort() {
        aborted = true;
        closeQuietly();
    }

    @Override
    public void run() {
        try {
            serve();
        } catch (IOException e) {
            if (!aborted) {
                LOG.debug("HTTP connection from {} ended: {}", socket.getInetAddress().getHostAddress(), e.toString());
            }
        } catch (RuntimeException e) {
            LOG.warn("HTTP connection from {} failed: {}", socket.getInetAddress().getHostAddress(), e.toString());
        } finally {
            closeQuietly();
            server.released(this);
        }
    }

    private void serve() throws IOException {
        socket.setTcpNoDelay(true);
        out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
        RequestReader reader = new RequestReader(socket);
        HttpLimits limits = server.limits();
        long headStart = acceptedNanos;
        boolean first = true;
        while (!server.closing()) {
            if (!first) {
                idle = true;
                try {
                    if (server.closing() || !reader.awaitRequest(System.nanoTime() + limits.idleTimeout().toNanos())) {
                        return;
                    }
                } catch (SocketTimeoutException e) {
                    server.meters().idleClosed();
                    return;
                } finally {
                    idle = false;
                }
                headStart = System.nanoTime();
            }
            first = false;
            RequestReader.Head head;
            Request request;
            try {
                head = reader.readHead(headStart + limits.headerTimeout().toNanos());
                checkHost(head);
                byte[] body = new byte[0];
                if (head.contentLength() > 0) {
                    if (head.expectContinue()) {
                        armWrite();
                        out.write(CONTINUE);
                        out.flush();
                        disarmWrite();
                    }
                    body = reader.readBody(head.contentLength(), System.nanoTime() + limits.bodyTimeout().toNanos());
                }
                request = new Request(head.method(), head.rawPath(), head.rawQuery(), head.http11(), head.headers(), body,
                        (InetSocketAddress) socket.getRemoteSocketAddress(), head.segments(), this::peerUid);
                if (!state.compareAndSet(WAITING, BUSY)) {
                    return; // evicted just now
                }
            } catch (HttpError e) {
                refuse(e, reader.started());
                return;
            } catch (EOFException e) {
                return;
            }
            Response response = new Response(this, request.isHead(), head.http11(), head.close() || server.closing());
            server.dispatch(this, request, response);
            response.finish();
            disarmWrite();
            server.meters().answered(response.status());
            if (response.closes()) {
                return;
            }
            waitingSince = System.nanoTime();
            state.set(WAITING);
        }
    }

    private void checkHost(RequestReader.Head head) throws HttpError {
        if (head.host() == null) {
            return; // HTTP/1.0 without Host: no browser sends that, so it cannot be DNS rebinding
        }
        boolean allowed;
        try {
            allowed = server.hosts().allows(head.host(), socket.getLocalAddress());
        } catch (IllegalArgumentException e) {
            throw HttpError.malformed("the Host header is not a host with an optional port");
        }
        if (!allowed) {
            throw new HttpError(421, HttpMeters.MISDIRECTED, "this server does not answer for that Host; "
                    + "add the name to http-hosts to allow it");
        }
    }

    /** Counts and answers a refused request, then closes. */
    private void refuse(HttpError e, boolean started) {
        String addr = socket.getInetAddress().getHostAddress();
        boolean timeout = e.status() == 408;
        if (timeout && !started) {
            server.meters().rejected(e.reason(), socket.getInetAddress(), () -> "closed a connection that sent nothing within "
                    + server.limits().headerTimeout().toMillis() + " ms (http-header-timeout)");
            return;
        }
        server.meters().rejected(e.reason(), socket.getInetAddress(),
                () -> "answered " + e.status() + " and closed the connection: " + e.getMessage());
        try {
            Response r = new Response(this, false, true, true);
            r.send(e.status(), Json.TYPE, Json.error(e.getMessage()));
            r.finish();
            disarmWrite();
            server.meters().answered(e.status());
            if (!timeout) {
                lingerClose();
            }
        } catch (IOException io) {
            LOG.debug("HTTP: answering {} to {} failed: {}", e.status(), addr, io.toString());
        }
    }

    /**
     * Ends the output, then reads and drops what the client still sends (up to 64 KiB, for up to a
     * second), so the answer is not lost to a reset caused by unread bytes.
     */
    private void lingerClose() throws IOException {
        socket.shutdownOutput();
        long deadline = System.nanoTime() + LINGER_NANOS;
        InputStream in = socket.getInputStream();
        byte[] sink = new byte[4096];
        int total = 0;
        while (total < LINGER_BYTES) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            socket.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            int n;
            try {
                n = in.read(sink);
            } catch (SocketTimeoutException e) {
                return;
            }
            if (n < 0) {
                return;
            }
            total += n;
        }
    }

    private void closeQuietly() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
