/**
 * ward-testkit: fixtures for testing ward and applications that embed it: SPI contract suites
 * a manual clock that drives a Ward on fake time and a real VictoriaMetrics for export tests, plus (from ward-simulator, required
 * transitively) simulated SNMP agents and loopback fault hosts.
 */
module io.github.wardops.ward.testkit {
    requires transitive io.github.wardops.ward;
    requires transitive io.github.wardops.ward.simulator;
    requires transitive org.junit.jupiter.api;
    requires java.net.http;

    exports io.github.wardops.ward.testkit;
    exports io.github.wardops.ward.testkit.contract;
    exports io.github.wardops.ward.testkit.state;

    opens io.github.wardops.ward.testkit.contract to org.junit.platform.commons;
    opens io.github.wardops.ward.testkit.state to org.junit.platform.commons;
}
