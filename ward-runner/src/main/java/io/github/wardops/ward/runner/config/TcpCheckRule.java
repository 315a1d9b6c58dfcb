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
    public static final int MAX_RULES = SelectorRules.MAX_RULES;

    /**
     * Checks the components (each is described on the record) and copies its collections, so the
     * caller's later changes do not reach it.
     *
     * @throws NullPointerException if {@code text} or {@code selector} is null
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
        return SelectorRules.parse(value, r -> {
            Set<Integer> ports = new LinkedHashSet<>();
            List<String> bad = new ArrayList<>();
            for (String p : r.value().split(",")) {
                String t = p.strip();
                try {
                    int port = Integer.parseInt(t);
                    if (port < 1 || port > 65_535) {
                        throw new NumberFormatException();
                    }
                    ports.add(port);
                } catch (NumberFormatException e) {
                    bad.add("'" + t + "' is not a port (1-65535)");
                }
            }
            if (!bad.isEmpty()) {
                throw new IllegalArgumentException(String.join(", ", bad));
            }
            if (ports.isEmpty()) {
                throw new IllegalArgumentException("names no port");
            }
            return new TcpCheckRule(r.text(), r.selector(), new ArrayList<>(ports));
        });
    }
}
