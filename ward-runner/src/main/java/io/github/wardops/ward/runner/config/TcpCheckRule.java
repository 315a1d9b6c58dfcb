package io.github.wardops.ward.runner.config;

import io.github.wardops.ward.alert.LabelSelector;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One rule of the {@code tcp-checks} setting: the devices a label selector matches get a TCP
 * connect check on each of the ports. Written {@code SELECTOR => PORT[,PORT...]}, rules separated
 * by {@code ;}, for example {@code device_type in (ATM, Paybox) => 443; region = Tbilisi => 22}.
 * Immutable and thread-safe; no component is {@code null}.
 *
 * @param text the rule as written, for messages
 * @param selector which devices
 * @param ports the ports, 1-65535, without repeats
 */
public record TcpCheckRule(String text, LabelSelector selector, List<Integer> ports) {
    /** The most rules the setting may hold. */
    public static final int MAX_RULES = 100;

    /**
     * Validates and copies.
     *
     * @param text the text
     * @param selector the selector
     * @param ports the ports
     */
    public TcpCheckRule {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(selector, "selector");
        ports = List.copyOf(ports);
    }

    /**
     * Parses the whole setting, reporting every bad rule.
     *
     * @param value the setting's value; blank means no rule
     * @return the rules, in order
     * @throws IllegalArgumentException naming every bad rule and why
     */
    public static List<TcpCheckRule> parseAll(String value) {
        List<TcpCheckRule> rules = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        if (value == null || value.isBlank()) {
            return List.of();
        }
        String[] parts = value.split(";");
        if (parts.length > MAX_RULES) {
            throw new IllegalArgumentException("more than " + MAX_RULES + " rules");
        }
        for (String part : parts) {
            String rule = part.strip();
            if (rule.isEmpty()) {
                continue;
            }
            int arrow = rule.lastIndexOf("=>");
            if (arrow < 0) {
                problems.add("rule '" + rule + "' has no '=>' between the selector and the ports");
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
            Set<Integer> ports = new LinkedHashSet<>();
            boolean ok = true;
            for (String p : rule.substring(arrow + 2).split(",")) {
                String t = p.strip();
                try {
                    int port = Integer.parseInt(t);
                    if (port < 1 || port > 65_535) {
                        throw new NumberFormatException();
                    }
                    ports.add(port);
                } catch (NumberFormatException e) {
                    problems.add("rule '" + rule + "': '" + t + "' is not a port (1-65535)");
                    ok = false;
                }
            }
            if (ok && ports.isEmpty()) {
                problems.add("rule '" + rule + "' names no port");
            } else if (ok) {
                rules.add(new TcpCheckRule(rule, selector, new ArrayList<>(ports)));
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return List.copyOf(rules);
    }
}
