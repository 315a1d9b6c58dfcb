/**
 * ward-testkit: fixtures for testing ward and applications that embed it: SPI contract suites,
 * simulated SNMP agents, loopback fault hosts, and a manual clock that drives a Ward on fake time.
 */
module io.github.wardops.ward.testkit {
    requires transitive io.github.wardops.ward;
    requires transitive org.junit.jupiter.api;
    requires org.snmp4j;

    exports io.github.wardops.ward.testkit;
    exports io.github.wardops.ward.testkit.contract;
    exports io.github.wardops.ward.testkit.net;
    exports io.github.wardops.ward.testkit.snmp;
    exports io.github.wardops.ward.testkit.state;

    opens io.github.wardops.ward.testkit.contract to org.junit.platform.commons;
    opens io.github.wardops.ward.testkit.state to org.junit.platform.commons;
}
