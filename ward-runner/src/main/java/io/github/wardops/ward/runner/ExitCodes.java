package io.github.wardops.ward.runner;

/**
 * The exit codes of the {@code ward} command, documented in its help and in the README.
 */
public final class ExitCodes {
    /** Success: {@code run} stopped cleanly, or every {@code sweep} target answered. */
    public static final int OK = 0;
    /**
     * A runtime failure (no ICMP socket, the HTTP port taken...), or, for {@code sweep}, some
     * target did not answer (as fping).
     */
    public static final int FAILURE = 1;
    /** Bad usage or invalid configuration (an unknown flag, an invalid inventory); nothing was started. */
    public static final int USAGE = 2;
    /**
     * A fatal error inside ward ({@link OutOfMemoryError}, {@link StackOverflowError}...): the
     * process ended so that its supervisor restarts it (70 is {@code EX_SOFTWARE} of sysexits.h).
     */
    public static final int FATAL = 70;

    private ExitCodes() {
    }
}
