package io.github.wardops.ward.runner.config;

import io.github.wardops.ward.alert.LabelSelector;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One rule of the {@code snmp-checks} setting: the devices a label selector matches get an SNMP
 * check (system group, interfaces with rates, the items of their vendor's template) with the
 * credentials of one SNMP version, or credentials stored (encrypted) in the database with
 * {@code ward credentials add}. Written {@code SELECTOR => v1|v2c|v3|NAME}, rules separated by
 * {@code ;}; the first rule that matches a device decides. For example
 * {@code region = Tbilisi => core-v3; device_type in (Router, Switch) => v2c}. Immutable and
 * thread-safe; no component is {@code null}.
 *
 * @param text the rule as written, for messages
 * @param selector which devices
 * @param profile the credentials: {@code v1}, {@code v2c}, {@code v3} (from the settings) or the name of stored credentials
 */
public record SnmpCheckRule(String text, LabelSelector selector, String profile) {
    /** The credentials a rule may name: v1 and v2c use the community, v3 the v3 user. */
    public static final List<String> PROFILES = List.of("v1", "v2c", "v3");
    /** The value that turns SNMP off. */
    public static final String NONE = "none";
    /** What a stored credentials name may be (the names v1, v2c and v3 are the settings' own). */
    public static final java.util.regex.Pattern STORED_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /**
     * Checks the components; each is described on the record.
     *
     * @throws NullPointerException if {@code text} or {@code selector} is null
     * @throws IllegalArgumentException if a component is out of its range; the message names it
     */
    public SnmpCheckRule {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(selector, "selector");
        if (!PROFILES.contains(profile) && !STORED_NAME.matcher(profile).matches()) {
            throw new IllegalArgumentException("'" + profile + "' must be v1, v2c, v3 or the name of stored credentials");
        }
    }

    /**
     * Whether the rule names credentials stored in the database rather than v1, v2c or v3.
     *
     * @return {@code true} for a stored credentials name
     */
    public boolean stored() {
        return !PROFILES.contains(profile);
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
            String lower = r.value().toLowerCase(Locale.ROOT);
            String p = PROFILES.contains(lower) ? lower : r.value();
            if (!PROFILES.contains(p) && !STORED_NAME.matcher(p).matches()) {
                throw new IllegalArgumentException("'" + r.value() + "' must be v1, v2c, v3 or the name of stored credentials "
                        + "(1-64 letters, digits or . _ -)");
            }
            return new SnmpCheckRule(r.text(), r.selector(), p);
        });
    }
}
