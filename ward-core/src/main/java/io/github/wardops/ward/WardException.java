package io.github.wardops.ward;

/**
 * The root of every exception ward throws for misconfiguration or a broken invariant.
 *
 * <p>A device that is down or does not answer is never an exception: it is a
 * {@link io.github.wardops.ward.probe.ProbeResult}. Messages never contain secrets.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public class WardException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message.
     *
     * @param message what went wrong, never {@code null}
     */
    public WardException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message and a cause.
     *
     * @param message what went wrong, never {@code null}
     * @param cause the underlying failure, may be {@code null}
     */
    public WardException(String message, Throwable cause) {
        super(message, cause);
    }
}
