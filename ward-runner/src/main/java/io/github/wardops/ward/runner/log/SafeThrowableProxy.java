package io.github.wardops.ward.runner.log;

import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;

/** A throwable as Logback sees it, with every message cleaned ({@link LogText#clean}). Immutable. */
final class SafeThrowableProxy implements IThrowableProxy {
    private final IThrowableProxy delegate;

    private SafeThrowableProxy(IThrowableProxy delegate) {
        this.delegate = delegate;
    }

    /** The wrapped throwable, or {@code null} for {@code null}. */
    static IThrowableProxy of(IThrowableProxy tp) {
        return tp == null || tp instanceof SafeThrowableProxy ? tp : new SafeThrowableProxy(tp);
    }

    @Override
    public String getOverridingMessage() {
        return LogText.clean(delegate.getOverridingMessage());
    }

    @Override
    public String getMessage() {
        return LogText.clean(delegate.getMessage());
    }

    @Override
    public String getClassName() {
        String name = delegate.getClassName();
        return name == null ? null : LogText.escape(name);
    }

    @Override
    public StackTraceElementProxy[] getStackTraceElementProxyArray() {
        return delegate.getStackTraceElementProxyArray();
    }

    @Override
    public int getCommonFrames() {
        return delegate.getCommonFrames();
    }

    @Override
    public IThrowableProxy getCause() {
        return of(delegate.getCause());
    }

    @Override
    public IThrowableProxy[] getSuppressed() {
        IThrowableProxy[] s = delegate.getSuppressed();
        if (s == null) {
            return null;
        }
        IThrowableProxy[] out = new IThrowableProxy[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = of(s[i]);
        }
        return out;
    }

    @Override
    public boolean isCyclic() {
        return delegate.isCyclic();
    }
}
