package io.github.wardops.ward.runner.log;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggerContextListener;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * What the runner does to its logging before anything else runs, whatever the Logback
 * configuration: the {@link ProtocolTraceFilter} is installed (and installed again when the
 * configuration is reloaded), and {@code java.util.logging}, which the PostgreSQL driver uses,
 * goes through Logback too (so its lines are escaped and masked like the others) with the
 * driver's loggers held at INFO: below that it traces its wire protocol, password messages
 * included. Thread-safe; {@link #install()} is idempotent.
 */
public final class LogSafety {
    /** The {@code java.util.logging} loggers held at INFO; kept here, as JUL holds its loggers weakly. */
    private static final List<java.util.logging.Logger> HELD = List.of(java.util.logging.Logger.getLogger("org.postgresql"),
            java.util.logging.Logger.getLogger("org.snmp4j"));
    private static boolean julBridged;

    private LogSafety() {
    }

    /** Installs the filter and the JUL bridge. Idempotent. */
    public static synchronized void install() {
        for (java.util.logging.Logger l : HELD) {
            l.setLevel(Level.INFO);
        }
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx) {
            install(ctx);
            if (!julBridged) {
                java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
                for (Handler h : root.getHandlers()) {
                    root.removeHandler(h);
                }
                root.addHandler(new JulBridge());
                julBridged = true;
            }
        }
    }

    /**
     * Installs the {@link ProtocolTraceFilter} in a context, and a listener that installs it again
     * after every reset of the context. Idempotent.
     *
     * @param ctx the context
     */
    static synchronized void install(LoggerContext ctx) {
        addFilter(ctx);
        if (ctx.getCopyOfListenerList().stream().noneMatch(l -> l instanceof Reinstall)) {
            ctx.addListener(new Reinstall());
        }
    }

    private static void addFilter(LoggerContext ctx) {
        boolean present = ctx.getTurboFilterList().stream().anyMatch(f -> f instanceof ProtocolTraceFilter);
        if (!present) {
            ProtocolTraceFilter f = new ProtocolTraceFilter();
            f.setContext(ctx);
            f.start();
            ctx.addTurboFilter(f);
        }
    }

    /** Puts the filter back after a reset (a configuration reloaded or replaced). */
    private static final class Reinstall extends ContextAwareBase implements LoggerContextListener {
        @Override
        public boolean isResetResistant() {
            return true;
        }

        @Override
        public void onStart(LoggerContext context) {
            addFilter(context);
        }

        @Override
        public void onReset(LoggerContext context) {
            addFilter(context);
        }

        @Override
        public void onStop(LoggerContext context) {
        }

        @Override
        public void onLevelChange(ch.qos.logback.classic.Logger logger, ch.qos.logback.classic.Level level) {
        }
    }

    /** {@code java.util.logging} records to SLF4J, at the matching level, message formatted. */
    static final class JulBridge extends Handler {
        private final java.util.logging.Formatter formatter = new java.util.logging.SimpleFormatter();

        @Override
        public void publish(LogRecord r) {
            if (r == null) {
                return;
            }
            org.slf4j.Logger log = LoggerFactory.getLogger(r.getLoggerName() == null ? "jul" : r.getLoggerName());
            int v = r.getLevel().intValue();
            org.slf4j.event.Level level = v >= Level.SEVERE.intValue() ? org.slf4j.event.Level.ERROR
                    : v >= Level.WARNING.intValue() ? org.slf4j.event.Level.WARN
                    : v >= Level.CONFIG.intValue() ? org.slf4j.event.Level.INFO
                    : v >= Level.FINE.intValue() ? org.slf4j.event.Level.DEBUG : org.slf4j.event.Level.TRACE;
            if (!log.isEnabledForLevel(level)) {
                return;
            }
            LoggingEventBuilder b = log.atLevel(level);
            if (r.getThrown() != null) {
                b = b.setCause(r.getThrown());
            }
            b.log(formatter.formatMessage(r));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
