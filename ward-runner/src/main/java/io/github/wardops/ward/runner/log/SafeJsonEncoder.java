package io.github.wardops.ward.runner.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.LoggerContextVO;
import java.util.List;
import java.util.Map;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;

/**
 * Logback's {@link JsonEncoder} over events whose message and exception texts are cleaned
 * ({@link LogText#clean}): JSON escapes C0 characters by itself, but not DEL or C1 ones, nor a
 * secret. The runner's {@code json} log format. Thread-safe as an encoder (used by one appender).
 */
public final class SafeJsonEncoder extends JsonEncoder {
    /** Created by Logback. */
    public SafeJsonEncoder() {
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        return super.encode(new SafeEvent(event));
    }

    /** An event seen through {@link LogText#clean}. */
    private record SafeEvent(ILoggingEvent e) implements ILoggingEvent {
        @Override
        public String getThreadName() {
            return e.getThreadName();
        }

        @Override
        public Level getLevel() {
            return e.getLevel();
        }

        @Override
        public String getMessage() {
            return LogText.clean(e.getMessage());
        }

        @Override
        public Object[] getArgumentArray() {
            return e.getArgumentArray();
        }

        @Override
        public String getFormattedMessage() {
            return LogText.clean(e.getFormattedMessage());
        }

        @Override
        public String getLoggerName() {
            return e.getLoggerName();
        }

        @Override
        public LoggerContextVO getLoggerContextVO() {
            return e.getLoggerContextVO();
        }

        @Override
        public IThrowableProxy getThrowableProxy() {
            return SafeThrowableProxy.of(e.getThrowableProxy());
        }

        @Override
        public StackTraceElement[] getCallerData() {
            return e.getCallerData();
        }

        @Override
        public boolean hasCallerData() {
            return e.hasCallerData();
        }

        @Override
        public List<Marker> getMarkerList() {
            return e.getMarkerList();
        }

        @Override
        public Map<String, String> getMDCPropertyMap() {
            return e.getMDCPropertyMap();
        }

        @Override
        @SuppressWarnings("deprecation")
        public Map<String, String> getMdc() {
            return e.getMdc();
        }

        @Override
        public long getTimeStamp() {
            return e.getTimeStamp();
        }

        @Override
        public int getNanoseconds() {
            return e.getNanoseconds();
        }

        @Override
        public java.time.Instant getInstant() {
            return e.getInstant();
        }

        @Override
        public long getSequenceNumber() {
            return e.getSequenceNumber();
        }

        @Override
        public List<KeyValuePair> getKeyValuePairs() {
            return e.getKeyValuePairs();
        }

        @Override
        public void prepareForDeferredProcessing() {
            e.prepareForDeferredProcessing();
        }
    }
}
