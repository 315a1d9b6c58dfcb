package io.github.wardops.ward.snmp.poller;

import io.github.wardops.ward.snmp.SnmpOid;
import io.github.wardops.ward.snmp.SnmpValue;
import io.github.wardops.ward.snmp.SnmpVarBind;
import io.github.wardops.ward.snmp.SnmpVersion;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One SNMP trap or inform that {@link SnmpTrapReceiver} accepted (its community or USM user was
 * allowed). Immutable and thread-safe; it never holds a community or a passphrase.
 *
 * @param receivedAt when the datagram was read, on the receiver's clock
 * @param source the UDP peer the datagram came from
 * @param agentAddress the address the agent names for itself: the v1 {@code agent-addr} field, or
 *        the {@code snmpTrapAddress.0} binding (1.3.6.1.6.3.18.1.3.0) of a v2c/v3 notification;
 *        {@code null} when there is none (or the v1 field is 0.0.0.0)
 * @param version the protocol version
 * @param inform {@code true} for an inform (which the receiver acknowledged), {@code false} for a trap
 * @param user the SNMPv3 user name, {@code null} for v1 and v2c
 * @param trapOid the notification's OID; a v1 trap's generic and specific codes are translated
 *        to the v2 form of RFC 3584 (linkDown, generic 2, is 1.3.6.1.6.3.1.1.5.3)
 * @param wellKnownName coldStart, warmStart, linkDown, linkUp or authenticationFailure, else {@code null}
 * @param sysUpTime the agent's sysUpTime in hundredths of a second (the v1 time-stamp, or the
 *        {@code sysUpTime.0} binding), or -1 when the notification carries none
 * @param varbinds the variable bindings in the order sent, without the {@code sysUpTime.0} and
 *        {@code snmpTrapOID.0} bindings of v2c/v3 (they are {@code sysUpTime} and {@code trapOid});
 *        at most {@link SnmpTrapOptions#maxVarbinds()}, each string value cut to
 *        {@link SnmpTrapOptions#maxValueBytes()} bytes
 * @param ifIndex for linkDown and linkUp, the interface index from the {@code ifIndex}
 *        binding (1.3.6.1.2.1.2.2.1.1.N); {@code null} otherwise or when absent
 * @param varbindsDropped bindings beyond the limit, not kept
 * @param valuesTruncated values cut to the byte limit
 */
public record TrapEvent(Instant receivedAt, InetSocketAddress source, InetAddress agentAddress, SnmpVersion version,
                        boolean inform, String user, SnmpOid trapOid, String wellKnownName, long sysUpTime,
                        List<SnmpVarBind> varbinds, Integer ifIndex, int varbindsDropped, int valuesTruncated) {
    /**
     * Checks the components (each is described on the record) and copies the bindings.
     *
     * @throws NullPointerException if a required component is null
     */
    public TrapEvent {
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(trapOid, "trapOid");
        varbinds = List.copyOf(varbinds);
    }

    /**
     * The value of the first binding with this OID.
     *
     * @param oid the OID
     * @return the value, or empty when the notification has no such binding (or it was dropped)
     */
    public Optional<SnmpValue> value(SnmpOid oid) {
        for (SnmpVarBind vb : varbinds) {
            if (vb.oid().equals(oid)) {
                return Optional.of(vb.value());
            }
        }
        return Optional.empty();
    }
}
