package io.github.wardops.ward.runner.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @Test
    void readsUnitsAndCombinations() {
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
        assertEquals(Duration.ofSeconds(30), Durations.parse("30s"));
        assertEquals(Duration.ofMinutes(5), Durations.parse("5m"));
        assertEquals(Duration.ofHours(2), Durations.parse("2h"));
        assertEquals(Duration.ofDays(1), Durations.parse("1d"));
        assertEquals(Duration.ofSeconds(90), Durations.parse("1m30s"));
        assertEquals(Duration.ofMillis(1_500), Durations.parse(" 1s500ms "));
        assertEquals(Duration.ofSeconds(30), Durations.parse("30S"));
        assertEquals(Duration.ofSeconds(30), Durations.parse("PT30S"));
        assertEquals(Duration.ofSeconds(45), Durations.parse("pt45s"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "30", "5x", "-5s", "1.5s", "s", "ms", "30 s", "PT-1S", "P", "10s-", "1m 30s",
            "9999999999s"})
    void rejectsWithAMessageNamingTheTextAndTheForms(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
        assertTrue(e.getMessage().contains("'" + text + "'"), e.getMessage());
    }

    @Test
    void aBareNumberIsRejectedBecauseItsUnitIsAmbiguous() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse("30"));
        assertTrue(e.getMessage().contains("with a unit"), e.getMessage());
    }

    @Test
    void formatsSoThatParseReadsItBack() {
        for (Duration d : new Duration[] {Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(90),
                Duration.ofHours(25).plusMillis(1), Duration.ZERO}) {
            assertEquals(d, Durations.parse(Durations.format(d)), Durations.format(d));
        }
        assertEquals("1m30s", Durations.format(Duration.ofSeconds(90)));
    }
}
