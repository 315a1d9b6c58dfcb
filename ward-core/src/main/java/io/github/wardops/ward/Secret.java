package io.github.wardops.ward;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * A secret value, such as an SNMP community or a password, that never prints.
 *
 * <p>{@link #toString()} returns {@code "***"}, so a secret cannot reach a log line, an exception
 * message or a debugger's summary by accident. The value is read with {@link #reveal()} at the
 * one place that needs it. Equality compares values in constant time. Instances are immutable
 * and thread-safe.
 */
public final class Secret {
    private static final String MASK = "***";
    private final byte[] value;

    private Secret(byte[] value) {
        this.value = value;
    }

    /**
     * Wraps a secret string.
     *
     * @param value the secret; never {@code null}
     * @return the secret
     */
    public static Secret of(String value) {
        Objects.requireNonNull(value, "secret value");
        return new Secret(value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Wraps secret bytes (copied).
     *
     * @param value the secret; never {@code null}
     * @return the secret
     */
    public static Secret ofBytes(byte[] value) {
        Objects.requireNonNull(value, "secret value");
        return new Secret(value.clone());
    }

    /**
     * The secret as a string. Call it only where the value is used, never to log it.
     *
     * @return the secret value
     */
    public String reveal() {
        return new String(value, StandardCharsets.UTF_8);
    }

    /**
     * The secret as bytes (a copy).
     *
     * @return the secret value
     */
    public byte[] revealBytes() {
        return value.clone();
    }

    /**
     * Whether the secret is empty.
     *
     * @return {@code true} when it has no bytes
     */
    public boolean isEmpty() {
        return value.length == 0;
    }

    /**

     * Returns always {@code "***"}.

     *

     * @return always {@code "***"}

     */
    @Override
    public String toString() {
        return MASK;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret other && MessageDigest.isEqual(value, other.value);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(value);
    }
}
