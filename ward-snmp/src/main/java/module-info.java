/**
 * ward-snmp: the SNMP poller, over SNMP4J.
 *
 * <p>{@link io.github.wardops.ward.snmp.poller.SnmpProbers} opens the
 * {@link io.github.wardops.ward.snmp.poller.SnmpProber} that the engine's SNMP checks need, and
 * {@link io.github.wardops.ward.snmp.poller.SnmpTrapReceiver} receives traps and informs; the
 * values it produces are ward-core's SNMP model ({@code io.github.wardops.ward.snmp}). No SNMP4J
 * type appears in the API. Everything under {@code io.github.wardops.ward.snmp.poller.internal}
 * is implementation and may change in any release.
 */
// "module": the qualified export below names a ward module that is built after this one
@SuppressWarnings("module")
module io.github.wardops.ward.snmp {
    requires transitive io.github.wardops.ward;
    requires org.snmp4j;
    requires org.slf4j;

    exports io.github.wardops.ward.snmp.poller;

    // the simulator answers with the same value conversion and SNMPv3 user mapping the poller uses; nobody else may use it
    exports io.github.wardops.ward.snmp.poller.internal to io.github.wardops.ward.simulator;
}
