package io.github.wardops.ward.runner.config;

import io.github.wardops.ward.runner.http.server.HostAllowList;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The value types of the {@link Settings}: how each kind of text is parsed (and refused, saying
 * why) and how a default is shown. Parsers throw {@link IllegalArgumentException}; a URL that
 * holds a password throws {@link HoldsSecret}, whose message never holds the value. Stateless.
 */
final class Values {
    static final Setting.Type<Path> PATH = Setting.Type.of(Values::path);
    static final Setting.Type<Boolean> BOOLEAN = Setting.Type.of(Values::bool);
    /** {@code postgres} (or {@code postgresql}) is {@code true}, {@code off} is {@code false}. */
    static final Setting.Type<Boolean> STORAGE = new Setting.Type<>(Values::storage, on -> on ? "postgres" : "off");
    static final Setting.Type<String> TEXT = Setting.Type.of(s -> s);
    static final Setting.Type<io.github.wardops.ward.victoriametrics.VictoriaMetricsOptions.Compat> VM_COMPAT =
            new Setting.Type<>(Values::vmCompat, c -> c.name().toLowerCase(Locale.ROOT));
    static final Setting.Type<String> NON_EMPTY = Setting.Type.of(Values::nonEmpty);
    static final Setting.Type<String> JDBC_URL = Setting.Type.of(Values::jdbcUrl);
    static final Setting.Type<String> ZONE = Setting.Type.of(Values::zone);
    static final Setting.Type<String> REDIS_URL = Setting.Type.of(Values::redisUrl);
    static final Setting.Type<URI> WEBHOOK_URL = Setting.Type.of(
            s -> httpUri(s, "sign requests with WARD_WEBHOOK_SECRET_FILE (or WARD_WEBHOOK_SECRET) instead"));
    static final Setting.Type<URI> VM_URL = Setting.Type.of(
            s -> httpUri(s, "give them with vm-user and WARD_VM_PASSWORD_FILE, or WARD_VM_TOKEN_FILE, instead"));
    static final Setting.Type<java.net.InetAddress> IP_LITERAL = new Setting.Type<>(Values::ipLiteral,
            java.net.InetAddress::getHostAddress);
    static final Setting.Type<HttpAddress> HTTP_ADDRESS = Setting.Type.of(HttpAddress::parse);
    static final Setting.Type<List<String>> HTTP_HOSTS = new Setting.Type<>(HostAllowList::parse, h -> String.join(",", h));
    static final Setting.Type<InventorySource> INVENTORY_SOURCE =
            new Setting.Type<>(InventorySource::parse, s -> s.name().toLowerCase(Locale.ROOT));
    static final Setting.Type<List<TcpCheckRule>> TCP_CHECKS = new Setting.Type<>(TcpCheckRule::parseAll,
            rules -> rules.stream().map(TcpCheckRule::text).collect(Collectors.joining("; ")));
    static final Setting.Type<List<SnmpCheckRule>> SNMP_CHECKS = new Setting.Type<>(SnmpCheckRule::parseAll,
            rules -> rules.stream().map(SnmpCheckRule::text).collect(Collectors.joining("; ")));

    private Values() {
    }

    /**
     * A duration from {@code min} to {@code max}, in {@link Durations}' syntax.
     *
     * @param min the least
     * @param max the most
     * @return the type; a default is shown in the largest units that are exact, such as {@code 5m}
     */
    static Setting.Type<Duration> duration(Duration min, Duration max) {
        return new Setting.Type<>(s -> range(Durations.parse(s), min, max), Durations::format);
    }

    /**
     * As {@link #duration}, but a default is shown in whole seconds ({@code 60s}), as the docs have always shown it.
     *
     * @param min the least
     * @param max the most
     * @return the type
     */
    static Setting.Type<Duration> durationInSeconds(Duration min, Duration max) {
        return new Setting.Type<>(s -> range(Durations.parse(s), min, max), d -> d.toSeconds() + "s");
    }

    /**
     * A whole number from {@code min} to {@code max}; {@code _} separators are allowed.
     *
     * @param min the least
     * @param max the most
     * @return the type
     */
    static Setting.Type<Integer> integer(int min, int max) {
        return Setting.Type.of(s -> intRange(s, min, max));
    }

    /** An IPv4 or IPv6 literal, never a name (no DNS lookup at start). */
    private static java.net.InetAddress ipLiteral(String s) {
        String v = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
        try {
            return java.net.InetAddress.ofLiteral(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("must be an IP literal such as 127.0.0.1 or ::1");
        }
    }

    private static Path path(String s) {
        if (s.isBlank()) {
            throw new IllegalArgumentException("must not be empty");
        }
        return Path.of(s);
    }

    /**
     * A URL setting refused because it holds a secret: the problem names the setting and where it
     * came from, never the value (which {@link #get} then leaves out).
     */
    static final class HoldsSecret extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        HoldsSecret(String instead) {
            super("holds a password (user information, or a password parameter such as password= or sslpassword=, in any "
                    + "case); the value is not shown. A URL is printed in logs and status pages, so secrets never go in one: "
                    + instead);
        }
    }

    /** A query parameter whose name holds a password, in any case and position: password=, sslpassword=, PWD=. */
    private static final Pattern PASSWORD_PARAMETER =
            Pattern.compile("(?i)(?:^|[?&;])[^=&;?#/]*(?:password|passwd|pwd)[^=&;?#/]*=");

    /** Whether a URL holds user information (anything before an {@code @} in its authority) or a password parameter. */
    static boolean holdsSecret(String url) {
        String u = url.strip();
        int scheme = u.indexOf("://");
        if (scheme >= 0) {
            int from = scheme + 3;
            int end = u.length();
            for (char c : new char[] {'/', '?', '#'}) {
                int i = u.indexOf(c, from);
                if (i >= 0 && i < end) {
                    end = i;
                }
            }
            if (u.substring(from, end).indexOf('@') >= 0) {
                return true;
            }
        }
        return PASSWORD_PARAMETER.matcher(u).find() || PASSWORD_PARAMETER.matcher(percentDecoded(u)).find();
    }

    /** {@code %xx} sequences decoded (bytes as Latin-1, enough to find a name); malformed ones kept. */
    private static String percentDecoded(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length() && Character.digit(s.charAt(i + 1), 16) >= 0
                    && Character.digit(s.charAt(i + 2), 16) >= 0) {
                sb.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static URI httpUri(String s, String instead) {
        if (holdsSecret(s)) {
            throw new HoldsSecret(instead);
        }
        URI u;
        try {
            u = new URI(s);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URI: " + e.getReason());
        }
        if (u.getScheme() == null || u.getHost() == null
                || !List.of("http", "https").contains(u.getScheme().toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("must be an absolute http:// or https:// URL");
        }
        if (u.getRawUserInfo() != null) {
            throw new HoldsSecret(instead);
        }
        return u;
    }

    private static io.github.wardops.ward.victoriametrics.VictoriaMetricsOptions.Compat vmCompat(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "none" -> io.github.wardops.ward.victoriametrics.VictoriaMetricsOptions.Compat.NONE;
            case "v1" -> io.github.wardops.ward.victoriametrics.VictoriaMetricsOptions.Compat.V1;
            default -> throw new IllegalArgumentException("must be none or v1");
        };
    }

    private static boolean storage(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "postgres", "postgresql" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException("must be postgres or off");
        };
    }

    private static String nonEmpty(String s) {
        if (s.isEmpty()) {
            throw new IllegalArgumentException("must not be empty");
        }
        return s;
    }

    private static final Pattern ZONE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    private static String zone(String s) {
        if (!ZONE_NAME.matcher(s).matches()) {
            throw new IllegalArgumentException("must be 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return s;
    }

    private static String jdbcUrl(String s) {
        if (holdsSecret(s)) {
            throw new HoldsSecret("set the user with db-user and the password with WARD_DB_PASSWORD_FILE (or WARD_DB_PASSWORD)");
        }
        if (!s.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("must be a PostgreSQL JDBC URL, jdbc:postgresql://HOST:PORT/DATABASE");
        }
        return s;
    }

    private static String redisUrl(String s) {
        if (holdsSecret(s)) {
            throw new HoldsSecret("set the password with WARD_REDIS_PASSWORD_FILE (or WARD_REDIS_PASSWORD)");
        }
        URI u;
        try {
            u = new URI(s);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URI");
        }
        if (u.getScheme() == null || u.getHost() == null
                || !List.of("redis", "rediss").contains(u.getScheme().toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("must be redis://HOST:PORT or rediss://HOST:PORT");
        }
        if (u.getRawUserInfo() != null) {
            throw new HoldsSecret("set the password with WARD_REDIS_PASSWORD_FILE (or WARD_REDIS_PASSWORD)");
        }
        return s;
    }

    private static boolean bool(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new IllegalArgumentException("must be true or false");
        };
    }

    private static Duration range(Duration d, Duration min, Duration max) {
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new IllegalArgumentException("must be " + Durations.format(min) + " to " + Durations.format(max));
        }
        return d;
    }

    static int intRange(String s, int min, int max) {
        long v;
        try {
            v = Long.parseLong(s.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a whole number");
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException("must be " + min + "-" + max);
        }
        return (int) v;
    }

    /** A URL that holds a secret (user info, a password parameter) never reaches a message: none of it is shown. */
    static String masked(String key, String value) {
        if (!key.endsWith("-url") || !holdsSecret(value)) {
            return value;
        }
        return "*** (not shown: it holds a password)";
    }
}
