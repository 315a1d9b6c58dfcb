package io.github.wardops.ward.alert;

import io.github.wardops.ward.internal.alert.LoggingNotifier;
import io.github.wardops.ward.internal.alert.WebhookNotifier;

/**
 * Delivers notifications somewhere (SPI). ward calls {@link #send} from one delivery thread per
 * notifier, never concurrently for one notifier, behind a bounded queue; a send that throws is
 * retried with exponential backoff up to {@link DeliveryOptions#maxAttempts()} times, and then
 * counted as failed ({@code ward.notifications.failed}). A notification that finds the queue
 * full is dropped and counted ({@code ward.notifications.dropped}). Implementations must bound
 * their own time (an HTTP timeout, say). ward does not close a notifier handed to it.
 */
public interface Notifier extends AutoCloseable {

    /**
     * A short name for meters and logs, such as {@code "webhook"}.
     *
     * @return the name; never {@code null}
     */
    String name();

    /**
     * Delivers one notification, blocking until done.
     *
     * @param notification the notification; never {@code null}
     * @throws Exception when delivery failed (it is retried)
     */
    void send(Notification notification) throws Exception;

    /**
     * Releases what the notifier holds (the webhook's HTTP client, say). The default does
     * nothing. ward never calls it on a notifier handed to it: the caller closes its notifiers.
     */
    @Override
    default void close() {
    }

    /**
     * A notifier that writes each notification as one log line (SLF4J logger
     * {@code io.github.wardops.ward.alert.notifications}, INFO).
     *
     * @return the notifier
     */
    static Notifier logging() {
        return new LoggingNotifier();
    }

    /**
     * A notifier that POSTs each notification as JSON through the JDK HTTP client, signed with
     * HMAC-SHA256 when a secret is set.
     *
     * @param options the webhook's options; never {@code null}
     * @return the notifier
     */
    static Notifier webhook(WebhookOptions options) {
        return new WebhookNotifier(options);
    }
}
