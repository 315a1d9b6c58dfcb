package io.github.wardops.ward.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LabelSelectorTest {
    static final Map<String, String> ROUTER = Map.of("region", "Tbilisi", "device_type", "Router");
    static final Map<String, String> AP = Map.of("region", "Imereti", "device_type", "Access Point");

    @Test
    void termsJoinWithAndAndRegularExpressionsMatchWholeValues() {
        LabelSelector s = LabelSelector.parse("severity = critical and region = Tbilisi");
        assertTrue(s.matches(Map.of("severity", "critical", "region", "Tbilisi")));
        assertFalse(s.matches(Map.of("severity", "critical", "region", "Imereti")));
        // "and" inside a word or a quoted value is a value
        assertTrue(LabelSelector.parse("branch = Sandbox").matches(Map.of("branch", "Sandbox")));
        assertTrue(LabelSelector.parse("branch = 'Research and Development', region = Tbilisi")
                .matches(Map.of("branch", "Research and Development", "region", "Tbilisi")));
        LabelSelector re = LabelSelector.parse("device =~ \"(?i)vake-.*\" and region !~ 'Ime.*'");
        assertTrue(re.matches(Map.of("device", "VAKE-router", "region", "Tbilisi")));
        assertFalse(re.matches(Map.of("device", "xVAKE-router", "region", "Tbilisi")), "the whole value");
        assertFalse(re.matches(Map.of("device", "vake-1", "region", "Imereti")));
        assertTrue(LabelSelector.parse("isp !~ '.+'").matches(Map.of()), "a missing label is the empty value");
        RuleSyntaxException e = assertThrows(RuleSyntaxException.class, () -> LabelSelector.parse("device =~ '(vake'"));
        assertTrue(e.getMessage().contains("regular expression"), e.getMessage());
        assertThrows(RuleSyntaxException.class, () -> LabelSelector.parse("region = Tbilisi and"));
    }

    @Test
    void selectsByLabels() {
        assertTrue(LabelSelector.parse("region = Tbilisi").matches(ROUTER));
        assertFalse(LabelSelector.parse("region = Tbilisi").matches(AP));
        assertTrue(LabelSelector.parse("device_type in (Router, Switch)").matches(ROUTER));
        assertFalse(LabelSelector.parse("device_type in (Router, Switch)").matches(AP));
        assertTrue(LabelSelector.parse("device_type in (Access Point, 'Core Router')").matches(AP));
        assertTrue(LabelSelector.parse("region != Tbilisi, device_type not in (Router)").matches(AP));
        assertFalse(LabelSelector.parse("region = Tbilisi, device_type = Switch").matches(ROUTER));
        assertTrue(LabelSelector.parse("region == \"Tbilisi\"").matches(ROUTER));
        assertFalse(LabelSelector.parse("branch = X").matches(ROUTER), "a missing label does not match =");
        assertTrue(LabelSelector.parse("branch != X").matches(ROUTER), "a missing label matches !=");
        assertTrue(LabelSelector.parse("  ").matches(AP));
        assertTrue(LabelSelector.any().matches(Map.of()));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "`= Tbilisi`                  | 1  | a label name",
        "`region Tbilisi`             | 8  | '=', '!=', 'in' or 'not in'",
        "`region =`                   | 9  | a value",
        "`region = a, `               | 13 | a label name",
        "`type in Router`             | 9  | '(' to start",
        "`type in (Router`            | 16 | ',' or ')'",
        "`type in (Router,)`          | 17 | a value",
        "`type not (Router)`          | 10 | 'in' after 'not'",
        "`region = \"Tbilisi`         | 18 | a closing \"",
        "`region = a = b`             | 12 | ',' or 'and' between terms",
    })
    void malformedSelectorsAreReportedWithTheirPosition(String text, int position, String expected) {
        RuleSyntaxException e = assertThrows(RuleSyntaxException.class, () -> LabelSelector.parse(text));
        assertEquals(position, e.position(), e.getMessage());
        assertTrue(e.expected().startsWith(expected), e.getMessage());
    }
}
