package io.github.wardops.ward.runner.log;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * {@code %safeMsg} in the runner's {@code logback.xml}: the formatted message with control
 * characters escaped and secrets masked ({@link LogText#clean}). Thread-safe.
 */
public final class SafeMessageConverter extends ClassicConverter {
    /** Created by Logback. */
    public SafeMessageConverter() {
    }

    @Override
    public String convert(ILoggingEvent event) {
        return LogText.clean(event.getFormattedMessage());
    }
}
