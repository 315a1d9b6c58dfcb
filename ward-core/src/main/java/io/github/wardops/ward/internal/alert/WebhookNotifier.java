package io.github.wardops.ward.internal.alert;

import io.github.wardops.ward.WardException;
import io.github.wardops.ward.alert.Notification;
import io.github.wardops.ward.alert.Notifier;
import io.github.wardops.ward.alert.WebhookOptions;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * POSTs notifications as JSON through the JDK HTTP client; a non-2xx answer is a failure (and
 * is retried by the delivery loop). Signs the body with HMAC-SHA256 when a secret is set. Error
 * messages name the host and status, never the secret or the full URI. Thread-safe.
 */
public final class WebhookNotifier implements Notifier {
    private final WebhookOptions options;
    private final HttpClient client;

    /**
     * Creates the notifier and its HTTP client.
     *
     * @param options the options
     */
    public WebhookNotifier(WebhookOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.client = HttpClient.newBuilder().connectTimeout(options.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public String name() {
        return "webhook";
    }

    @Override
    public void send(Notification notification) throws IOException, InterruptedException {
        String body = NotificationJson.json(notification);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder b = HttpRequest.newBuilder(options.uri()).timeout(options.timeout())
                .header("Content-Type", "application/json; charset=utf-8")
                .header("X-Ward-Event", NotificationJson.type(notification))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        if (options.secret() != null) {
            b.header(WebhookOptions.SIGNATURE_HEADER, "sha256=" + sign(options.secret().revealBytes(), bytes));
        }
        HttpResponse<Void> r = client.send(b.build(), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() / 100 != 2) {
            throw new WardException("webhook at " + options.uri().getHost() + " answered HTTP " + r.statusCode());
        }
    }

    /**
     * The lower-case hex HMAC-SHA256 of a body.
     *
     * @param key the key
     * @param body the body
     * @return the hex signature
     */
    public static String sign(byte[] key, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new WardException("HmacSHA256 is not available", e);
        }
    }

    @Override
    public void close() {
        client.close();
    }

    @Override
    public String toString() {
        return "WebhookNotifier[" + options.uri().getHost() + (options.secret() != null ? ", signed" : "") + "]";
    }
}
