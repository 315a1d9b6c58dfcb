package io.github.wardops.ward.runner.http.server;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which {@code Host} values a request may carry, against DNS rebinding: a web page on another
 * site whose name was made to resolve to this server sends its own name as {@code Host}. Always
 * accepted, on any port: {@code localhost}, {@code 127.0.0.1}, {@code [::1]} and the IP address
 * the request arrived on (an IP literal cannot be rebound). Besides those, the configured entries:
 * {@code NAME} (any port), {@code NAME:PORT}, or {@code *} for any host. Names compare without
 * case and without a trailing dot. Immutable and thread-safe.
 */
public final class HostAllowList {
    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]");
    private final List<String[]> entries;
    private final boolean any;

    /**
     * An allow-list with these extra entries.
     *
     * @param extra entries as {@link #parse} returns them; never {@code null}
     * @throws IllegalArgumentException when an entry is not a host
     */
    public HostAllowList(List<String> extra) {
        List<String[]> e = new ArrayList<>();
        boolean star = false;
        for (String s : extra) {
            if (s.equals("*")) {
                star = true;
            } else {
                String[] hp = split(s);
                if (hp == null) {
                    throw new IllegalArgumentException("'" + s + "' is not a host");
                }
                e.add(hp);
            }
        }
        this.entries = List.copyOf(e);
        this.any = star;
    }

    /**
     * Checks and normalizes the entries of the {@code http-hosts} setting: a comma-separated list
     * of {@code NAME}, {@code NAME:PORT}, {@code [IPV6]}, {@code [IPV6]:PORT} or {@code *}.
     *
     * @param text the setting's text; never {@code null}
     * @return the entries, lower case, trailing dots removed
     * @throws IllegalArgumentException naming the first entry that is not a host
     */
    public static List<String> parse(String text) {
        List<String> out = new ArrayList<>();
        for (String raw : text.split(",")) {
            String s = raw.strip();
            if (s.isEmpty()) {
                continue;
            }
            if (s.equals("*")) {
                out.add(s);
                continue;
            }
            String[] hp = split(s);
            if (hp == null) {
                throw new IllegalArgumentException("'" + s + "' is not a host name, NAME:PORT, [IPV6]:PORT or *");
            }
            out.add(hp[1] == null ? hp[0] : hp[0] + ":" + hp[1]);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no host listed");
        }
        return out;
    }

    /**
     * Whether a request for this host may be answered.
     *
     * @param host the {@code Host} value (or the authority of an absolute target); never {@code null}
     * @param local the address the connection arrived on
     * @return {@code true} when allowed
     * @throws IllegalArgumentException when {@code host} is not a host with an optional port
     */
    public boolean allows(String host, InetAddress local) {
        String[] hp = split(host);
        if (hp == null) {
            throw new IllegalArgumentException("not a host");
        }
        if (any || LOOPBACK.contains(hp[0]) || isAddress(hp[0], local)) {
            return true;
        }
        for (String[] e : entries) {
            if (e[0].equals(hp[0]) && (e[1] == null || e[1].equals(hp[1] == null ? "80" : hp[1]))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isAddress(String name, InetAddress local) {
        String literal = name.startsWith("[") ? name.substring(1, name.length() - 1) : name;
        if (!name.startsWith("[") && !literal.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))) {
            return false;
        }
        try {
            return InetAddress.ofLiteral(literal).equals(local);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * {@code {name, port}} with the name lower case and without a trailing dot, port {@code null}
     * when absent; {@code null} when the text is not a host.
     */
    private static String[] split(String s) {
        String host;
        String port = null;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                return null;
            }
            host = s.substring(0, close + 1);
            String rest = s.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    return null;
                }
                port = rest.substring(1);
            }
            String inner = host.substring(1, host.length() - 1);
            if (inner.isEmpty() || !inner.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0)) {
                return null;
            }
        } else {
            int colon = s.indexOf(':');
            host = colon < 0 ? s : s.substring(0, colon);
            port = colon < 0 ? null : s.substring(colon + 1);
            if (host.endsWith(".")) {
                host = host.substring(0, host.length() - 1);
            }
            if (host.isEmpty() || host.length() > 253
                    || !host.chars().allMatch(c -> c < 0x80 && (Character.isLetterOrDigit(c) || c == '-' || c == '.' || c == '_'))) {
                return null;
            }
        }
        if (port != null && (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')
                || Integer.parseInt(port) > 65535)) {
            return null;
        }
        return new String[] {host.toLowerCase(Locale.ROOT), port == null ? null : String.valueOf(Integer.parseInt(port))};
    }
}
