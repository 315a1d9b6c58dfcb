package io.github.wardops.ward.snmp.poller.internal;

import io.github.wardops.ward.snmp.SnmpAuthProtocol;
import io.github.wardops.ward.snmp.SnmpCredentials;
import io.github.wardops.ward.snmp.SnmpOid;
import io.github.wardops.ward.snmp.SnmpPrivProtocol;
import io.github.wardops.ward.snmp.SnmpValue;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.snmp4j.security.AuthHMAC128SHA224;
import org.snmp4j.security.AuthHMAC192SHA256;
import org.snmp4j.security.AuthHMAC256SHA384;
import org.snmp4j.security.AuthHMAC384SHA512;
import org.snmp4j.security.AuthMD5;
import org.snmp4j.security.AuthSHA;
import org.snmp4j.security.PrivAES128;
import org.snmp4j.security.PrivAES192;
import org.snmp4j.security.PrivAES256;
import org.snmp4j.security.PrivDES;
import org.snmp4j.security.SecurityProtocols;
import org.snmp4j.security.UsmUser;
import org.snmp4j.smi.Counter32;
import org.snmp4j.smi.Counter64;
import org.snmp4j.smi.Gauge32;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.IpAddress;
import org.snmp4j.smi.Null;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.Opaque;
import org.snmp4j.smi.SMIConstants;
import org.snmp4j.smi.TimeTicks;
import org.snmp4j.smi.Variable;

/**
 * Converts between ward's SNMP types and SNMP4J's (values, OIDs, SNMPv3 users and protocols). The
 * only place that knows both; shared with ward-simulator's agent (the package's only qualified
 * export). Stateless and thread-safe.
 */
public final class Snmp4jValues {
    private Snmp4jValues() {
    }

    /**
     * A new set of the SNMPv3 protocols ward speaks: one per {@link SnmpAuthProtocol} and
     * {@link SnmpPrivProtocol}, and no others (SNMP4J's defaults are not added).
     *
     * @return a new, mutable set for one USM
     */
    public static SecurityProtocols securityProtocols() {
        SecurityProtocols protocols = new SecurityProtocols(SecurityProtocols.SecurityProtocolSet.none);
        protocols.addAuthenticationProtocol(new AuthMD5());
        protocols.addAuthenticationProtocol(new AuthSHA());
        protocols.addAuthenticationProtocol(new AuthHMAC128SHA224());
        protocols.addAuthenticationProtocol(new AuthHMAC192SHA256());
        protocols.addAuthenticationProtocol(new AuthHMAC256SHA384());
        protocols.addAuthenticationProtocol(new AuthHMAC384SHA512());
        protocols.addPrivacyProtocol(new PrivDES());
        protocols.addPrivacyProtocol(new PrivAES128());
        protocols.addPrivacyProtocol(new PrivAES192());
        protocols.addPrivacyProtocol(new PrivAES256());
        return protocols;
    }

    /**
     * Converts SNMPv3 credentials to an SNMP4J USM user. The passphrases are revealed into the
     * user, which SNMP4J keeps for key localisation; never log it.
     *
     * @param u the credentials
     * @return the user, with the protocols of {@link #securityProtocols()}
     */
    public static UsmUser usmUser(SnmpCredentials.Usm u) {
        OID auth = u.auth() == null ? null : authOid(u.auth());
        OID priv = u.priv() == null ? null : privOid(u.priv());
        return new UsmUser(new OctetString(u.user()), auth,
                u.authPassphrase() == null ? null : new OctetString(u.authPassphrase().revealBytes()), priv,
                u.privPassphrase() == null ? null : new OctetString(u.privPassphrase().revealBytes()));
    }

    private static OID authOid(SnmpAuthProtocol p) {
        return switch (p) {
            case MD5 -> AuthMD5.ID;
            case SHA1 -> AuthSHA.ID;
            case SHA224 -> AuthHMAC128SHA224.ID;
            case SHA256 -> AuthHMAC192SHA256.ID;
            case SHA384 -> AuthHMAC256SHA384.ID;
            case SHA512 -> AuthHMAC384SHA512.ID;
        };
    }

    private static OID privOid(SnmpPrivProtocol p) {
        return switch (p) {
            case DES -> PrivDES.ID;
            case AES128 -> PrivAES128.ID;
            case AES192 -> PrivAES192.ID;
            case AES256 -> PrivAES256.ID;
        };
    }

    /**
     * Converts an OID.
     *
     * @param oid ward's OID
     * @return SNMP4J's OID
     */
    public static OID toOid(SnmpOid oid) {
        return new OID(oid.toIntArray());
    }

    /**
     * Converts an OID.
     *
     * @param oid SNMP4J's OID
     * @return ward's OID, or {@code null} when it is empty
     */
    public static SnmpOid fromOid(OID oid) {
        if (oid == null || oid.size() == 0 || oid.size() > 128) {
            return null;
        }
        return SnmpOid.of(oid.getValue());
    }

    /**
     * Converts a value from SNMP4J.
     *
     * @param v the variable; {@code null} gives {@link SnmpValue.Null}
     * @return ward's value
     */
    public static SnmpValue fromVariable(Variable v) {
        if (v == null) {
            return new SnmpValue.Null();
        }
        return switch (v.getSyntax()) {
            case SMIConstants.SYNTAX_INTEGER -> new SnmpValue.Integer32(v.toInt());
            case SMIConstants.SYNTAX_COUNTER32 -> new SnmpValue.Counter32(v.toLong());
            case SMIConstants.SYNTAX_GAUGE32 -> new SnmpValue.Gauge32(v.toLong());
            case SMIConstants.SYNTAX_TIMETICKS -> new SnmpValue.TimeTicks(v.toLong());
            case SMIConstants.SYNTAX_COUNTER64 -> new SnmpValue.Counter64(((Counter64) v).getValue());
            case SMIConstants.SYNTAX_OCTET_STRING -> v instanceof Opaque o
                    ? new SnmpValue.Opaque(o.getValue()) : new SnmpValue.OctetString(((OctetString) v).getValue());
            case SMIConstants.SYNTAX_OPAQUE -> new SnmpValue.Opaque(((OctetString) v).getValue());
            case SMIConstants.SYNTAX_OBJECT_IDENTIFIER -> {
                SnmpOid o = fromOid((OID) v);
                yield o == null ? new SnmpValue.OctetString(new byte[0]) : new SnmpValue.ObjectId(o);
            }
            case SMIConstants.SYNTAX_IPADDRESS -> new SnmpValue.IpAddress(((IpAddress) v).getInetAddress());
            case SMIConstants.EXCEPTION_NO_SUCH_OBJECT -> new SnmpValue.NoSuchObject();
            case SMIConstants.EXCEPTION_NO_SUCH_INSTANCE -> new SnmpValue.NoSuchInstance();
            case SMIConstants.EXCEPTION_END_OF_MIB_VIEW -> new SnmpValue.EndOfMibView();
            default -> new SnmpValue.Null();
        };
    }

    /**
     * Converts a value to SNMP4J.
     *
     * @param v ward's value
     * @return SNMP4J's variable
     */
    public static Variable toVariable(SnmpValue v) {
        return switch (v) {
            case SnmpValue.Integer32 i -> new Integer32(i.value());
            case SnmpValue.Counter32 c -> new Counter32(c.value());
            case SnmpValue.Gauge32 g -> new Gauge32(g.value());
            case SnmpValue.TimeTicks t -> new TimeTicks(t.value());
            case SnmpValue.Counter64 c -> new Counter64(c.value());
            case SnmpValue.OctetString s -> new OctetString(s.bytes());
            case SnmpValue.Opaque o -> new Opaque(o.bytes());
            case SnmpValue.ObjectId o -> toOid(o.oid());
            case SnmpValue.IpAddress a -> new IpAddress(a.address());
            case SnmpValue.Null n -> new Null();
            case SnmpValue.NoSuchObject n -> Null.noSuchObject;
            case SnmpValue.NoSuchInstance n -> Null.noSuchInstance;
            case SnmpValue.EndOfMibView e -> Null.endOfMibView;
        };
    }

    /**
     * An IPv4 address from four bytes, for tests.
     *
     * @param b the bytes
     * @return the address
     */
    static InetAddress inet(byte[] b) {
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
