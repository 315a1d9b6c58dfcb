package io.github.wardops.ward.examples.prober;

import io.github.wardops.ward.probe.DownReason;
import io.github.wardops.ward.probe.ProbeRequest;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.probe.Prober;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * An HTTP(S) health-check {@link Prober} for checks with {@link HttpCheckSettings}: a {@code GET}
 * of the check's path on the device's address, healthy when the status lies in the expected range.
 *
 * <p>A target that refuses, times out, fails TLS or answers with an unexpected status is a
 * {@link ProbeResult.Down}, never an exception. The response body is never read: the stream is
 * closed as soon as the headers arrive, so a slow or endless body costs nothing. Redirects are not
 * followed. A probe returns within the smaller of the settings' and the check's timeout plus half
 * a second. Details never contain the URL (a query may hold a token).
 *
 * <p>Thread-safe: one instance serves every check, concurrently, on the engine's virtual threads.
 * It owns one {@link HttpClient}; {@link #close()} stops it and is idempotent.
 */
public final class HttpProber implements Prober {
    private static final Duration HARD_DEADLINE_GRACE = Duration.ofMillis(500);

    private final HttpClient client;
    private final ExecutorService executor;
    private final Clock clock;
    private final AtomicBoolean closed = new AtomicBoolean();

    private HttpProber(SSLContext tls, Clock clock) {
        this.clock = clock;
        this.executor = Executors.newVirtualThreadPerTaskExecutor();
        this.client = HttpClient.newBuilder()
                .sslContext(tls)
                // HTTP/1.1: no h2c upgrade headers on plain HTTP (some health endpoints reject them);
                // HTTPS still works with any server. Idle keep-alive connections are reused by the
                // next check of the same target and closed by the JDK after its keep-alive timeout.
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .proxy(HttpClient.Builder.NO_PROXY)
                .executor(executor)
                .build();
    }

    /**
     * A prober that trusts the JDK's default certificate authorities.
     *
     * @return a new prober; the caller closes it
     */
    public static HttpProber create() {
        try {
            return new HttpProber(SSLContext.getDefault(), Clock.systemUTC());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no default TLS context", e);
        }
    }

    /**
     * A prober whose HTTPS checks trust what the given TLS context trusts (a private CA, say).
     *
     * @param tls the TLS context; never {@code null}
     * @param clock stamps results; never {@code null}
     * @return a new prober; the caller closes it
     */
    public static HttpProber create(SSLContext tls, Clock clock) {
        return new HttpProber(Objects.requireNonNull(tls, "tls"), Objects.requireNonNull(clock, "clock"));
    }

    @Override
    public String type() {
        return HttpCheckSettings.TYPE;
    }

    /**
     * Probes one target.
     *
     * @param request the request; its check must have {@link HttpCheckSettings}
     * @return {@code Up} for a healthy status, else {@code Down}
     * @throws InterruptedException when interrupted
     * @throws IllegalArgumentException when the check has settings of another type
     * @throws IllegalStateException after {@link #close()}
     */
    @Override
    public ProbeResult probe(ProbeRequest request) throws InterruptedException {
        if (closed.get()) {
            throw new IllegalStateException("HttpProber is closed");
        }
        HttpCheckSettings s = request.settings(HttpCheckSettings.class);
        Duration timeout = s.timeout().compareTo(request.check().timeout()) < 0 ? s.timeout() : request.check().timeout();
        HttpRequest httpRequest = HttpRequest.newBuilder(uri(request.device().address(), s))
                .GET()
                .timeout(timeout)
                .header("User-Agent", "ward-http-check")
                .build();
        Instant at = clock.instant();
        long t0 = System.nanoTime();
        CompletableFuture<HttpResponse<InputStream>> future = client.sendAsync(httpRequest, HttpResponse.BodyHandlers.ofInputStream());
        try {
            // The request timeout covers the exchange; the hard deadline covers anything it misses.
            HttpResponse<InputStream> response = future.get(timeout.plus(HARD_DEADLINE_GRACE).toNanos(), TimeUnit.NANOSECONDS);
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            closeQuietly(response.body());
            int status = response.statusCode();
            HttpCheck measured = new HttpCheck(status, took);
            if (s.healthy(status)) {
                return new ProbeResult.Up(request.device().id(), request.check().name(), type(), at, took, measured);
            }
            return down(request, at, DownReason.ERROR_RESPONSE,
                    "HTTP " + status + " (expected " + s.minStatus() + "-" + s.maxStatus() + ")", measured);
        } catch (TimeoutException e) {
            future.cancel(true);
            return down(request, at, DownReason.TIMEOUT, "no response within " + timeout, HttpCheck.NO_RESPONSE);
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            return failed(request, at, timeout, e.getCause());
        }
    }

    private ProbeResult failed(ProbeRequest request, Instant at, Duration timeout, Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof HttpTimeoutException) {
                return down(request, at, DownReason.TIMEOUT, "no response within " + timeout, HttpCheck.NO_RESPONSE);
            }
            if (t instanceof NoRouteToHostException) {
                return down(request, at, DownReason.HOST_UNREACHABLE, "no route to host", HttpCheck.NO_RESPONSE);
            }
            if (t instanceof SSLException) {
                return down(request, at, DownReason.OTHER, "TLS handshake failed", HttpCheck.NO_RESPONSE);
            }
        }
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                String m = String.valueOf(t.getMessage());
                if (m.contains("unreachable")) {
                    return down(request, at, m.contains("Network") ? DownReason.NETWORK_UNREACHABLE : DownReason.HOST_UNREACHABLE,
                            "unreachable", HttpCheck.NO_RESPONSE);
                }
                return down(request, at, DownReason.REFUSED, "connection refused", HttpCheck.NO_RESPONSE);
            }
        }
        String what = cause == null ? "unknown error" : cause.getClass().getSimpleName();
        return down(request, at, DownReason.OTHER, "request failed: " + what, HttpCheck.NO_RESPONSE);
    }

    private ProbeResult.Down down(ProbeRequest request, Instant at, DownReason reason, String detail, HttpCheck measured) {
        return new ProbeResult.Down(request.device().id(), request.check().name(), type(), at, reason, detail, measured);
    }

    static URI uri(InetAddress address, HttpCheckSettings s) {
        String host = address.getHostAddress();
        if (address instanceof Inet6Address) {
            host = "[" + host.replace("%", "%25") + "]";
        }
        return URI.create((s.https() ? "https://" : "http://") + host + ":" + s.port() + s.path());
    }

    private static void closeQuietly(InputStream body) {
        try {
            body.close();
        } catch (IOException e) {
            // The body is never read: failing to close it early changes nothing about the result.
        }
    }

    /** Stops the HTTP client and its threads, abandoning requests in flight. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            client.shutdownNow();
            try {
                client.awaitTermination(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            executor.shutdownNow();
        }
    }
}
