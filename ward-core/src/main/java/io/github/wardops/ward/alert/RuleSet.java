package io.github.wardops.ward.alert;

import java.util.List;

/**
 * The outcome of loading rules: the rules that parsed and the ones rejected. A bad rule never
 * stops the others from loading. Immutable and thread-safe.
 *
 * @param rules the accepted rules, in file order
 * @param rejected the rejected rules, in file order
 *
 * <p>Neither list is {@code null}; both are copied and unmodifiable.
 */
public record RuleSet(List<AlertRule> rules, List<RuleProblem> rejected) {
    /**
     * Copies the components' collections, so the caller's later changes do not reach this record.
     */
    public RuleSet {
        rules = List.copyOf(rules);
        rejected = List.copyOf(rejected);
    }
}
