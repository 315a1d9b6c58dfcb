package io.github.wardops.ward.alert;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A webhook's settings. With a secret, every request carries the header
 * {@value #SIGNATURE_HEADER}{@code : sha256=<hex>}, the HMAC-SHA256 of the request body under the
 * secret, so a receiver can verify it. The secret is never logged; {@link #toString()} masks it.
 * Immutable.
 *
 * @param uri the endpoint, {@code http} or {@code https}; never {@code null}
 * @param secret the HMAC key, or {@code null} for unsigned requests
 * @param timeout the request timeout, 1 ms-5 min
 */
public record WebhookOptions(URI uri, Secret secret, Duration timeout) {
    /** The signature header's name. */
    public static final String SIGNATURE_HEADER = "X-Ward-Signature";
    /** The request timeout of {@link #of(URI)}: 10 s, for each delivery attempt. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /**
     * Validates every setting at once.
     *
     * @throws InvalidConfigurationException listing every invalid setting
     */
    public WebhookOptions {
        List<String> p = new ArrayList<>();
        if (uri == null || uri.getScheme() == null || uri.getHost() == null
                || !List.of("http", "https").contains(uri.getScheme().toLowerCase(Locale.ROOT))) {
            p.add("uri = " + uri + ": must be an absolute http or https URI");
        }
        if (secret != null && secret.isEmpty()) {
            p.add("secret: must not be empty (use null for unsigned requests)");
        }
        if (timeout == null || timeout.compareTo(Duration.ofMillis(1)) < 0 || timeout.compareTo(Duration.ofMinutes(5)) > 0) {
            p.add("timeout = " + timeout + ": must be 1 ms-5 min");
        }
        if (!p.isEmpty()) {
            throw new InvalidConfigurationException("WebhookOptions", p);
        }
    }

    /**
     * Unsigned requests with a 10 s timeout.
     *
     * @param uri the endpoint
     * @return the options
     */
    public static WebhookOptions of(URI uri) {
        return new WebhookOptions(uri, null, DEFAULT_TIMEOUT);
    }

    /**
     * A copy that signs requests.
     *
     * @param key the HMAC key; never {@code null}
     * @return the options
     */
    public WebhookOptions withSecret(Secret key) {
        return new WebhookOptions(uri, key, timeout);
    }
}
