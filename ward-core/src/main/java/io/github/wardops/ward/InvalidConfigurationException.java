package io.github.wardops.ward;

import java.util.List;
import java.util.Objects;

/**
 * Thrown when settings are invalid. It lists every problem at once, each naming the setting and
 * the value that was rejected, so a user fixes everything in one pass.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class InvalidConfigurationException extends WardException {
    private static final long serialVersionUID = 1L;

    /** The problems, one line each. @serial */
    private final List<String> problems;

    /**
     * Creates the exception.
     *
     * @param subject what was being configured, such as {@code "Ward"}; never {@code null}
     * @param problems one message per invalid setting; never {@code null} or empty
     */
    public InvalidConfigurationException(String subject, List<String> problems) {
        super(format(subject, problems));
        this.problems = List.copyOf(problems);
    }

    /**
     * The problems found, one per invalid setting, in the order they were found.
     *
     * @return an immutable, non-empty list
     */
    public List<String> problems() {
        return problems;
    }

    private static String format(String subject, List<String> problems) {
        Objects.requireNonNull(subject, "subject");
        if (problems == null || problems.isEmpty()) {
            throw new IllegalArgumentException("problems must not be empty");
        }
        StringBuilder sb = new StringBuilder()
                .append(subject).append(": ").append(problems.size())
                .append(problems.size() == 1 ? " invalid setting" : " invalid settings");
        for (String p : problems) {
            sb.append(System.lineSeparator()).append("  - ").append(p);
        }
        return sb.toString();
    }
}
