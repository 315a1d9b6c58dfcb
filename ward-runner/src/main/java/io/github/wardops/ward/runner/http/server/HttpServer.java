package io.github.wardops.ward.runner.http.server;

import io.github.wardops.ward.internal.support.LogLimiter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ward's own small HTTP/1.1 server, built to stay up under slow and hostile clients: an accept
 * loop, one platform thread per connection, bodies with {@code Content-Length} only.
 *
 * <ul>
 *   <li>Connections are bounded per client address (IPv6: per /64): one over the bound is closed
 *       at once. They are bounded in total too: when all are taken, the one that has waited
 *       longest without sending a complete request (else the request that has waited longest
 *       for a slot) is closed to make room, so slow clients or a request flood from many
 *       addresses cannot lock out a liveness probe; only when every connection is being
 *       answered is the new one closed.</li>
 *   <li>The request line and headers, and then the body, each have a deadline (not an idle
 *       timeout: a client trickling a byte a second is still cut off); a kept-alive connection
 *       is closed after {@code idleTimeout} without a request; an answer that cannot be written
 *       within {@code writeTimeout} closes its connection (a watchdog thread).</li>
 *   <li>Requests are parsed strictly ({@link RequestReader}); the {@code Host} must be on the
 *       {@link HostAllowList} ({@code 421} otherwise).</li>
 *   <li>At most {@code maxConcurrentRequests} requests are handled at once; a request waits up to
 *       {@link HttpLimits#SLOT_WAIT} for a slot, then gets {@code 503}. {@link Router#getLight}
 *       routes ({@code /health}, {@code /ready}) are answered outside the slots.</li>
 *   <li>Every thread of the server runs at a lower CPU priority ({@link ThreadNice}), so HTTP
 *       work never takes the CPU from probing.</li>
 * </ul>
 * Every refusal is counted in {@code ward.http.rejected{reason}} and logged at most once a minute
 * per reason. Thread-safe.
 */
public final class HttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);
    private static final long WATCHDOG_PERIOD_MS = 100;
    private static final long CLOSE_GRACE_MS = 1000;

    private final ServerSocket listener;
    private final HttpLimits limits;
    private final Router router;
    private final HostAllowList hosts;
    private final HttpMeters meters;
    private final Semaphore slots;
    private final long slotWaitMillis;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<String, Integer> perAddress = new ConcurrentHashMap<>();
    private final Set<Connection> live = ConcurrentHashMap.newKeySet();
    private final ThreadPoolExecutor connections;
    private final Thread acceptor;
    private final Thread watchdog;
    private final LogLimiter acceptFailureLog = new LogLimiter(TimeUnit.MINUTES.toNanos(1));
    private volatile boolean closing;

    private HttpServer(ServerSocket listener, HttpLimits limits, Router router, MeterRegistry registry, Duration slotWait) {
        this.listener = listener;
        this.limits = limits;
        this.router = router;
        this.hosts = new HostAllowList(limits.hosts());
        this.meters = new HttpMeters(registry, open::get);
        this.slots = new Semaphore(limits.maxConcurrentRequests(), true);
        this.slotWaitMillis = slotWait.toMillis();
        // A few threads over the bound: a connection's thread returns to the pool just after it is counted out.
        this.connections = new ThreadPoolExecutor(0, limits.maxConnections() + 16, 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), niced("ward-http-"));
        // The acceptor keeps its priority: it only accepts and hands over (refusing is cheaper still), and a niced
        // acceptor on a busy host lets the listen backlog overflow, so clients wait for SYN retries.
        this.acceptor = Thread.ofPlatform().daemon(true).name("ward-http-accept").unstarted(this::acceptLoop);
        this.watchdog = niced("ward-http-watchdog").newThread(this::watch);
    }

    /**
     * Binds and starts a server.
     *
     * @param address where to listen (port 0: any free port)
     * @param limits the bounds
     * @param router the routes; add them all before
     * @param registry where the {@code ward.http.*} meters go
     * @return the running server
     * @throws IOException when the address cannot be bound; the message names the address and why
     */
    public static HttpServer start(InetSocketAddress address, HttpLimits limits, Router router, MeterRegistry registry)
            throws IOException {
        return start(address, limits, router, registry, HttpLimits.SLOT_WAIT);
    }

    /** As {@link #start(InetSocketAddress, HttpLimits, Router, MeterRegistry)}, with another wait for a slot (tests). */
    static HttpServer start(InetSocketAddress address, HttpLimits limits, Router router, MeterRegistry registry,
                            Duration slotWait) throws IOException {
        ServerSocket listener = new ServerSocket();
        try {
            listener.setReuseAddress(true);
            // A backlog as deep as the connection bound (the kernel caps it at net.core.somaxconn): a burst of
            // connections waits in it while the acceptor hands each to its thread, instead of waiting for SYN retries.
            listener.bind(address, Math.max(128, limits.maxConnections()));
        } catch (BindException e) {
            listener.close();
            throw new IOException("cannot listen on " + address.getAddress().getHostAddress() + ":" + address.getPort()
                    + " (" + e.getMessage() + "); pick another address with --http HOST:PORT, or --http off", e);
        } catch (IOException | RuntimeException e) {
            listener.close();
            throw e;
        }
        HttpServer server = new HttpServer(listener, limits, router, registry, slotWait);
        server.acceptor.start();
        server.watchdog.start();
        return server;
    }

    /**
     * The bound address, with the actual port when port 0 was asked for.
     *
     * @return the address
     */
    public InetSocketAddress address() {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    /**
     * The connections open now.
     *
     * @return the count
     */
    public int openConnections() {
        return open.get();
    }

    /** How many requests wait for a handler slot now. */
    int queuedRequests() {
        int n = 0;
        for (Connection c : live) {
            if (c.waitingSince(true) != Long.MAX_VALUE) {
                n++;
            }
        }
        return n;
    }

    HttpLimits limits() {
        return limits;
    }

    HostAllowList hosts() {
        return hosts;
    }

    HttpMeters meters() {
        return meters;
    }

    boolean closing() {
        return closing;
    }

    private static ThreadFactory niced(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> Thread.ofPlatform().daemon(true).name(name.endsWith("-") ? name + n.incrementAndGet() : name)
                .unstarted(() -> {
                    ThreadNice.lower();
                    r.run();
                });
    }

    private void acceptLoop() {
        while (!closing) {
            Socket s;
            try {
                s = listener.accept();
            } catch (IOException e) {
                if (closing) {
                    return;
                }
                // Out of file descriptors, say: wait a little rather than spin.
                if (acceptFailureLog.allow("accept")) {
                    LOG.warn("HTTP: accepting a connection failed: {}", e.toString());
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    return;
                }
                continue;
            }
            admit(s);
        }
    }

    private void admit(Socket s) {
        InetAddress from = s.getInetAddress();
        String key = addressKey(from);
        boolean[] ok = {false};
        perAddress.compute(key, (k, n) -> {
            int c = n == null ? 0 : n;
            if (c >= limits.maxConnectionsPerAddress()) {
                return n;
            }
            ok[0] = true;
            return c + 1;
        });
        if (!ok[0] && evictOne(key)) {
            // One client holding every connection of its address (all local users share 127.0.0.1)
            // must not lock out a liveness probe from that address: its longest-waiting connection
            // made room. The count drops when that connection's thread ends, a moment later.
            perAddress.merge(key, 1, Integer::sum);
            ok[0] = true;
        }
        if (!ok[0]) {
            refuse(s, HttpMeters.MAX_PER_ADDRESS, "refused a connection: " + limits.maxConnectionsPerAddress()
                    + " connections are open from this address (http-max-connections-per-address)");
            return;
        }
        if (open.incrementAndGet() > limits.maxConnections() && !evictOne()) {
            releaseCounts(key);
            refuse(s, HttpMeters.MAX_CONNECTIONS, "refused a connection: " + limits.maxConnections()
                    + " connections are open, each handling a request (http-max-connections)");
            return;
        }
        Connection c = new Connection(this, s, key, System.nanoTime());
        live.add(c);
        try {
            connections.execute(c);
        } catch (RejectedExecutionException e) {
            live.remove(c);
            releaseCounts(key);
            refuse(s, HttpMeters.MAX_CONNECTIONS, "refused a connection: no thread is free for it");
        }
    }

    /**
     * Makes room when every connection is taken: closes the one that has waited longest without
     * sending a complete request (a slow or silent client, or an idle kept-alive one), else the
     * one whose request has waited longest for a handler slot. A new client, such as a liveness
     * probe, thus gets in while connections are merely held open or queued; the evicted one's
     * count goes when its thread ends, a moment later (at most {@link HttpLimits#SLOT_WAIT}).
     *
     * @return {@code false} when every connection is handling a request in a slot (or a light one)
     */
    private boolean evictOne() {
        return evictOne(null);
    }

    /**
     * As {@link #evictOne()}, among the connections of one client address only ({@code null}: all).
     *
     * @param addressKey the address key, or {@code null}
     * @return whether a connection was closed
     */
    private boolean evictOne(String addressKey) {
        for (boolean queued : new boolean[] {false, true}) {
            for (int attempt = 0; attempt < 3; attempt++) {
                Connection oldest = null;
                long since = Long.MAX_VALUE;
                for (Connection c : live) {
                    if (addressKey != null && !addressKey.equals(c.addressKey())) {
                        continue;
                    }
                    long w = c.waitingSince(queued);
                    if (w != Long.MAX_VALUE && (oldest == null || w - since < 0)) {
                        oldest = c;
                        since = w;
                    }
                }
                if (oldest == null) {
                    break;
                }
                if (oldest.evict(queued)) {
                    long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
                    String what = queued ? "whose request waited " + waitedMs + " ms for a slot"
                            : "without a complete request after " + waitedMs + " ms";
                    String bound = addressKey == null
                            ? limits.maxConnections() + " connections are open (http-max-connections)"
                            : limits.maxConnectionsPerAddress() + " connections are open from its address "
                                    + "(http-max-connections-per-address)";
                    meters.rejected(HttpMeters.EVICTED, oldest.socket().getInetAddress(), () -> "closed a connection "
                            + what + " to make room: " + bound);
                    return true;
                }
            }
        }
        return false;
    }

    private void refuse(Socket s, String reason, String what) {
        meters.rejected(reason, s.getInetAddress(), () -> what);
        try {
            s.setSoLinger(true, 0); // a reset: nothing kept for the refused client
            s.close();
        } catch (IOException e) {
            // closed anyway
        }
    }

    /** Called by a connection's thread when it ends. */
    void released(Connection c) {
        if (live.remove(c)) {
            releaseCounts(c.addressKey());
        }
    }

    private void releaseCounts(String key) {
        perAddress.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
        open.decrementAndGet();
    }

    /** The client's address, or its /64 for IPv6 (one host holds a whole /64). */
    static String addressKey(InetAddress a) {
        if (a instanceof Inet6Address) {
            byte[] b = a.getAddress();
            return HexFormat.of().formatHex(b, 0, 8) + "::/64";
        }
        return a.getHostAddress();
    }

    /** Closes connections whose answer is not written within its deadline. */
    private void watch() {
        while (!closing) {
            try {
                Thread.sleep(WATCHDOG_PERIOD_MS);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (Connection c : live) {
                if (c.writeLate(now)) {
                    meters.rejected(HttpMeters.WRITE_TIMEOUT, c.socket().getInetAddress(), () -> "closed a connection: an "
                            + "answer was not taken within " + limits.writeTimeout().toMillis() + " ms (http-write-timeout)");
                    c.abort();
                }
            }
        }
    }

    /** Runs the guard, the route (in a slot unless light), and turns a failure into a 500 while it can. */
    void dispatch(Connection conn, Request request, Response response) throws IOException {
        try {
            if (!router.guard().pass(request, response)) {
                return;
            }
            Router.Match m = router.match(request);
            if (m.light()) {
                m.handler().handle(request, response);
            } else {
                conn.queue();
                boolean slot = slots.tryAcquire(slotWaitMillis, TimeUnit.MILLISECONDS);
                if (!conn.unqueue()) {
                    if (slot) {
                        slots.release();
                    }
                    throw new IOException("closed to make room while waiting for a slot");
                }
                if (!slot) {
                    meters.rejected(HttpMeters.BUSY, request.remote().getAddress(), () -> "answered 503: "
                            + limits.maxConcurrentRequests() + " requests were in progress for " + slotWaitMillis
                            + " ms (http-max-concurrent-requests)");
                    response.header("Retry-After", "1");
                    response.send(503, Json.TYPE, Json.error("too many requests in progress; try again"));
                } else {
                    try {
                        m.handler().handle(request, response);
                    } finally {
                        slots.release();
                    }
                }
            }
            if (!response.started()) {
                throw new IllegalStateException("the handler gave no answer");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (RuntimeException e) {
            LOG.warn("HTTP {} failed: {}", request, e.toString());
            if (response.committed()) {
                throw new IOException("failed in the middle of the answer", e);
            }
            response.reset();
            response.closeAfter();
            response.send(500, Json.TYPE, Json.error("internal error; see the runner's log"));
        }
    }

    /**
     * Stops accepting, closes idle connections at once, gives requests in progress up to a
     * second, then closes what is left. Idempotent.
     */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        try {
            listener.close();
        } catch (IOException e) {
            // closing anyway
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_GRACE_MS);
        while (!live.isEmpty() && System.nanoTime() - deadline < 0) {
            for (Connection c : live) {
                if (c.idle()) {
                    c.abort();
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (Connection c : live) {
            c.abort();
        }
        watchdog.interrupt();
        connections.shutdownNow();
    }
}
