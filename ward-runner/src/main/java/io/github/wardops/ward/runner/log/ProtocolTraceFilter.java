package io.github.wardops.ward.runner.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.List;
import org.slf4j.Marker;

/**
 * Keeps the protocol traces of the clients ward drives out of the log, at every level setting:
 * at TRACE, Lettuce writes every command it sends, {@code AUTH} and {@code HELLO} with their
 * password included, and Netty and the PostgreSQL driver trace their wire traffic. Events below
 * DEBUG from those libraries are denied, whatever the configuration says (their {@code
 * isTraceEnabled()} answers {@code false}); every other event is left to the configuration.
 * Installed by the runner's {@code logback.xml} and again by {@link LogSafety#install()}, so a
 * configuration of one's own keeps it. Thread-safe.
 */
public final class ProtocolTraceFilter extends TurboFilter {
    /** The logger name prefixes whose TRACE events are denied. */
    public static final List<String> PROTOCOL_LOGGERS = List.of("io.lettuce.", "io.netty.", "org.postgresql.", "org.snmp4j.",
            "com.zaxxer.hikari.");

    /** Created by Logback or {@link LogSafety}. */
    public ProtocolTraceFilter() {
        setName("ward-protocol-trace-filter");
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (level == null || level.levelInt >= Level.DEBUG_INT || logger == null) {
            return FilterReply.NEUTRAL;
        }
        String name = logger.getName();
        for (String p : PROTOCOL_LOGGERS) {
            if (name.startsWith(p)) {
                return FilterReply.DENY;
            }
        }
        return FilterReply.NEUTRAL;
    }
}
