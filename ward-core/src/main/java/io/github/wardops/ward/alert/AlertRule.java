package io.github.wardops.ward.alert;

import io.github.wardops.ward.internal.alert.Expr;
import io.github.wardops.ward.internal.alert.RuleAccess;
import io.github.wardops.ward.internal.alert.RuleParser;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One alert rule: a condition over a device's values (see {@code docs/state-and-alerts.md} for
 * the language and the variable names), a severity and a label selector choosing the devices it
 * applies to. The expression is parsed when the rule is created, never evaluated as code.
 * Immutable and thread-safe.
 */
public final class AlertRule {
    static {
        // The engine reads the parsed condition through this bridge rather than parsing again.
        RuleAccess.install(rule -> rule.parsed);
    }

    private final String id;
    private final String name;
    private final String description;
    private final String expression;
    private final Severity severity;
    private final LabelSelector selector;
    private final Expr.Rule parsed;
    private final Set<String> variables;

    private AlertRule(String id, String name, String description, String expression, Severity severity,
                      LabelSelector selector) {
        this.id = Objects.requireNonNull(id, "id");
        this.name = Objects.requireNonNull(name, "name");
        this.description = Objects.requireNonNull(description, "description");
        this.expression = Objects.requireNonNull(expression, "expression");
        this.severity = Objects.requireNonNull(severity, "severity");
        this.selector = Objects.requireNonNull(selector, "selector");
        if (name.isBlank()) {
            throw new IllegalArgumentException("rule name must not be blank");
        }
        this.parsed = RuleParser.parse(name, expression);
        Set<String> vars = new TreeSet<>();
        parsed.condition().variables(vars);
        this.variables = Set.copyOf(vars);
    }

    /**
     * Creates a rule, parsing its expression.
     *
     * @param name the rule's name, unique within a rule set; never {@code null} or blank
     * @param expression the condition, such as {@code loss_pct > 10 for 5m}; never {@code null}
     * @param severity the severity; never {@code null}
     * @param selector the devices it applies to; never {@code null}
     * @return the rule
     * @throws RuleSyntaxException when the expression does not parse
     */
    public static AlertRule of(String name, String expression, Severity severity, LabelSelector selector) {
        return new AlertRule(name, name, "", expression, severity, selector);
    }

    /**
     * Creates a rule with an id and description.
     *
     * @param id a stable id (from a rule file, say); never {@code null}
     * @param name the name; never {@code null} or blank
     * @param description a description; never {@code null}
     * @param expression the condition; never {@code null}
     * @param severity the severity; never {@code null}
     * @param selector the devices it applies to; never {@code null}
     * @return the rule
     * @throws RuleSyntaxException when the expression does not parse
     */
    public static AlertRule of(String id, String name, String description, String expression, Severity severity,
                               LabelSelector selector) {
        return new AlertRule(id, name, description, expression, severity, selector);
    }

    /**
     * The rule's id.
     *
     * @return the id
     */
    public String id() {
        return id;
    }

    /**
     * The rule's name; alerts are keyed by it.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The description.
     *
     * @return the description, possibly empty
     */
    public String description() {
        return description;
    }

    /**
     * The expression as written.
     *
     * @return the expression
     */
    public String expression() {
        return expression;
    }

    /**
     * The severity.
     *
     * @return the severity
     */
    public Severity severity() {
        return severity;
    }

    /**
     * The devices the rule applies to.
     *
     * @return the selector
     */
    public LabelSelector selector() {
        return selector;
    }

    /**
     * How long the condition must hold before an alert opens ({@code for 5m}); zero when at once.
     *
     * @return the duration
     */
    public Duration holdFor() {
        return parsed.holdFor();
    }

    /**
     * The variable names the condition reads.
     *
     * @return an immutable set
     */
    public Set<String> variables() {
        return variables;
    }

    /**
     * Whether this is an up/down rule (it reads {@code ping_unreachable}, {@code failed_cycles}
     * or {@code status}): such rules are held while the device flaps and never fire for an
     * unreachable device.
     *
     * @return {@code true} for a reachability rule
     */
    public boolean isReachabilityRule() {
        return variables.contains("ping_unreachable") || variables.contains("failed_cycles")
                || variables.contains("status");
    }

    /**
     * Whether this rule is evaluated per interface (it reads a variable starting with
     * {@code if_}).
     *
     * @return {@code true} for an interface rule
     */
    public boolean isInterfaceRule() {
        for (String v : variables) {
            if (v.toLowerCase(Locale.ROOT).startsWith("if_")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "AlertRule[" + name + ": " + expression + " (" + severity + ", " + selector + ")]";
    }
}
