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
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Connects to a TCP port and closes at once. On a virtual thread, the blocking connect parks the
 * virtual thread, not a carrier. Refused, timed out and unreachable are told apart.
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
            return down(request, at, DownReason.HOST_UNREACHABLE, "host unreachable");
        } catch (ConnectException e) {
            String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
            if (m.contains("refused")) {
                return down(request, at, DownReason.REFUSED, "connection to port " + s.port() + " refused");
            }
            if (m.contains("network is unreachable")) {
                return down(request, at, DownReason.NETWORK_UNREACHABLE, "network unreachable");
            }
            if (m.contains("no route") || m.contains("host is unreachable")) {
                return down(request, at, DownReason.HOST_UNREACHABLE, "host unreachable");
            }
            if (m.contains("timed out")) {
                return down(request, at, DownReason.TIMEOUT, "connect timed out");
            }
            return down(request, at, DownReason.OTHER, "connect failed: " + e.getMessage());
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("probe interrupted");
            }
            return new ProbeResult.Unknown(id, check, type(), at, "local error: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private ProbeResult down(ProbeRequest r, Instant at, DownReason reason, String detail) {
        int port = r.settings(TcpSettings.class).port();
        return new ProbeResult.Down(r.device().id(), r.check().name(), type(), at, reason, detail, new TcpConnect(port, null));
    }
}
