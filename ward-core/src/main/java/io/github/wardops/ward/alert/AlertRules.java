package io.github.wardops.ward.alert;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.internal.support.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads alert rules from JSON: an array of rule objects (or an object whose {@code rules}
 * member is one), as in the fleet's {@code alert-rules.json}. Per rule: {@code name},
 * {@code expression} and {@code severity} are required; {@code id}, {@code description},
 * {@code group} (the problem the rule belongs to, {@link AlertRule#group()}; default: see
 * {@link AlertRule}) and {@code enabled} (default {@code true}; disabled rules are skipped) are
 * optional; scope comes
 * from ward's {@code selector} member (a {@link LabelSelector}) and from the legacy members
 * {@code device_id} (matched against the device id), {@code branch_id} and {@code device_group}
 * (matched against labels of those names) when they are not {@code null}. Other members are
 * ignored.
 *
 * <p>A rule that does not parse is rejected with its name, the column of the error and what was
 * expected ({@link RuleSet#rejected()}); the other rules still load. Only a document that is not
 * JSON at all fails as a whole. Stateless and thread-safe.
 */
public final class AlertRules {
    private AlertRules() {
    }

    /**
     * Reads a rule file (UTF-8).
     *
     * @param file the file; never {@code null}
     * @return the rules and the rejected ones
     * @throws IOException when the file cannot be read
     * @throws InvalidConfigurationException when the file is not a JSON array of objects
     */
    public static RuleSet load(Path file) throws IOException {
        if (Files.size(file) > Json.MAX_CHARS) {
            throw new InvalidConfigurationException(file.toString(), List.of("file is larger than " + Json.MAX_CHARS + " bytes"));
        }
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /**
     * Parses rule JSON.
     *
     * @param json the document; never {@code null}
     * @param source a name for messages (a file name, say); never {@code null}
     * @return the rules and the rejected ones
     * @throws InvalidConfigurationException when the document is not a JSON array of objects
     */
    public static RuleSet parse(String json, String source) {
        Object doc;
        try {
            doc = Json.parse(json);
        } catch (Json.JsonException e) {
            throw new InvalidConfigurationException(source, List.of("not valid JSON: " + e.getMessage()));
        }
        if (doc instanceof Map<?, ?> m && m.get("rules") instanceof List<?> l) {
            doc = l;
        }
        if (!(doc instanceof List<?> items)) {
            throw new InvalidConfigurationException(source, List.of("expected a JSON array of rules (or {\"rules\": [...]})"));
        }
        List<AlertRule> rules = new ArrayList<>();
        List<RuleProblem> rejected = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int idx = 0; idx < items.size(); idx++) {
            Object item = items.get(idx);
            String label = "#" + idx;
            if (!(item instanceof Map<?, ?> r)) {
                rejected.add(new RuleProblem(label, idx, 0, "a JSON object", "rule " + label + ": expected a JSON object"));
                continue;
            }
            String name = r.get("name") instanceof String s && !s.isBlank() ? s : label;
            List<String> missing = new ArrayList<>();
            String expression = text(r, "expression", missing);
            String severityText = text(r, "severity", missing);
            if (name.equals(label)) {
                missing.add("name");
            }
            if (!missing.isEmpty()) {
                rejected.add(new RuleProblem(name, idx, 0, "members " + missing,
                        "rule '" + name + "': missing or not a non-empty string: " + String.join(", ", missing)));
                continue;
            }
            if (r.get("enabled") instanceof Boolean b && !b) {
                continue;
            }
            if (r.containsKey("enabled") && r.get("enabled") != null && !(r.get("enabled") instanceof Boolean)) {
                rejected.add(new RuleProblem(name, idx, 0, "true or false", "rule '" + name + "': enabled must be true or false"));
                continue;
            }
            Severity severity;
            try {
                severity = Severity.parse(severityText);
            } catch (IllegalArgumentException e) {
                rejected.add(new RuleProblem(name, idx, 0, "a severity", "rule '" + name + "': " + e.getMessage()));
                continue;
            }
            if (!names.add(name)) {
                rejected.add(new RuleProblem(name, idx, 0, "a unique name", "rule '" + name + "': the name is used by an earlier rule"));
                continue;
            }
            Object groupValue = r.get("group");
            if (groupValue != null && !(groupValue instanceof String g && !g.isBlank() && g.length() <= 200)) {
                rejected.add(new RuleProblem(name, idx, 0, "a group name", "rule '" + name
                        + "': group must be a non-blank string of at most 200 characters"));
                names.remove(name);
                continue;
            }
            try {
                LabelSelector selector = LabelSelector.parse(selectorText(r));
                String id = r.get("id") instanceof String s ? s : name;
                String description = r.get("description") instanceof String s ? s : "";
                rules.add(AlertRule.of(id, name, description, expression, severity, selector)
                        .withGroup((String) groupValue));
            } catch (RuleSyntaxException e) {
                names.remove(name);
                rejected.add(new RuleProblem(name, idx, e.position(), e.expected(),
                        e.getMessage().replace("rule 'selector'", "rule '" + name + "' selector")));
            }
        }
        return new RuleSet(rules, rejected);
    }

    private static String text(Map<?, ?> r, String key, List<String> missing) {
        if (r.get(key) instanceof String s && !s.isBlank()) {
            return s;
        }
        missing.add(key);
        return null;
    }

    private static String selectorText(Map<?, ?> r) {
        List<String> terms = new ArrayList<>();
        if (r.get("selector") instanceof String s && !s.isBlank()) {
            terms.add(s);
        }
        for (String legacy : List.of("device_id", "branch_id", "device_group")) {
            Object v = r.get(legacy);
            if (v != null) {
                String key = legacy.equals("device_id") ? "id" : legacy;
                String val = v instanceof Double d && d == Math.rint(d) ? String.valueOf(d.longValue()) : String.valueOf(v);
                terms.add(key + " = \"" + val.replace("\"", "") + "\"");
            }
        }
        return String.join(", ", terms);
    }
}
