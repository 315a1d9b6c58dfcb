/**
 * ward-simulator: simulated SNMP agents and faulty loopback hosts, for tests, benchmarks and
 * demos.
 *
 * <p>{@link io.github.wardops.ward.simulator.snmp.SnmpSimulator} answers SNMP v1, v2c and v3 for
 * any number of {@link io.github.wardops.ward.simulator.snmp.SimulatedDevice}s on loopback
 * addresses; {@link io.github.wardops.ward.simulator.net.LoopbackFaults} makes loopback ranges
 * silent or unreachable. It has no test framework dependency, so that applications (such as the
 * runner's {@code demo}) can ship it; ward-testkit builds on it.
 */
module io.github.wardops.ward.simulator {
    requires transitive io.github.wardops.ward;
    requires io.github.wardops.ward.snmp;
    requires org.snmp4j;

    exports io.github.wardops.ward.simulator.snmp;
    exports io.github.wardops.ward.simulator.net;
}
