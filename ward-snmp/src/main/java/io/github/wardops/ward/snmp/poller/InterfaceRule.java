package io.github.wardops.ward.snmp.poller;

import io.github.wardops.ward.InvalidConfigurationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A classification rule: when an interface's alias, description or name matches {@link #regex()}
 * (found anywhere in the text), the interface gets {@link #role()} (such as {@code isp-uplink}),
 * and each named group of the expression becomes an attribute ({@code (?<provider>\w+)} gives
 * {@code provider=...}). Rules are data: the first matching rule wins. Immutable.
 *
 * @param role the role to assign, 1-64 of {@code a-z 0-9 _ -}
 * @param field which text to match
 * @param regex a Java regular expression
 *
 * <p>Arguments must not be {@code null}; nothing it returns is {@code null}.
 */
public record InterfaceRule(String role, Field field, String regex) {
    private static final Pattern ROLE = Pattern.compile("[a-z0-9_-]{1,64}");

    /** Which interface text a rule reads. */
    public enum Field {
        /** ifAlias (the operator's description). */
        ALIAS,
        /** ifDescr. */
        DESCR,
        /** ifName. */
        NAME
    }

    /**
     * Checks the components; each is described on the record.
     *
     * @throws NullPointerException if {@code role}, {@code field} or {@code regex} is null
     * @throws IllegalArgumentException if a component is out of its range; the message names it
     */
    public InterfaceRule {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(regex, "regex");
        if (!ROLE.matcher(role).matches()) {
            throw new IllegalArgumentException("rule role '" + role + "' must be 1-64 of a-z 0-9 _ -");
        }
        try {
            Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("rule '" + role + "': '" + regex + "' is not a regular expression: "
                    + e.getDescription(), e);
        }
    }

    /**
     * Parses rules, one a line: {@code <role> <alias|descr|name> <regex>}; blank lines and lines
     * starting with {@code #} are skipped. Every bad line is reported at once.
     *
     * <pre>
     * isp-uplink alias (?i)^ISP[-_ ]?(?&lt;provider&gt;[A-Za-z0-9]+)
     * trunk      alias (?i)trunk
     * </pre>
     *
     * @param source a name for messages, such as a file name
     * @param text the rules
     * @return the rules in order
     * @throws InvalidConfigurationException listing every bad line
     */
    public static List<InterfaceRule> parseAll(String source, String text) {
        List<InterfaceRule> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+", 3);
            if (parts.length < 3) {
                problems.add(source + ":" + (i + 1) + ": expected '<role> <alias|descr|name> <regex>'");
                continue;
            }
            try {
                Field f = Field.valueOf(parts[1].toUpperCase(Locale.ROOT));
                out.add(new InterfaceRule(parts[0], f, parts[2]));
            } catch (IllegalArgumentException e) {
                problems.add(source + ":" + (i + 1) + ": " + (e.getMessage() != null && e.getMessage().startsWith("No enum")
                        ? "field '" + parts[1] + "' must be alias, descr or name" : e.getMessage()));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException("interface rules " + source, problems);
        }
        return List.copyOf(out);
    }
}
