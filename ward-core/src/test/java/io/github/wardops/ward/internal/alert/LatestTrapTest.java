package io.github.wardops.ward.internal.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rules' variable {@code trap}: read from a {@code trap:NAME} value, {@code none} without one. */
class LatestTrapTest {
    @Test
    void theTrapValueNamesTheLatestTrapAndItsAbsenceIsNone() {
        assertEquals("linkDown", AlertEngine.latestTrap(Map.of("rtt_avg_ms", 0.2, "trap:linkDown", 1.0)));
        assertEquals("1.3.6.1.4.1.9.0.1", AlertEngine.latestTrap(Map.of("trap:1.3.6.1.4.1.9.0.1", 1.0)));
        assertEquals("none", AlertEngine.latestTrap(Map.of("rtt_avg_ms", 0.2)),
                "no trap held: trap == linkDown is false (the alert resolves), not unknown (it would stay)");
        Map<String, Double> zero = new LinkedHashMap<>();
        zero.put("trap:linkDown", 0.0);
        assertEquals("none", AlertEngine.latestTrap(zero), "a zero value is no trap");
    }
}
