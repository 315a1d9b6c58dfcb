package io.github.wardops.ward.snmp.poller.internal;

import io.github.wardops.ward.snmp.poller.InterfaceRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Applies {@link InterfaceRule}s: the first rule that matches its field gives the role and, for a
 * text rule, the named groups. Immutable and thread-safe.
 */
public final class InterfaceClassifier {
    /** The most characters of one captured attribute value kept. */
    static final int MAX_ATTRIBUTE = 256;
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
        List<Pattern> ps = new ArrayList<>();
        for (InterfaceRule r : this.rules) {
            boolean text = r.field() != InterfaceRule.Field.TYPE && r.field() != InterfaceRule.Field.SPEED;
            ps.add(text ? Pattern.compile(r.regex()) : null);
        }
        this.patterns = ps;
    }

    /**
     * Classifies one interface by its texts only (type 0, speed unknown).
     *
     * @param alias ifAlias
     * @param descr ifDescr
     * @param name ifName
     * @return the classification
     */
    public Classification classify(String alias, String descr, String name) {
        return classify(alias, descr, name, 0, 0);
    }

    /**
     * Classifies one interface.
     *
     * @param alias ifAlias
     * @param descr ifDescr
     * @param name ifName
     * @param type the IANA ifType
     * @param speedBitsPerSecond the speed, 0 when unknown
     * @return the classification
     */
    public Classification classify(String alias, String descr, String name, int type, long speedBitsPerSecond) {
        for (int i = 0; i < rules.size(); i++) {
            InterfaceRule r = rules.get(i);
            String text;
            switch (r.field()) {
                case TYPE -> {
                    if (r.matchesType(type)) {
                        return new Classification(r.role(), Map.of());
                    }
                    continue;
                }
                case SPEED -> {
                    if (r.matchesSpeed(speedBitsPerSecond)) {
                        return new Classification(r.role(), Map.of());
                    }
                    continue;
                }
                case ALIAS -> text = alias;
                case DESCR -> text = descr;
                default -> text = name;
            }
            Matcher m = patterns.get(i).matcher(text);
            if (m.find()) {
                Map<String, String> attrs = new LinkedHashMap<>();
                for (String g : m.namedGroups().keySet()) {
                    String v = m.group(g);
                    if (v != null) {
                        attrs.put(g, v.length() > MAX_ATTRIBUTE ? v.substring(0, MAX_ATTRIBUTE) : v);
                    }
                }
                return new Classification(r.role(), attrs);
            }
        }
        return Classification.NONE;
    }
}
