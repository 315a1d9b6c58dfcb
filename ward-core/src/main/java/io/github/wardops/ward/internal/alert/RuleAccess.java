package io.github.wardops.ward.internal.alert;

import io.github.wardops.ward.alert.AlertRule;
import java.util.Objects;
import java.util.function.Function;

/**
 * The bridge through which the engine reads the condition an {@link AlertRule} parsed when it was
 * created, so that no rule is parsed twice and no internal type appears in the public API (the
 * pattern of OkHttp's {@code Internal}). {@link AlertRule} installs the accessor when its class
 * is initialized, which happens before any rule exists. Thread-safe.
 */
public final class RuleAccess {
    private static volatile Function<AlertRule, Expr.Rule> parsed;

    private RuleAccess() {
    }

    /**
     * Installs the accessor; called once, by {@link AlertRule}'s static initializer.
     *
     * @param accessor reads a rule's parsed condition
     * @throws IllegalStateException when an accessor is installed already
     */
    public static synchronized void install(Function<AlertRule, Expr.Rule> accessor) {
        if (parsed != null) {
            throw new IllegalStateException("the AlertRule accessor is installed already");
        }
        parsed = Objects.requireNonNull(accessor, "accessor");
    }

    /**
     * The condition a rule parsed when it was created.
     *
     * @param rule the rule
     * @return its parsed condition, never {@code null}
     */
    public static Expr.Rule parsed(AlertRule rule) {
        // A rule exists, so AlertRule's class is initialized and the accessor installed.
        return parsed.apply(rule);
    }
}
