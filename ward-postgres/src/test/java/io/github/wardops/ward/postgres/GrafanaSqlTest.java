package io.github.wardops.ward.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The expansion {@link GrafanaDashboardsIT} relies on, against the examples of Grafana's
 * PostgreSQL data source guide ("Macros") and the behaviour of its code cited in {@link GrafanaSql}.
 */
class GrafanaSqlTest {
    static final Instant FROM = Instant.parse("2017-04-21T05:01:17Z");
    static final Instant TO = Instant.parse("2017-04-21T05:06:17Z");

    static String expand(String sql, Map<String, GrafanaSql.Variable> vars) {
        return GrafanaSql.expand(sql, vars, FROM, TO, Duration.ofMinutes(1));
    }

    @Test
    void macrosExpandAsTheGuideShows() {
        assertEquals("time BETWEEN '2017-04-21T05:01:17Z' AND '2017-04-21T05:06:17Z'", expand("$__timeFilter(time)", Map.of()));
        assertEquals("'2017-04-21T05:01:17Z' '2017-04-21T05:06:17Z'", expand("$__timeFrom() $__timeTo()", Map.of()));
        assertEquals("floor(extract(epoch from dateColumn)/300)*300", expand("$__timeGroup(dateColumn,'5m')", Map.of()));
        assertEquals("floor(extract(epoch from dateColumn)/300)*300 AS \"time\"",
                expand("$__timeGroupAlias(dateColumn,'5m')", Map.of()));
        assertEquals("floor(extract(epoch from c)/3600)*3600 AS \"time\"", expand("$__timeGroupAlias(c, '1h', 0)", Map.of()));
        assertEquals("dateColumn >= 1492750877 AND dateColumn <= 1492751177", expand("$__unixEpochFilter(dateColumn)", Map.of()));
        assertEquals("1492750877 1492751177", expand("$__unixEpochFrom() $__unixEpochTo()", Map.of()));
        assertEquals("c AS \"time\", extract(epoch from c) as \"time\"", expand("$__time(c), $__timeEpoch(c)", Map.of()));
        assertEquals("floor((c)/60)*60", expand("$__unixEpochGroup(c, $__interval)", Map.of()));
    }

    @Test
    void intervalsAndTheirFormats() {
        assertEquals("floor(extract(epoch from at)/60)*60 AS \"time\" 60000",
                expand("$__timeGroupAlias(at, $__interval) $__interval_ms", Map.of()));
        assertEquals("floor(extract(epoch from at)/0.5)*0.5", expand("$__timeGroup(at, '500ms')", Map.of()));
        assertEquals("1m", GrafanaSql.formatInterval(Duration.ofSeconds(90)));
        assertEquals("2h", GrafanaSql.formatInterval(Duration.ofHours(2)));
        assertEquals("1d", GrafanaSql.formatInterval(Duration.ofHours(36)));
        assertEquals("2017-04-21T05:01:17.5Z", GrafanaSql.rfc3339Nano(FROM.plusMillis(500)));
    }

    @Test
    void timeGroupFollowedByACommaGetsTheAliasAsInGrafana() {
        assertEquals("SELECT floor(extract(epoch from at)/60)*60 AS \"time\", x",
                expand("SELECT $__timeGroup(at, 1m), x", Map.of()));
        assertEquals("ORDER BY floor(extract(epoch from at)/60)*60)", expand("ORDER BY $__timeGroup(at, 1m))", Map.of()));
    }

    @Test
    void variablesAreQuotedAsTheSqlDataSourcesDo() {
        Map<String, GrafanaSql.Variable> vars = Map.of(
                "region", new GrafanaSql.Variable("region", true, true, null, false, List.of("Achara", "O'Brien")),
                "device", new GrafanaSql.Variable("device", false, false, null, false, List.of("x'y")),
                "one", new GrafanaSql.Variable("one", true, false, null, false, List.of("a")));
        assertEquals("r IN ('Achara','O''Brien') AND d = 'x''y' AND o IN ('a')",
                expand("r IN ($region) AND d = '$device' AND o IN (${one})", vars));
        assertEquals("$unknown stays", expand("$unknown stays", vars));
    }

    @Test
    void aCustomAllValueIsInsertedAsItIsWithItsVariablesReplaced() {
        Map<String, GrafanaSql.Variable> vars = Map.of(
                "device", new GrafanaSql.Variable("device", false, false, null, false, List.of("d1")),
                "interface", new GrafanaSql.Variable("interface", true, true, "SELECT i FROM t WHERE d = '$device'", true, List.of()),
                "region", new GrafanaSql.Variable("region", true, true, "'__all'", true, List.of("a", "b")),
                "all", new GrafanaSql.Variable("all", true, true, null, true, List.of("a", "b")));
        assertEquals("i IN (SELECT i FROM t WHERE d = 'd1') AND '__all' IN ('__all') AND x IN ('a','b')",
                expand("i IN ($interface) AND '__all' IN ($region) AND x IN ($all)", vars));
    }

    @Test
    void anUnknownMacroOrABadIntervalFails() {
        assertThrows(IllegalArgumentException.class, () -> expand("$__nothing(x)", Map.of()));
        assertThrows(IllegalArgumentException.class, () -> expand("$__timeGroup(x)", Map.of()));
        assertThrows(IllegalArgumentException.class, () -> expand("$__timeGroup(x, fast)", Map.of()));
    }
}
