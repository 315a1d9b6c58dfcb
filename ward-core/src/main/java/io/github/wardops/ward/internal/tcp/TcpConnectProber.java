package io.github.wardops.ward.internal.tcp;

import io.github.wardops.ward.probe.DownReason;
import io.github.wardops.ward.probe.ProbeRequest;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.probe.Prober;
import io.github.wardops.ward.probe.TcpConnect;
import io.github.wardops.ward.probe.TcpSettings;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Connects to a TCP port and closes at once. On a virtual thread, the blocking connect parks the
 * virtual thread, not a carrier. Refused, timed out and unreachable are told apart, and a connect
 * that this host's packet filter or policy refuses (EACCES, EPERM) or that has no route
 * (ENETUNREACH) is DOWN as well; only ward's own trouble (no local port, say) is UNKNOWN.
 *
 * <p>A SYN dropped on the output hook does not fail {@code connect}: the kernel keeps
 * retransmitting it, so that connect times out (TIMEOUT).
 */
public final class TcpConnectProber implements Prober {

    @Override
    public String type() {
        return TcpSettings.TYPE;
    }

    @Override
    public ProbeResult probe(ProbeRequest request) throws InterruptedException {
        TcpSettings s = request.settings(TcpSettings.class);
        var id = request.device().id();
        String check = request.check().name();
        Instant at = Instant.now();
        int timeoutMs = (int) Math.max(1, Math.min(Integer.MAX_VALUE, request.check().timeout().toMillis()));
        long t0 = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.setSoLinger(true, 0);
            socket.connect(new InetSocketAddress(request.device().address(), s.port()), timeoutMs);
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            return new ProbeResult.Up(id, check, type(), at, took, new TcpConnect(s.port(), took));
        } catch (SocketTimeoutException e) {
            return down(request, at, DownReason.TIMEOUT, "no answer from port " + s.port() + " within " + timeoutMs + " ms");
        } catch (NoRouteToHostException e) {
            return down(request, at, DownReason.HOST_UNREACHABLE, "host unreachable (EHOSTUNREACH)");
        } catch (SocketException e) {
            // ConnectException (refused, unreachable), BindException (EACCES) or a plain
            // SocketException (ENETUNREACH): the JDK gives no errno, only strerror's text
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("probe interrupted");
            }
            ProbeResult r = refusal(request, at, s.port(), e);
            if (r != null) {
                return r;
            }
            if (e instanceof ConnectException) {
                return down(request, at, DownReason.OTHER, "connect failed: " + e.getMessage());
            }
            return new ProbeResult.Unknown(id, check, type(), at, "local error: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("probe interrupted");
            }
            return new ProbeResult.Unknown(id, check, type(), at, "local error: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /**
     * A connect that failed for a reason about the path to the device: refused, no route, the
     * host's own packet filter or policy. {@code null} when the failure is ward's own (a local
     * port shortage, say) and says nothing about the device.
     */
    private ProbeResult refusal(ProbeRequest request, Instant at, int port, SocketException e) {
        String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        if (m.contains("refused")) {
            return down(request, at, DownReason.REFUSED, "connection to port " + port + " refused");
        }
        if (m.contains("network is unreachable")) {
            return down(request, at, DownReason.NETWORK_UNREACHABLE, "network unreachable (ENETUNREACH)");
        }
        if (m.contains("no route") || m.contains("host is unreachable") || m.contains("host is down")) {
            return down(request, at, DownReason.HOST_UNREACHABLE, "host unreachable (EHOSTUNREACH)");
        }
        if (m.contains("permission denied") || m.contains("operation not permitted")) {
            return down(request, at, DownReason.LOCAL_FIREWALL, "connect refused by this host's packet filter or policy ("
                    + (m.contains("permission denied") ? "EACCES" : "EPERM") + ")");
        }
        if (m.contains("timed out")) {
            return down(request, at, DownReason.TIMEOUT, "connect timed out");
        }
        return null;
    }

    private ProbeResult down(ProbeRequest r, Instant at, DownReason reason, String detail) {
        int port = r.settings(TcpSettings.class).port();
        return new ProbeResult.Down(r.device().id(), r.check().name(), type(), at, reason, detail, new TcpConnect(port, null));
    }
}
