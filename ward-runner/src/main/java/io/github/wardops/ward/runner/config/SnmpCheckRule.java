package io.github.wardops.ward.runner.config;

import io.github.wardops.ward.alert.LabelSelector;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One rule of the {@code snmp-checks} setting: the devices a label selector matches get an SNMP
 * check (system group, interfaces with rates, the items of their vendor's template) with the
 * credentials of one SNMP version. Written {@code SELECTOR => v1|v2c|v3}, rules separated by
 * {@code ;}; the first rule that matches a device decides. For example
 * {@code snmp_version = 3 => v3; device_type in (Router, Switch) => v2c}. Immutable and
 * thread-safe; no component is {@code null}.
 *
 * @param text the rule as written, for messages
 * @param selector which devices
 * @param profile the credentials: {@code v1}, {@code v2c} or {@code v3}
 */
public record SnmpCheckRule(String text, LabelSelector selector, String profile) {
    /** The credentials a rule may name: v1 and v2c use the community, v3 the v3 user. */
    public static final List<String> PROFILES = List.of("v1", "v2c", "v3");
    /** The value that turns SNMP off. */
    public static final String NONE = "none";

    /**
     * Validates.
     *
     * @param text the text
     * @param selector the selector
     * @param profile the profile
     */
    public SnmpCheckRule {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(selector, "selector");
        if (!PROFILES.contains(profile)) {
            throw new IllegalArgumentException("'" + profile + "' must be v1, v2c or v3");
        }
    }

    /**
     * Parses the whole setting, reporting every bad rule.
     *
     * @param value the setting's value; {@value #NONE} means no SNMP check at all
     * @return the rules, in order
     * @throws IllegalArgumentException naming every bad rule and why
     */
    public static List<SnmpCheckRule> parseAll(String value) {
        if (value.strip().equalsIgnoreCase(NONE)) {
            return List.of();
        }
        if (value.isBlank()) {
            throw new IllegalArgumentException("must hold rules or be '" + NONE + "'");
        }
        return SelectorRules.parse(value, r -> {
            String p = r.value().toLowerCase(Locale.ROOT);
            if (!PROFILES.contains(p)) {
                throw new IllegalArgumentException("'" + r.value() + "' must be v1, v2c or v3");
            }
            return new SnmpCheckRule(r.text(), r.selector(), p);
        });
    }
}
