package io.github.wardops.ward.internal.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.wardops.ward.alert.AlertRule;
import io.github.wardops.ward.alert.LabelSelector;
import io.github.wardops.ward.alert.Severity;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class RuleAccessTest {
    @Test
    void theEngineGetsTheConditionTheRuleParsedNotANewOne() {
        AlertRule rule = AlertRule.of("loss", "loss_pct > 10 and rtt_avg_ms > 200 for 5m", Severity.HIGH,
                LabelSelector.any());
        Expr.Rule parsed = RuleAccess.parsed(rule);
        assertNotNull(parsed);
        assertSame(parsed, RuleAccess.parsed(rule), "the same parsed form every time, never parsed again");
        assertEquals(Duration.ofMinutes(5), parsed.holdFor());
        Set<String> vars = new TreeSet<>();
        parsed.condition().variables(vars);
        assertEquals(rule.variables(), vars);
    }

    @Test
    void onlyAlertRuleInstallsTheAccessor() {
        AlertRule.of("r", "loss_pct > 1", Severity.LOW, LabelSelector.any());
        assertThrows(IllegalStateException.class, () -> RuleAccess.install(r -> null));
    }
}
