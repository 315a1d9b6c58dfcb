package io.github.wardops.ward.alert;

import java.util.Objects;

/**
 * A rule that was rejected at load time. Immutable and thread-safe.
 *
 * @param ruleName the rule's name (or {@code "#<index>"} when it has none); never {@code null}
 * @param index the rule's 0-based index in its file
 * @param position the 1-based column of the error in the expression or selector, or 0 when
 *     the problem is not in an expression (a missing field, say)
 * @param expected what was expected at that position; never {@code null}
 * @param message the whole message; never {@code null}
 */
public record RuleProblem(String ruleName, int index, int position, String expected, String message) {
    /**
     * Checks the components; each is described on the record.
     *
     * @throws NullPointerException if {@code ruleName}, {@code expected} or {@code message} is null
     */
    public RuleProblem {
        Objects.requireNonNull(ruleName, "ruleName");
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(message, "message");
    }
}
