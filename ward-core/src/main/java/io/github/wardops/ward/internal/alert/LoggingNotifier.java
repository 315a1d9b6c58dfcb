package io.github.wardops.ward.internal.alert;

import io.github.wardops.ward.alert.Notification;
import io.github.wardops.ward.alert.Notifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes each notification as one INFO line. Thread-safe. */
public final class LoggingNotifier implements Notifier {
    private static final Logger LOG = LoggerFactory.getLogger("io.github.wardops.ward.alert.notifications");

    @Override
    public String name() {
        return "log";
    }

    @Override
    public void send(Notification notification) {
        LOG.info("{}", NotificationJson.line(notification));
    }
}
