package io.github.wardops.ward.postgres.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.InvalidConfigurationException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ClusterOptionsTest {
    @Test
    void defaultsFollowTheDesign() {
        ClusterOptions o = ClusterOptions.builder().name("ward-runner on host-a, pid 1").build();
        assertEquals(Duration.ofSeconds(2), o.tickInterval());
        assertEquals(Duration.ofSeconds(6), o.fenceAfter());
        assertEquals(Duration.ofDays(1), o.deadRunnerAge());
        assertEquals(Duration.ofMillis(500), o.checkPeriod());
        assertEquals(Duration.ofMillis(6500), o.takeoverGrace(), "fence-after plus the check period");
        assertEquals(Duration.ofMillis(200), ClusterOptions.builder().name("n").tickInterval(Duration.ofMillis(200))
                .fenceAfter(Duration.ofSeconds(4)).build().checkPeriod());
        assertEquals(Duration.ofMillis(4200), ClusterOptions.builder().name("n").tickInterval(Duration.ofMillis(200))
                .fenceAfter(Duration.ofSeconds(4)).build().takeoverGrace());
        assertEquals(Duration.ZERO, ClusterOptions.builder().name("n").takeoverGrace(Duration.ZERO).build().takeoverGrace());
        assertEquals("", o.zone());
        assertTrue(o.address().isEmpty());
        assertTrue(o.meterRegistry().isEmpty());
        assertNotNull(o.id());
        // the fencing arithmetic: the member stops by fenceAfter + tickInterval, the server frees
        // its lock no sooner than tcp_user_timeout (10 s) after its last confirmed heartbeat
        assertTrue(o.fenceAfter().plus(o.tickInterval()).compareTo(ClusterOptions.FENCE_BUDGET) <= 0);
        assertTrue(ClusterOptions.FENCE_BUDGET.toMillis() < ClusterOptions.SERVER_TCP_USER_TIMEOUT_MILLIS);
        assertTrue(ClusterOptions.SERVER_TCP_USER_TIMEOUT_MILLIS / 1000 <= ClusterOptions.SERVER_KEEPALIVE_IDLE_SECONDS
                + ClusterOptions.SERVER_KEEPALIVE_INTERVAL_SECONDS * ClusterOptions.SERVER_KEEPALIVE_COUNT);
        UUID id = UUID.fromString("00000000-0000-0000-0000-00000000000a");
        assertEquals(id, ClusterOptions.builder().name("n").id(id).build().id());
    }

    @Test
    void everyBadSettingIsNamedAtOnce() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> ClusterOptions.builder()
                .name(" ").zone("x".repeat(201)).address("a\nb").tickInterval(Duration.ofMillis(1))
                .deadRunnerAge(Duration.ofSeconds(5)).closeTimeout(Duration.ofMinutes(2)).takeoverGrace(Duration.ofSeconds(-1))
                .ticker(null).build());
        List<String> p = e.problems();
        assertEquals(List.of("name must not be blank", "zone must be at most 200 characters, not 201",
                "address must not contain control characters", "tickInterval must be at least PT0.01S, not PT0.001S",
                "deadRunnerAge must be at least PT1M, not PT5S", "closeTimeout must be at most 1 minute, not PT2M",
                "takeoverGrace must be between 0 and 1 minute, not PT-1S", "ticker must not be null"), p);
    }

    @Test
    void fenceAfterPlusTickMustStayBelowTheServersDrop() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> ClusterOptions.builder()
                .name("n").fenceAfter(Duration.ofSeconds(7)).tickInterval(Duration.ofSeconds(2)).build());
        assertEquals(1, e.problems().size());
        assertTrue(e.problems().get(0).startsWith("fenceAfter + tickInterval must be at most 8 s, not PT9S"), e.getMessage());

        e = assertThrows(InvalidConfigurationException.class, () -> ClusterOptions.builder()
                .name("n").fenceAfter(Duration.ofSeconds(1)).tickInterval(Duration.ofSeconds(2)).build());
        assertTrue(e.problems().get(0).startsWith("fenceAfter must be longer than tickInterval (PT2S), not PT1S"), e.getMessage());

        e = assertThrows(InvalidConfigurationException.class, () -> ClusterOptions.builder()
                .name("n").statementTimeout(Duration.ofSeconds(7)).build());
        assertEquals(List.of("statementTimeout must be at most fenceAfter (PT6S), not PT7S"), e.problems());

        e = assertThrows(InvalidConfigurationException.class, () -> ClusterOptions.builder().build());
        assertEquals(List.of("name must be set"), e.problems());
    }
}
