package io.github.wardops.ward.internal.support;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who holds a local port, for the message of a bind that failed: asks {@code ss} (iproute2), when
 * it is there, for the process listening on that port. Best effort: empty when {@code ss} is
 * missing, slow, or may not name the process (another user's, without root). Stateless.
 */
public final class PortHolder {
    private static final Pattern USERS = Pattern.compile("users:\\(\\(\"([^\"]{1,64})\",pid=(\\d{1,10})");

    private PortHolder() {
    }

    /**
     * The process holding a TCP (listening) or UDP port on an address.
     *
     * @param address the local address asked for
     * @param port the port
     * @param tcp {@code true} for TCP, {@code false} for UDP
     * @return such as {@code "java (pid 4242)"}, or empty when it cannot be told
     */
    public static Optional<String> of(InetAddress address, int port, boolean tcp) {
        String out;
        try {
            Process p = new ProcessBuilder(List.of("ss", "-Hlnp" + (tcp ? "t" : "u"), "sport = :" + port))
                    .redirectErrorStream(true).start();
            p.getOutputStream().close();
            if (!p.waitFor(2, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            out = new String(p.getInputStream().readNBytes(64 * 1024), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        return parse(out, address, port);
    }

    /**
     * Reads {@code ss -Hlnp} output: the first line whose local address is the one asked for, or a
     * wildcard, on that port.
     *
     * @param ss the output
     * @param address the address
     * @param port the port
     * @return the holder, or empty
     */
    static Optional<String> parse(String ss, InetAddress address, int port) {
        String exact = (address.getAddress().length == 16 ? "[" + address.getHostAddress() + "]" : address.getHostAddress())
                + ":" + port;
        for (String line : ss.lines().toList()) {
            String[] cols = line.trim().split("\\s+");
            if (cols.length < 5) {
                continue;
            }
            String local = cols[3];
            // a JVM's socket on an IPv4 address is dual-stack: ss shows [::ffff:127.0.0.1]:port
            boolean match = local.equals(exact) || local.equals("[::ffff:" + address.getHostAddress() + "]:" + port)
                    || local.equals("0.0.0.0:" + port) || local.equals("*:" + port)
                    || local.equals("[::]:" + port) || local.startsWith(address.getHostAddress() + "%") && local.endsWith(":" + port);
            Matcher m = USERS.matcher(line);
            if (match && m.find()) {
                return Optional.of(m.group(1) + " (pid " + m.group(2) + ")");
            }
        }
        return Optional.empty();
    }
}
