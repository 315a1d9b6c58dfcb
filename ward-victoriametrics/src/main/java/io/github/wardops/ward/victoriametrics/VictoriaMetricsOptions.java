package io.github.wardops.ward.victoriametrics;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.Secret;
import io.github.wardops.ward.Ticker;
import io.github.wardops.ward.sink.ResultSink;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Options of the VictoriaMetrics sink ({@link VictoriaMetricsSinks#create}). Immutable and
 * thread-safe; build with {@link #builder(URI)}, change with {@link #toBuilder()}.
 * {@link #toString()} never shows a credential.
 *
 * <p>Labels written on every sample: {@code device_id}, {@code device_ip}, {@code device_name},
 * then the {@linkplain #deviceLabels() device labels mapped} (by default the device's
 * {@code device_type} label as {@code device_type}), then the {@linkplain #staticLabels() static
 * labels}. Names that ward writes itself ({@link #RESERVED_LABELS}) cannot be configured.
 */
public final class VictoriaMetricsOptions {

    /** Label names the sink writes itself; configured labels may not use them. */
    public static final Set<String> RESERVED_LABELS =
            Set.of("device_id", "device_ip", "device_name", "check", "if_index", "if_name");

    /**
     * Label names the sink also writes in {@link Compat#V1} (on interface series); configured
     * labels may not use them then.
     */
    public static final Set<String> COMPAT_V1_LABELS = Set.of("interface_type", "isp_provider");

    /**
     * Extra series written so that the dashboards of the system ward replaced keep working.
     * ward's own series are written in every mode.
     */
    public enum Compat {
        /** ward's own series only (the default). */
        NONE,
        /**
         * Also the replaced system's raw interface counters, as it named them: for an
         * {@link io.github.wardops.ward.snmp.SnmpMeasurement SNMP poll},
         * {@code interface_if_hc_in_octets}, {@code interface_if_hc_out_octets},
         * {@code interface_if_hc_in_ucast_pkts}, {@code interface_if_hc_out_ucast_pkts} (64-bit
         * counters; {@code interface_if_in_octets} ... when the agent has only 32-bit ones),
         * {@code interface_if_in_errors}, {@code interface_if_out_errors},
         * {@code interface_if_in_discards}, {@code interface_if_out_discards} and
         * {@code interface_if_high_speed} (Mbit/s); and every {@code interface_*} series of an
         * SNMP poll (ward's own included, {@code interface_oper_status} among them) carries
         * {@code interface_type} (the interface's classification role) and
         * {@code isp_provider} (its {@code provider} attribute), each left out, so
         * {@code ""} to PromQL, when the interface has none.
         */
        V1
    }

    private final URI baseUri;
    private final String name;
    private final Map<String, String> staticLabels;
    private final Map<String, String> deviceLabels;
    private final Duration requestTimeout;
    private final int maxRetries;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration maxWriteTime;
    private final Duration closeTimeout;
    private final int maxBufferedSamples;
    private final int batchSize;
    private final boolean compress;
    private final String basicUser;
    private final Secret basicPassword;
    private final Secret bearerToken;
    private final Ticker ticker;
    private final Compat compat;

    private VictoriaMetricsOptions(Builder b) {
        this.baseUri = b.baseUri;
        this.name = b.name;
        this.staticLabels = Collections.unmodifiableMap(new LinkedHashMap<>(b.staticLabels));
        this.deviceLabels = Collections.unmodifiableMap(new LinkedHashMap<>(b.deviceLabels));
        this.requestTimeout = b.requestTimeout;
        this.maxRetries = b.maxRetries;
        this.initialBackoff = b.initialBackoff;
        this.maxBackoff = b.maxBackoff;
        this.maxWriteTime = b.maxWriteTime;
        this.closeTimeout = b.closeTimeout;
        this.maxBufferedSamples = b.maxBufferedSamples;
        this.batchSize = b.batchSize;
        this.compress = b.compress;
        this.basicUser = b.basicUser;
        this.basicPassword = b.basicPassword;
        this.bearerToken = b.bearerToken;
        this.ticker = b.ticker;
        this.compat = b.compat;
    }

    /**
     * A builder with the defaults and this server.
     *
     * @param baseUri the server's base URI, such as {@code http://127.0.0.1:8428}, or a
     *     vminsert prefix such as {@code http://vminsert:8480/insert/0/prometheus}; the sink
     *     appends {@code /api/v1/import/prometheus}. {@code http} or {@code https}, no user
     *     info, query or fragment.
     * @return the builder
     */
    public static Builder builder(URI baseUri) {
        return new Builder(baseUri);
    }

    /**
     * A builder holding these options.
     *
     * @return the builder
     */
    public Builder toBuilder() {
        Builder b = new Builder(baseUri);
        b.name = name;
        b.staticLabels.putAll(staticLabels);
        b.deviceLabels.clear();
        b.deviceLabels.putAll(deviceLabels);
        b.requestTimeout = requestTimeout;
        b.maxRetries = maxRetries;
        b.initialBackoff = initialBackoff;
        b.maxBackoff = maxBackoff;
        b.maxWriteTime = maxWriteTime;
        b.closeTimeout = closeTimeout;
        b.maxBufferedSamples = maxBufferedSamples;
        b.batchSize = batchSize;
        b.compress = compress;
        b.basicUser = basicUser;
        b.basicPassword = basicPassword;
        b.bearerToken = bearerToken;
        b.ticker = ticker;
        b.compat = compat;
        return b;
    }

    /**
     * The server's base URI.
     *
     * @return the server's base URI
     */
    public URI baseUri() {
        return baseUri;
    }

    /**
     * The import URI: the base URI followed by {@code /api/v1/import/prometheus}.
     *
     * @return the import URI: the base URI followed by {@code /api/v1/import/prometheus}
     */
    public URI importUri() {
        String s = baseUri.toString();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return URI.create(s + "/api/v1/import/prometheus");
    }

    /**
     * The sink's name: its {@code sink} meter tag and its name in logs.
     *
     * @return the sink's name: its {@code sink} meter tag and its name in logs
     */
    public String name() {
        return name;
    }

    /**
     * Labels written on every sample, name to value, in order.
     *
     * @return labels written on every sample, name to value, in order
     */
    public Map<String, String> staticLabels() {
        return staticLabels;
    }

    /**
     * Device label key to metric label name, in order; a device without the key gets no such label.
     *
     * @return device label key to metric label name, in order; a device without the key gets no such label
     */
    public Map<String, String> deviceLabels() {
        return deviceLabels;
    }

    /**
     * The longest one request may take, connecting included.
     *
     * @return the longest one request may take, connecting included
     */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /**
     * How many times a failed request is retried (0 = one attempt only).
     *
     * @return how many times a failed request is retried (0 = one attempt only)
     */
    public int maxRetries() {
        return maxRetries;
    }

    /**
     * The wait before the first retry; it doubles on each retry, up to {@link #maxBackoff()}.
     *
     * @return the wait before the first retry; it doubles on each retry, up to {@link #maxBackoff()}
     */
    public Duration initialBackoff() {
        return initialBackoff;
    }

    /**
     * The longest wait between two retries.
     *
     * @return the longest wait between two retries
     */
    public Duration maxBackoff() {
        return maxBackoff;
    }

    /**
     * The longest one {@link ResultSink#write} call may take, retries and waits included.
     *
     * @return the longest one {@link ResultSink#write} call may take, retries and waits included
     */
    public Duration maxWriteTime() {
        return maxWriteTime;
    }

    /**
     * The longest {@link ResultSink#close()} spends flushing what is buffered.
     *
     * @return the longest {@link ResultSink#close()} spends flushing what is buffered
     */
    public Duration closeTimeout() {
        return closeTimeout;
    }

    /**
     * The most samples kept while the server cannot take them; the oldest are dropped first.
     *
     * @return the most samples kept while the server cannot take them; the oldest are dropped first
     */
    public int maxBufferedSamples() {
        return maxBufferedSamples;
    }

    /**
     * The most samples in one request.
     *
     * @return the most samples in one request
     */
    public int batchSize() {
        return batchSize;
    }

    /**
     * Whether request bodies are gzip-compressed.
     *
     * @return whether request bodies are gzip-compressed
     */
    public boolean compress() {
        return compress;
    }

    /**
     * The ticker that measures the sink's time: the {@link #maxWriteTime()} and
     * {@link #closeTimeout()} deadlines and the backoff waits between retries.
     *
     * @return the ticker; {@link Ticker#system()} unless set
     */
    public Ticker ticker() {
        return ticker;
    }

    /**
     * The compatibility series written besides ward's own.
     *
     * @return the mode; {@link Compat#NONE} unless set
     */
    public Compat compat() {
        return compat;
    }

    /**
     * The basic-auth user name, if basic auth is set.
     *
     * @return the basic-auth user name, if basic auth is set
     */
    public Optional<String> basicAuthUser() {
        return Optional.ofNullable(basicUser);
    }

    /**
     * The basic-auth password, if basic auth is set.
     *
     * @return the basic-auth password, if basic auth is set
     */
    public Optional<Secret> basicAuthPassword() {
        return Optional.ofNullable(basicPassword);
    }

    /**
     * The bearer token, if set.
     *
     * @return the bearer token, if set
     */
    public Optional<Secret> bearerToken() {
        return Optional.ofNullable(bearerToken);
    }

    @Override
    public String toString() {
        String auth = bearerToken != null ? "bearer(***)" : basicUser != null ? "basic(" + basicUser + ", ***)" : "none";
        return "VictoriaMetricsOptions{baseUri=" + baseUri + ", name=" + name + ", staticLabels=" + staticLabels
                + ", deviceLabels=" + deviceLabels + ", requestTimeout=" + requestTimeout + ", maxRetries=" + maxRetries
                + ", backoff=" + initialBackoff + ".." + maxBackoff + ", maxWriteTime=" + maxWriteTime
                + ", closeTimeout=" + closeTimeout + ", maxBufferedSamples=" + maxBufferedSamples
                + ", batchSize=" + batchSize + ", compress=" + compress + ", compat=" + compat + ", auth=" + auth + "}";
    }

    /**
     * Builds {@link VictoriaMetricsOptions}; {@link #build()} reports every invalid value at once.
     * Not thread-safe.
     */
    public static final class Builder {
        private URI baseUri;
        private String name = "victoriametrics";
        private final Map<String, String> staticLabels = new LinkedHashMap<>();
        private final Map<String, String> deviceLabels = new LinkedHashMap<>(Map.of("device_type", "device_type"));
        private Duration requestTimeout = Duration.ofSeconds(10);
        private int maxRetries = 3;
        private Duration initialBackoff = Duration.ofMillis(200);
        private Duration maxBackoff = Duration.ofSeconds(5);
        private Duration maxWriteTime = Duration.ofSeconds(30);
        private Duration closeTimeout = Duration.ofSeconds(5);
        private int maxBufferedSamples = 100_000;
        private int batchSize = 10_000;
        private boolean compress = true;
        private String basicUser;
        private Secret basicPassword;
        private Secret bearerToken;
        private Ticker ticker = Ticker.system();
        private Compat compat = Compat.NONE;
        private final List<String> early = new ArrayList<>();

        private Builder(URI baseUri) {
            this.baseUri = baseUri;
        }

        /**
         * Sets the server's base URI (see {@link VictoriaMetricsOptions#builder(URI)}).
         *
         * @param uri the URI
         * @return this builder
         */
        public Builder baseUri(URI uri) {
            this.baseUri = uri;
            return this;
        }

        /**
         * Sets the sink's name (default {@code victoriametrics}): its {@code sink} meter tag.
         * Give each sink on one meter registry its own name, or their meters are shared.
         *
         * @param sinkName the name; not blank
         * @return this builder
         */
        public Builder name(String sinkName) {
            this.name = sinkName;
            return this;
        }

        /**
         * Adds a label written on every sample, such as {@code site="tbilisi-dc"}.
         *
         * @param labelName a valid label name ({@code [a-zA-Z_][a-zA-Z0-9_]*}, not starting
         *     with {@code __}, not one of {@link #RESERVED_LABELS} or a mapped device label)
         * @param value the value; never {@code null}
         * @return this builder
         */
        public Builder label(String labelName, String value) {
            if (staticLabels.containsKey(labelName)) {
                early.add("label '" + labelName + "' is set twice");
            }
            staticLabels.put(labelName, value);
            return this;
        }

        /**
         * Writes a device label as a metric label: {@code deviceLabel("region", "region")}.
         * Replaces an earlier mapping of the same device label key.
         *
         * @param deviceLabelKey the key in {@link io.github.wardops.ward.inventory.Device#labels()}
         * @param labelName the metric label name (rules as for {@link #label})
         * @return this builder
         */
        public Builder deviceLabel(String deviceLabelKey, String labelName) {
            deviceLabels.put(deviceLabelKey, labelName);
            return this;
        }

        /**
         * Replaces every device label mapping (the default maps {@code device_type} to
         * {@code device_type}; pass an empty map for none).
         *
         * @param mapping device label key to metric label name; never {@code null}
         * @return this builder
         */
        public Builder deviceLabels(Map<String, String> mapping) {
            deviceLabels.clear();
            if (mapping == null) {
                early.add("deviceLabels must not be null");
            } else {
                deviceLabels.putAll(mapping);
            }
            return this;
        }

        /**
         * Sets the longest one request may take, connecting included (1 ms-5 min; default 10 s).
         *
         * @param timeout the timeout
         * @return this builder
         */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = timeout;
            return this;
        }

        /**
         * Sets retries with exponential backoff: a failed request (no answer, a timeout, HTTP
         * 401, 403, 404, 408, 429 or 5xx) is retried up to {@code maxRetries} times (0-100; default 3), waiting
         * {@code initial} (default 200 ms), then twice as long each time, up to {@code max}
         * (default 5 s), with jitter (each wait is 50-100 % of its nominal length).
         *
         * @param maxRetries retries after the first attempt
         * @param initial the first wait (0-1 min)
         * @param max the longest wait (at least {@code initial}, at most 10 min)
         * @return this builder
         */
        public Builder retries(int maxRetries, Duration initial, Duration max) {
            this.maxRetries = maxRetries;
            this.initialBackoff = initial;
            this.maxBackoff = max;
            return this;
        }

        /**
         * Sets the longest one write may take, retries and waits included (1 ms-10 min; default
         * 30 s). What is not sent in time stays buffered for the next write.
         *
         * @param max the bound
         * @return this builder
         */
        public Builder maxWriteTime(Duration max) {
            this.maxWriteTime = max;
            return this;
        }

        /**
         * Sets the longest close spends flushing (0-10 min; default 5 s). What is left is
         * dropped and counted ({@code reason=shutdown}).
         *
         * @param timeout the bound
         * @return this builder
         */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = timeout;
            return this;
        }

        /**
         * Sets the most samples kept while the server cannot take them (1-10,000,000; default
         * 100,000). When full, the oldest samples are dropped and counted
         * ({@code reason=buffer_full}).
         *
         * @param max the bound
         * @return this builder
         */
        public Builder maxBufferedSamples(int max) {
            this.maxBufferedSamples = max;
            return this;
        }

        /**
         * Sets the most samples in one request (1-1,000,000; default 10,000).
         *
         * @param size the batch size
         * @return this builder
         */
        public Builder batchSize(int size) {
            this.batchSize = size;
            return this;
        }

        /**
         * Sets whether request bodies are gzip-compressed (default {@code true}).
         *
         * @param on whether to compress
         * @return this builder
         */
        public Builder compress(boolean on) {
            this.compress = on;
            return this;
        }

        /**
         * Sets the ticker that measures the sink's time (default {@link Ticker#system()}): the
         * {@code maxWriteTime} and {@code closeTimeout} deadlines, and the backoff waits between
         * retries, which end when the ticker reaches them (a fake ticker that jumps wakes the
         * waiting writer through {@link Ticker#onAdvance}). A single request's timeout
         * ({@code requestTimeout}) is network time, kept by the HTTP client in real time, though
         * it is cut short to what is left of the write's deadline.
         *
         * @param source the ticker; never {@code null}
         * @return this builder
         */
        public Builder ticker(Ticker source) {
            this.ticker = source;
            if (source == null) {
                early.add("ticker must not be null");
            }
            return this;
        }

        /**
         * Sets the compatibility series written besides ward's own (default {@link Compat#NONE});
         * {@link Compat#V1} keeps the replaced system's interface dashboards working.
         *
         * @param mode the mode; never {@code null}
         * @return this builder
         */
        public Builder compat(Compat mode) {
            this.compat = mode;
            if (mode == null) {
                early.add("compat must not be null");
            }
            return this;
        }

        /**
         * Authenticates with HTTP basic auth (vmauth, a reverse proxy). Not with a bearer token.
         *
         * @param user the user name; not blank, no {@code :}
         * @param password the password
         * @return this builder
         */
        public Builder basicAuth(String user, Secret password) {
            this.basicUser = user;
            this.basicPassword = password;
            if (user == null || password == null) {
                early.add("basicAuth needs a user and a password");
            }
            return this;
        }

        /**
         * Authenticates with a bearer token. Not with basic auth.
         *
         * @param token the token
         * @return this builder
         */
        public Builder bearerToken(Secret token) {
            this.bearerToken = token;
            if (token == null) {
                early.add("bearerToken must not be null");
            }
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the options
         * @throws InvalidConfigurationException listing every invalid value
         */
        public VictoriaMetricsOptions build() {
            List<String> p = new ArrayList<>(early);
            checkUri(p);
            if (name == null || name.isBlank()) {
                p.add("name = '" + name + "': must not be blank");
            }
            Set<String> used = new HashSet<>(RESERVED_LABELS);
            Set<String> targets = new HashSet<>();
            for (Map.Entry<String, String> e : deviceLabels.entrySet()) {
                if (e.getKey() == null || e.getKey().isBlank()) {
                    p.add("deviceLabel key '" + e.getKey() + "': must not be blank");
                }
                checkLabelName(p, "deviceLabel '" + e.getKey() + "' -> '" + e.getValue() + "'", e.getValue());
                checkCompatLabel(p, "deviceLabel '" + e.getKey() + "' -> '" + e.getValue() + "'", e.getValue());
                if (e.getValue() != null && !targets.add(e.getValue())) {
                    p.add("deviceLabel '" + e.getKey() + "' -> '" + e.getValue() + "': two device labels map to the same label");
                }
            }
            used.addAll(targets);
            for (Map.Entry<String, String> e : staticLabels.entrySet()) {
                checkLabelName(p, "label '" + e.getKey() + "'", e.getKey());
                checkCompatLabel(p, "label '" + e.getKey() + "'", e.getKey());
                if (e.getKey() != null && targets.contains(e.getKey())) {
                    p.add("label '" + e.getKey() + "': also a mapped device label");
                }
                if (e.getValue() == null) {
                    p.add("label '" + e.getKey() + "': value must not be null");
                }
            }
            range(p, "requestTimeout", requestTimeout, Duration.ofMillis(1), Duration.ofMinutes(5));
            if (maxRetries < 0 || maxRetries > 100) {
                p.add("maxRetries = " + maxRetries + ": must be 0-100");
            }
            range(p, "initialBackoff", initialBackoff, Duration.ZERO, Duration.ofMinutes(1));
            range(p, "maxBackoff", maxBackoff, Duration.ZERO, Duration.ofMinutes(10));
            if (initialBackoff != null && maxBackoff != null && maxBackoff.compareTo(initialBackoff) < 0) {
                p.add("maxBackoff = " + maxBackoff + ": must not be shorter than initialBackoff = " + initialBackoff);
            }
            range(p, "maxWriteTime", maxWriteTime, Duration.ofMillis(1), Duration.ofMinutes(10));
            range(p, "closeTimeout", closeTimeout, Duration.ZERO, Duration.ofMinutes(10));
            if (maxBufferedSamples < 1 || maxBufferedSamples > 10_000_000) {
                p.add("maxBufferedSamples = " + maxBufferedSamples + ": must be 1-10000000");
            }
            if (batchSize < 1 || batchSize > 1_000_000) {
                p.add("batchSize = " + batchSize + ": must be 1-1000000");
            }
            if (basicUser != null && (basicUser.isBlank() || basicUser.indexOf(':') >= 0)) {
                p.add("basicAuth user '" + basicUser + "': must not be blank or contain ':'");
            }
            if (bearerToken != null && bearerToken.isEmpty()) {
                p.add("bearerToken: must not be empty");
            }
            if (bearerToken != null && (basicUser != null || basicPassword != null)) {
                p.add("basicAuth and bearerToken: set one, not both");
            }
            if (!p.isEmpty()) {
                throw new InvalidConfigurationException("VictoriaMetricsOptions", p);
            }
            return new VictoriaMetricsOptions(this);
        }

        private void checkUri(List<String> p) {
            if (baseUri == null) {
                p.add("baseUri must be set");
                return;
            }
            if (baseUri.getRawUserInfo() != null) {
                // never echo the URI: its user info may hold a password
                p.add("baseUri holds user info: use basicAuth(user, Secret) instead");
                return;
            }
            String scheme = baseUri.getScheme() == null ? null : baseUri.getScheme().toLowerCase(Locale.ROOT);
            if (!"http".equals(scheme) && !"https".equals(scheme)) {
                p.add("baseUri = " + baseUri + ": scheme must be http or https");
            }
            if (baseUri.isOpaque() || baseUri.getHost() == null) {
                p.add("baseUri = " + baseUri + ": must name a host");
            }
            if (baseUri.getRawQuery() != null || baseUri.getRawFragment() != null) {
                p.add("baseUri = " + baseUri + ": must have no query or fragment");
            }
        }

        private void checkCompatLabel(List<String> p, String what, String labelName) {
            if (compat == Compat.V1 && COMPAT_V1_LABELS.contains(labelName)) {
                p.add(what + ": ward writes this label itself in compat V1");
            }
        }

        private static void checkLabelName(List<String> p, String what, String labelName) {
            if (labelName == null || labelName.isEmpty()) {
                p.add(what + ": label name must not be empty");
            } else if (!io.github.wardops.ward.victoriametrics.internal.PrometheusText.isValidLabelName(labelName)) {
                p.add(what + ": not a valid label name (letters, digits, '_', not starting with a digit)");
            } else if (labelName.startsWith("__")) {
                p.add(what + ": names starting with '__' are reserved");
            } else if (RESERVED_LABELS.contains(labelName)) {
                p.add(what + ": ward writes this label itself");
            }
        }

        private static void range(List<String> p, String field, Duration d, Duration min, Duration max) {
            if (d == null) {
                p.add(field + " must be set");
            } else if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                p.add(field + " = " + d + ": must be " + min + " to " + max);
            }
        }
    }
}
