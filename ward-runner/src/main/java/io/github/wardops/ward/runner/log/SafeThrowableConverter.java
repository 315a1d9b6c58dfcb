package io.github.wardops.ward.runner.log;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;

/**
 * {@code %safeEx} in the runner's {@code logback.xml}: the stack trace as Logback prints it, one
 * frame per line, with the message of every throwable in it (causes and suppressed ones included)
 * escaped and masked ({@link LogText#clean}). Thread-safe.
 */
public final class SafeThrowableConverter extends ThrowableProxyConverter {
    /** Created by Logback. */
    public SafeThrowableConverter() {
    }

    @Override
    protected String throwableProxyToString(IThrowableProxy tp) {
        return super.throwableProxyToString(SafeThrowableProxy.of(tp));
    }
}
