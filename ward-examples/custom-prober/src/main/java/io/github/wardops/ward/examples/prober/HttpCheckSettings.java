package io.github.wardops.ward.examples.prober;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.inventory.Check;
import io.github.wardops.ward.inventory.CheckSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The settings of an HTTP(S) health check: which URL path and port to ask, over TLS or not, which
 * status codes count as healthy, and how long the request may take. Immutable and thread-safe.
 *
 * <p>The device's address is the host; the request is a {@code GET} that does not follow
 * redirects (a 3xx is judged against the expected range like any other status).
 *
 * @param path the request path and optional query, starting with {@code /}; printable ASCII only,
 *     at most 1,024 characters; never {@code null}
 * @param port the TCP port, 1-65535
 * @param https whether to use TLS
 * @param minStatus the lowest healthy status code, 100-599
 * @param maxStatus the highest healthy status code, {@code minStatus}-599
 * @param timeout how long the request may take until the response headers arrive (connecting
 *     included); 1 ms to 5 minutes; never {@code null}
 */
public record HttpCheckSettings(String path, int port, boolean https, int minStatus, int maxStatus, Duration timeout)
        implements CheckSettings {
    /** The check type, and the type of {@link HttpProber}. */
    public static final String TYPE = "http";
    private static final Pattern PATH = Pattern.compile("/[\\x21-\\x7e]{0,1023}");
    private static final Duration MAX_TIMEOUT = Duration.ofMinutes(5);

    /**
     * Validates, reporting every invalid setting at once.
     *
     * @throws InvalidConfigurationException listing every invalid setting
     */
    public HttpCheckSettings {
        List<String> problems = new ArrayList<>();
        if (path == null || !PATH.matcher(path).matches()) {
            problems.add("path = " + quoted(path) + ": must start with / and hold 1-1024 printable ASCII characters, no spaces");
        } else if (!validUriPath(path)) {
            problems.add("path = " + quoted(path) + ": is not a valid URI path and query (escape characters such as | { } with %XX)");
        }
        if (port < 1 || port > 65535) {
            problems.add("port = " + port + ": must be 1-65535");
        }
        if (minStatus < 100 || minStatus > 599) {
            problems.add("minStatus = " + minStatus + ": must be 100-599");
        }
        if (maxStatus < 100 || maxStatus > 599) {
            problems.add("maxStatus = " + maxStatus + ": must be 100-599");
        } else if (maxStatus < minStatus) {
            problems.add("maxStatus = " + maxStatus + ": must not be below minStatus " + minStatus);
        }
        if (timeout == null || timeout.compareTo(Duration.ofMillis(1)) < 0 || timeout.compareTo(MAX_TIMEOUT) > 0) {
            problems.add("timeout = " + timeout + ": must be 1 ms to 5 min");
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException("HttpCheckSettings", problems);
        }
    }

    private static boolean validUriPath(String p) {
        try {
            java.net.URI u = new java.net.URI("http://host" + p);
            return u.getFragment() == null && "host".equals(u.getHost());
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private static String quoted(String s) {
        if (s == null) {
            return "null";
        }
        String shown = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return "'" + shown.replaceAll("\\p{Cntrl}", "?") + "'";
    }

    /**
     * A builder with the defaults: path {@code /}, port 80, plain HTTP, statuses 200-399 healthy,
     * a 2 s timeout.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String type() {
        return TYPE;
    }

    /**
     * Whether a status code counts as healthy.
     *
     * @param status the HTTP status code
     * @return whether it lies in {@code minStatus..maxStatus}
     */
    public boolean healthy(int status) {
        return status >= minStatus && status <= maxStatus;
    }

    /**
     * A check with these settings whose timeout is this request timeout.
     *
     * @param name the check's name, such as {@code "http:8080"}
     * @param interval the interval; not below the request timeout
     * @return the check
     * @throws IllegalArgumentException when {@link Check} rejects the name or interval
     */
    public Check check(String name, Duration interval) {
        return new Check(name, this, interval, timeout);
    }

    /** Builds {@link HttpCheckSettings}; {@link #build()} reports every problem at once. Not thread-safe. */
    public static final class Builder {
        private String path = "/";
        private int port = 80;
        private boolean https;
        private int minStatus = 200;
        private int maxStatus = 399;
        private Duration timeout = Duration.ofSeconds(2);

        private Builder() {
        }

        /**
         * Sets the request path (default {@code /}).
         *
         * @param p the path, such as {@code /health}
         * @return this builder
         */
        public Builder path(String p) {
            this.path = p;
            return this;
        }

        /**
         * Sets the port (default 80).
         *
         * @param p the port
         * @return this builder
         */
        public Builder port(int p) {
            this.port = p;
            return this;
        }

        /**
         * Sets whether to use TLS (default {@code false}).
         *
         * @param on whether to use HTTPS
         * @return this builder
         */
        public Builder https(boolean on) {
            this.https = on;
            return this;
        }

        /**
         * Sets the healthy status range (default 200-399).
         *
         * @param min the lowest healthy status
         * @param max the highest healthy status
         * @return this builder
         */
        public Builder expectStatus(int min, int max) {
            this.minStatus = min;
            this.maxStatus = max;
            return this;
        }

        /**
         * Sets the request timeout (default 2 s).
         *
         * @param t the timeout
         * @return this builder
         */
        public Builder timeout(Duration t) {
            this.timeout = t;
            return this;
        }

        /**
         * Builds the settings.
         *
         * @return the settings
         * @throws InvalidConfigurationException listing every invalid setting
         */
        public HttpCheckSettings build() {
            return new HttpCheckSettings(path, port, https, minStatus, maxStatus, timeout);
        }
    }
}
