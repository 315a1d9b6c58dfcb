package io.github.wardops.ward.runner.config;

import io.github.wardops.ward.alert.LabelSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The shape shared by the label-selector settings ({@code tcp-checks}, {@code snmp-checks}):
 * rules separated by {@code ;}, each {@code SELECTOR => VALUE}, where {@code *} is the selector
 * matching every device. Stateless.
 */
final class SelectorRules {
    /** The most rules one setting may hold. */
    static final int MAX_RULES = 100;

    private SelectorRules() {
    }

    /**
     * One parsed rule, before its value is interpreted.
     *
     * @param text the rule as written
     * @param selector which devices
     * @param value the text after {@code =>}, stripped
     */
    record Parsed(String text, LabelSelector selector, String value) {
    }

    /**
     * Splits and parses every rule, reporting every bad one; each value is read by {@code value},
     * which throws {@link IllegalArgumentException} with a reason.
     *
     * @param setting the whole setting; blank means no rule
     * @param value turns a parsed rule into the setting's rule
     * @param <R> the rule type
     * @return the rules, in order
     * @throws IllegalArgumentException naming every bad rule and why
     */
    static <R> List<R> parse(String setting, Function<Parsed, R> value) {
        if (setting == null || setting.isBlank()) {
            return List.of();
        }
        String[] parts = setting.split(";");
        if (parts.length > MAX_RULES) {
            throw new IllegalArgumentException("more than " + MAX_RULES + " rules");
        }
        List<R> rules = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String part : parts) {
            String rule = part.strip();
            if (rule.isEmpty()) {
                continue;
            }
            int arrow = rule.lastIndexOf("=>");
            if (arrow < 0) {
                problems.add("rule '" + rule + "' has no '=>' between the selector and its value");
                continue;
            }
            String sel = rule.substring(0, arrow).strip();
            LabelSelector selector;
            try {
                selector = sel.equals("*") ? LabelSelector.any() : LabelSelector.parse(sel);
            } catch (RuntimeException e) {
                problems.add("rule '" + rule + "': bad selector: " + e.getMessage());
                continue;
            }
            try {
                rules.add(value.apply(new Parsed(rule, selector, rule.substring(arrow + 2).strip())));
            } catch (IllegalArgumentException e) {
                problems.add("rule '" + rule + "': " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return List.copyOf(rules);
    }
}
