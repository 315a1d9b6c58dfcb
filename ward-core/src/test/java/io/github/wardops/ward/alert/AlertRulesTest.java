package io.github.wardops.ward.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.InvalidConfigurationException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertRulesTest {

    static Path fixture(String name) throws Exception {
        return Path.of(AlertRulesTest.class.getResource("/fleet/" + name).toURI());
    }

    @Test
    void theFleetRulesLoadAsWritten() throws Exception {
        RuleSet set = AlertRules.load(fixture("alert-rules.json"));
        assertEquals(List.of(), set.rejected());
        assertEquals(List.of("Device Down - Critical", "Device Down - High Priority", "High Latency", "Ping Unavailable"),
                set.rules().stream().map(AlertRule::name).toList());
        AlertRule critical = set.rules().get(0);
        assertEquals("ping_unreachable >= 5", critical.expression());
        assertEquals(Severity.CRITICAL, critical.severity());
        assertEquals("f74211c0-aa82-49b6-0d17-d6a8ba5b74b8", critical.id());
        assertEquals("Device unreachable for 5+ minutes", critical.description());
        assertTrue(critical.selector().matches(Map.of()), "null device_id/branch_id: every device");
        assertEquals(Severity.MEDIUM, set.rules().get(2).severity());
        assertTrue(set.rules().get(3).isReachabilityRule());
    }

    @Test
    void aBadRuleIsRejectedWithNameAndPositionAndTheOthersStillLoad() {
        String json = """
                [
                  {"name": "ok", "expression": "cpu_pct > 90 for 5m", "severity": "high"},
                  {"name": "broken", "expression": "ping_unreachable >=", "severity": "critical"},
                  {"name": "bad op", "expression": "loss_pct => 10", "severity": "low"},
                  {"name": "no sev", "expression": "x > 1"},
                  {"name": "bad sev", "expression": "x > 1", "severity": "urgent"},
                  {"name": "bad scope", "expression": "x > 1", "severity": "low", "selector": "region Tbilisi"},
                  {"name": "ok", "expression": "x > 2", "severity": "low"},
                  {"name": "off", "expression": "this is not parsed", "severity": "low", "enabled": false},
                  {"name": "enabled text", "expression": "x > 1", "severity": "low", "enabled": "yes"},
                  42,
                  {"name": "scoped", "expression": "x > 1", "severity": "info", "device_id": "0a6c6f2a-7d84-4b4e-9b7e-000000000001",
                   "selector": "device_type in (Router, Switch)"}
                ]""";
        RuleSet set = AlertRules.parse(json, "test.json");
        assertEquals(List.of("ok", "scoped"), set.rules().stream().map(AlertRule::name).toList());
        Map<String, RuleProblem> byName = new java.util.HashMap<>();
        set.rejected().forEach(p -> byName.put(p.ruleName() + "@" + p.index(), p));
        assertEquals(8, set.rejected().size(), set.rejected().toString());
        RuleProblem broken = byName.get("broken@1");
        assertEquals(20, broken.position());
        assertTrue(broken.message().contains("rule 'broken'") && broken.message().contains("column 20"), broken.message());
        assertTrue(broken.expected().startsWith("a number"), broken.expected());
        assertEquals(10, byName.get("bad op@2").position(), "at the '=' of '=>'");
        assertTrue(byName.get("no sev@3").message().contains("severity"));
        assertTrue(byName.get("bad sev@4").message().contains("urgent"));
        RuleProblem scope = byName.get("bad scope@5");
        assertEquals(8, scope.position());
        assertTrue(scope.message().contains("'bad scope' selector"), scope.message());
        assertTrue(byName.get("ok@6").message().contains("used by an earlier rule"));
        assertTrue(byName.get("enabled text@8").message().contains("true or false"));
        assertTrue(byName.containsKey("#9@9"));
        AlertRule scoped = set.rules().get(1);
        assertTrue(scoped.selector().matches(Map.of("id", "0a6c6f2a-7d84-4b4e-9b7e-000000000001", "device_type", "Router")));
        assertTrue(!scoped.selector().matches(Map.of("id", "0a6c6f2a-7d84-4b4e-9b7e-000000000002", "device_type", "Router")));
    }

    @Test
    void aDocumentThatIsNotJsonFailsAsAWholeWithLineAndColumn() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> AlertRules.parse("[\n  {\"name\": \"a\",}\n]", "rules.json"));
        assertTrue(e.getMessage().contains("line 2, column 16"), e.getMessage());
        assertThrows(InvalidConfigurationException.class, () -> AlertRules.parse("{\"x\": 1}", "rules.json"));
        assertThrows(InvalidConfigurationException.class, () -> AlertRules.parse("", "rules.json"));
        RuleSet wrapped = AlertRules.parse("{\"rules\": [{\"name\": \"a\", \"expression\": \"x > 1\", \"severity\": \"low\"}]}", "r");
        assertEquals(1, wrapped.rules().size());
    }
}
