package io.github.wardops.ward.runner.cli;

import org.slf4j.LoggerFactory;

/** Adjusts the root log level at run time (Logback is the runner's binding). */
final class Logging {
    private Logging() {
    }

    /**
     * Sets the root logger's level, when the binding is Logback; otherwise does nothing.
     *
     * @param level such as {@code WARN}
     */
    static void rootLevel(String level) {
        if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger l) {
            l.setLevel(ch.qos.logback.classic.Level.toLevel(level, ch.qos.logback.classic.Level.INFO));
        }
    }
}
