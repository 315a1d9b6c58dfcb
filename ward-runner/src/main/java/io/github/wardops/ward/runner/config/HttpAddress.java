package io.github.wardops.ward.runner.config;

import io.github.wardops.ward.inventory.Addresses;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Where the HTTP API listens: an IP literal and a port ({@code 127.0.0.1:9090},
 * {@code [::1]:9090}; port 0 picks a free port), or nowhere ({@code off}). Host names other than
 * {@code localhost} are not resolved. Immutable.
 *
 * @param address the socket address, or {@code null} when HTTP is off
 */
public record HttpAddress(InetSocketAddress address) {
    /** The default: {@code 127.0.0.1:9090}. */
    public static final HttpAddress DEFAULT = new HttpAddress(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 9090));
    /** No HTTP server. */
    public static final HttpAddress OFF = new HttpAddress(null);

    /**
     * Parses {@code HOST:PORT}, {@code [V6]:PORT} or {@code off}.
     *
     * @param text the text; never {@code null}
     * @return the address
     * @throws IllegalArgumentException naming the text and the accepted forms
     */
    public static HttpAddress parse(String text) {
        Objects.requireNonNull(text, "text");
        String t = text.strip();
        if (t.equalsIgnoreCase("off") || t.equalsIgnoreCase("none")) {
            return OFF;
        }
        int colon = t.lastIndexOf(':');
        if (colon <= 0 || colon == t.length() - 1) {
            throw bad(text, "expected HOST:PORT");
        }
        String host = t.substring(0, colon);
        String portText = t.substring(colon + 1);
        if (host.indexOf(':') >= 0 && !(host.startsWith("[") && host.endsWith("]"))) {
            throw bad(text, "put an IPv6 address in brackets, such as [::1]:9090");
        }
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw bad(text, "port '" + portText + "' is not a number");
        }
        if (port < 0 || port > 65535) {
            throw bad(text, "port " + port + " is not 0-65535");
        }
        InetAddress addr;
        if (host.equalsIgnoreCase("localhost")) {
            addr = InetAddress.getLoopbackAddress();
        } else {
            try {
                addr = Addresses.parse(host);
            } catch (IllegalArgumentException e) {
                throw bad(text, "host '" + host + "' is not an IP address (or localhost)");
            }
        }
        return new HttpAddress(new InetSocketAddress(addr, port));
    }

    /**
     * Whether HTTP is on.
     *
     * @return {@code false} for {@link #OFF}
     */
    public boolean enabled() {
        return address != null;
    }

    @Override
    public String toString() {
        if (address == null) {
            return "off";
        }
        String host = address.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    private static IllegalArgumentException bad(String text, String why) {
        return new IllegalArgumentException("'" + text + "' is not an HTTP listen address: " + why);
    }
}
