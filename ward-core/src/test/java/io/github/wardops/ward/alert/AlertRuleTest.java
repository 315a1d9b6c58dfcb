package io.github.wardops.ward.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class AlertRuleTest {

    static AlertRule rule(String expr) {
        return AlertRule.of("r", expr, Severity.HIGH, LabelSelector.any());
    }

    @Test
    void theIssueExamplesParse() {
        assertEquals(Set.of("ping_unreachable"), rule("ping_unreachable >= 5").variables());
        assertEquals(Duration.ofMinutes(5), rule("loss_pct > 10 for 5m").holdFor());
        assertEquals(Duration.ofMinutes(10), rule("if_util_in_pct > 90 for 10m").holdFor());
        assertTrue(rule("if_oper_status != up").isInterfaceRule());
        assertTrue(rule("ping_unreachable >= 5").isReachabilityRule());
        assertFalse(rule("avg_ping_ms > 200").isReachabilityRule());
        assertTrue(rule("status == down").isReachabilityRule());
        AlertRule r = rule("not (cpu_pct > 90 and loss_pct >= 5.5) or avg_ping_ms <= -1 for 30s");
        assertEquals(Set.of("cpu_pct", "loss_pct", "avg_ping_ms"), r.variables());
        assertEquals(Duration.ofSeconds(30), r.holdFor());
        assertEquals(Duration.ZERO, rule("x == 'Some Word'").holdFor());
        assertEquals(Duration.ofHours(2), rule("a < 1 FOR 2h").holdFor(), "keywords are case-insensitive");
    }

    /** Every malformed expression is rejected with its position and what was expected there. */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "``                                  | 1  | a condition",
        "`ping_unreachable >=`               | 20 | a number, a word",
        "`ping_unreachable 5`                | 18 | a comparison operator",
        "`>= 5`                              | 1  | a variable name",
        "`5 < x`                             | 1  | a variable name",
        "`x = 5`                             | 3  | '==' (comparison)",
        "`x ! 5`                             | 3  | '!='",
        "`x > 5 and`                         | 10 | a variable name",
        "`x > 5 y > 3`                       | 7  | 'and', 'or', 'for <duration>'",
        "`(x > 5`                            | 7  | ')' to close the '(' at column 1",
        "`x > 5)`                            | 6  | 'and', 'or', 'for <duration>'",
        "`x > 5 for`                         | 10 | a duration",
        "`x > 5 for 5`                       | 11 | a duration",
        "`x > 5 for 5w`                      | 12 | a unit s, m, h or d",
        "`x > 5 for 0m`                      | 11 | a duration from 1s to 7d",
        "`x > 5 for 9d`                      | 11 | a duration from 1s to 7d",
        "`x > up`                            | 5  | a number after '>'",
        "`x > 'up'`                          | 5  | a number after '>'",
        "`x == \"open`                       | 11 | a closing \"",
        "`x > 1.2.3`                         | 5  | a number such as 10",
        "`x > 5 && y > 1`                    | 7  | 'and'",
        "`x > 5 || y > 1`                    | 7  | 'or'",
        "`x > 5 ; drop`                      | 7  | a variable, number, operator",
        "`not`                               | 4  | a variable name",
        "`x > 5m`                            | 5  | a number, a word",
        "`()`                                | 2  | a variable name",
        "`x > 5 for 5m and y > 1`            | 14 | 'and', 'or', 'for <duration>'",
    })
    void everyBadExpressionIsReportedWithItsPosition(String expr, int position, String expected) {
        RuleSyntaxException e = assertThrows(RuleSyntaxException.class, () -> rule(expr));
        assertEquals("r", e.ruleName());
        assertEquals(position, e.position(), e.getMessage());
        assertTrue(e.expected().startsWith(expected), "expected '" + expected + "' but was: " + e.getMessage());
        assertTrue(e.getMessage().contains("column " + position), e.getMessage());
        assertTrue(e.getMessage().startsWith("rule 'r'"), e.getMessage());
    }

    @Test
    void deepNestingAndHugeInputAreRejectedNotOverflowed() {
        String deep = "(".repeat(100) + "x > 1" + ")".repeat(100);
        RuleSyntaxException e = assertThrows(RuleSyntaxException.class, () -> rule(deep));
        assertTrue(e.expected().contains("nested"), e.getMessage());
        String huge = "x > 1 or ".repeat(1000) + "x > 1";
        assertThrows(RuleSyntaxException.class, () -> rule(huge));
        String nots = "not ".repeat(1000) + "x > 1";
        assertThrows(RuleSyntaxException.class, () -> rule(nots));
    }

    @Test
    void severitiesParse() {
        assertEquals(Severity.CRITICAL, Severity.parse("critical"));
        assertEquals(Severity.MEDIUM, Severity.parse("Warning"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Severity.parse("urgent"));
        assertTrue(e.getMessage().contains("urgent"));
    }
}
