package io.github.wardops.ward.snmp;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which discovered interfaces ward polls, by IANA ifType and by name (ifName, or ifDescr when
 * ifName is empty). An interface is polled when it passes the include lists (an empty include
 * list includes all) and matches no exclude entry. Immutable.
 *
 * @param includeTypes ifTypes to keep; empty keeps all
 * @param excludeTypes ifTypes to drop, such as 24 (softwareLoopback) or 135 (l2vlan)
 * @param includeNames regular expressions (full match) of names to keep; empty keeps all
 * @param excludeNames regular expressions (full match) of names to drop, such as {@code Vlan\d+}
 */
public record InterfaceFilter(Set<Integer> includeTypes, Set<Integer> excludeTypes, List<String> includeNames,
                              List<String> excludeNames) {
    /** Keeps every interface. */
    public static final InterfaceFilter ALL = new InterfaceFilter(Set.of(), Set.of(), List.of(), List.of());

    /**
     * Validates the patterns and copies.
     */
    public InterfaceFilter {
        includeTypes = Set.copyOf(includeTypes);
        excludeTypes = Set.copyOf(excludeTypes);
        includeNames = List.copyOf(includeNames);
        excludeNames = List.copyOf(excludeNames);
        for (String p : includeNames) {
            check(p);
        }
        for (String p : excludeNames) {
            check(p);
        }
    }

    private static void check(String p) {
        try {
            Pattern.compile(Objects.requireNonNull(p, "pattern"));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("interface name pattern '" + p + "' is not a regular expression: "
                    + e.getDescription(), e);
        }
    }

    /**
     * Whether an interface passes the filter.
     *
     * @param type the IANA ifType
     * @param name the name (ifName, else ifDescr); never {@code null}
     * @return {@code true} when it is polled
     */
    public boolean accepts(int type, String name) {
        if (!includeTypes.isEmpty() && !includeTypes.contains(type)) {
            return false;
        }
        if (excludeTypes.contains(type)) {
            return false;
        }
        if (!includeNames.isEmpty() && includeNames.stream().noneMatch(p -> Pattern.matches(p, name))) {
            return false;
        }
        return excludeNames.stream().noneMatch(p -> Pattern.matches(p, name));
    }
}
