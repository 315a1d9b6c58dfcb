package io.github.wardops.ward.alert;

import io.github.wardops.ward.WardException;

/**
 * A rule expression or label selector that does not parse: it names the rule, the 1-based
 * column of the error and what was expected there.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class RuleSyntaxException extends WardException {
    private static final long serialVersionUID = 1L;

    /** The rule's name. @serial the rule name */
    private final String ruleName;
    /** The column. @serial the 1-based column */
    private final int position;
    /** What was expected. @serial what was expected */
    private final String expected;
    /** What was found. @serial what was found */
    private final String found;

    /**
     * Creates the exception.
     *
     * @param ruleName the rule's name; never {@code null}
     * @param expression the text that did not parse; never {@code null}
     * @param position the 1-based column of the error
     * @param expected what was expected there; never {@code null}
     * @param found what was found there; never {@code null}
     */
    public RuleSyntaxException(String ruleName, String expression, int position, String expected, String found) {
        super("rule '" + ruleName + "': at column " + position + " of \"" + expression + "\": expected "
                + expected + ", found " + found);
        this.ruleName = ruleName;
        this.position = position;
        this.expected = expected;
        this.found = found;
    }

    /**
     * The rule's name.
     *
     * @return the name
     */
    public String ruleName() {
        return ruleName;
    }

    /**
     * The 1-based column of the error (one past the end for an early end).
     *
     * @return the column
     */
    public int position() {
        return position;
    }

    /**
     * What was expected at {@link #position()}.
     *
     * @return a description
     */
    public String expected() {
        return expected;
    }

    /**
     * What was found at {@link #position()}.
     *
     * @return a description
     */
    public String found() {
        return found;
    }
}
