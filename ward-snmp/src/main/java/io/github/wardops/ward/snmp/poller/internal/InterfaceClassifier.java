package io.github.wardops.ward.snmp.poller.internal;

import io.github.wardops.ward.snmp.poller.InterfaceRule;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Applies {@link InterfaceRule}s: the first rule whose expression is found in its field gives the
 * role and the named groups. Immutable and thread-safe.
 */
public final class InterfaceClassifier {
    private final List<InterfaceRule> rules;
    private final List<Pattern> patterns;

    /**
     * The result of classification.
     *
     * @param role the role, or {@code null}
     * @param attributes the named groups captured
     */
    public record Classification(String role, Map<String, String> attributes) {
        /** No rule matched. */
        public static final Classification NONE = new Classification(null, Map.of());
    }

    /**
     * Compiles the rules.
     *
     * @param rules the rules, first match wins
     */
    public InterfaceClassifier(List<InterfaceRule> rules) {
        this.rules = List.copyOf(rules);
        this.patterns = rules.stream().map(r -> Pattern.compile(r.regex())).toList();
    }

    /**
     * Classifies one interface.
     *
     * @param alias ifAlias
     * @param descr ifDescr
     * @param name ifName
     * @return the classification
     */
    public Classification classify(String alias, String descr, String name) {
        for (int i = 0; i < rules.size(); i++) {
            InterfaceRule r = rules.get(i);
            String text = switch (r.field()) {
                case ALIAS -> alias;
                case DESCR -> descr;
                case NAME -> name;
            };
            Matcher m = patterns.get(i).matcher(text);
            if (m.find()) {
                Map<String, String> attrs = new LinkedHashMap<>();
                for (String g : m.namedGroups().keySet()) {
                    String v = m.group(g);
                    if (v != null) {
                        attrs.put(g, v);
                    }
                }
                return new Classification(r.role(), attrs);
            }
        }
        return Classification.NONE;
    }
}
