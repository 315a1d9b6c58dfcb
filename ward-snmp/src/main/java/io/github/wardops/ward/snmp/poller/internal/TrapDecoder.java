package io.github.wardops.ward.snmp.poller.internal;

import io.github.wardops.ward.Secret;
import io.github.wardops.ward.snmp.SnmpCredentials;
import io.github.wardops.ward.snmp.SnmpOid;
import io.github.wardops.ward.snmp.SnmpValue;
import io.github.wardops.ward.snmp.SnmpVarBind;
import io.github.wardops.ward.snmp.SnmpVersion;
import io.github.wardops.ward.snmp.poller.TrapEvent;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snmp4j.CommandResponder;
import org.snmp4j.CommandResponderEvent;
import org.snmp4j.MessageDispatcherImpl;
import org.snmp4j.MessageException;
import org.snmp4j.PDU;
import org.snmp4j.PDUv1;
import org.snmp4j.TransportMapping;
import org.snmp4j.TransportStateReference;
import org.snmp4j.asn1.BER;
import org.snmp4j.asn1.BERInputStream;
import org.snmp4j.event.CounterEvent;
import org.snmp4j.mp.CounterSupport;
import org.snmp4j.mp.MPv1;
import org.snmp4j.mp.MPv2c;
import org.snmp4j.mp.MPv3;
import org.snmp4j.mp.MessageProcessingModel;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.mp.StatusInformation;
import org.snmp4j.security.SecurityLevel;
import org.snmp4j.security.SecurityModels;
import org.snmp4j.security.SecurityProtocols;
import org.snmp4j.security.USM;
import org.snmp4j.security.UsmTimeEntry;
import org.snmp4j.security.UsmTimeTable;
import org.snmp4j.security.UsmUser;
import org.snmp4j.security.UsmUserEntry;
import org.snmp4j.security.UsmUserTable;
import org.snmp4j.smi.Address;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.IpAddress;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.smi.Variable;
import org.snmp4j.smi.VariableBinding;
import org.snmp4j.transport.UdpTransportMapping;

/**
 * Decodes the datagrams of a trap receiver with SNMP4J's message processing (v1, v2c, v3 USM),
 * checks communities and users, answers informs and v3 engine-ID discovery, and turns each
 * notification into a {@link TrapEvent}. One instance per receiver; {@link #decode} runs on the
 * receiver's socket thread (it is synchronized, so a second caller waits).
 *
 * <p>The USM's tables of remote engine IDs (localized user keys, engine clocks) are bounded by
 * {@code maxEngineIds}: the oldest is forgotten beyond it. SNMP4J's USM users print their
 * passphrases in {@code toString()}: none is ever logged or put in a message here.
 */
public final class TrapDecoder {
    /** What became of one datagram, as far as the decoder is concerned. */
    public enum Outcome {
        /** A notification from an allowed community or user, handed to the sink. */
        HANDLED,
        /** v1/v2c with a community not in the allow-list. */
        BAD_COMMUNITY,
        /** v3 that failed USM: unknown user, wrong digest, undecryptable, too low a security level. */
        AUTH_FAILURE,
        /** v3 answered with a USM report (engine-ID discovery or time synchronisation): no notification. */
        REPORT,
        /** Not a decodable SNMP notification. */
        MALFORMED
    }

    /** Takes accepted notifications; runs on the socket thread and must not block. */
    @FunctionalInterface
    public interface Sink {
        /**
         * One accepted notification.
         *
         * @param event the notification
         * @return {@code true} to acknowledge it when it is an inform (it was kept)
         */
        boolean accept(TrapEvent event);
    }

    private static final OID[] AUTH_FAILURE_COUNTERS = {SnmpConstants.usmStatsWrongDigests,
        SnmpConstants.usmStatsUnknownUserNames, SnmpConstants.usmStatsDecryptionErrors,
        SnmpConstants.usmStatsUnsupportedSecLevels};
    private static final OID[] REPORT_COUNTERS = {SnmpConstants.usmStatsUnknownEngineIDs,
        SnmpConstants.usmStatsNotInTimeWindows};

    private final List<byte[]> communities;
    private final Map<String, SnmpCredentials.Usm> users = new HashMap<>();
    private final int maxVarbinds;
    private final int maxValueBytes;
    private final Sink sink;
    private final Dispatcher dispatcher = new Dispatcher();
    private final byte[] localEngineId;
    private final BoundedUserTable userTable;
    private final BoundedTimeTable timeTable;
    private ChannelTransport transport;

    // per-datagram state, written and read on the decoding thread only (decode is synchronized)
    private Outcome outcome;
    private boolean authFailureSeen;
    private boolean reportSeen;
    private boolean answered;
    private InetSocketAddress currentSource;
    private Instant currentTime;

    /**
     * Creates a decoder.
     *
     * @param communities the v1/v2c allow-list
     * @param users the v3 users
     * @param localEngineId the receiver's engine ID, or {@code null} for a random one
     * @param maxEngineIds the most remote engine IDs kept in the USM's tables
     * @param maxVarbinds the most bindings kept per notification
     * @param maxValueBytes the most bytes kept per string value
     * @param sink where accepted notifications go
     */
    public TrapDecoder(List<Secret> communities, List<SnmpCredentials.Usm> users, byte[] localEngineId,
                       int maxEngineIds, int maxVarbinds, int maxValueBytes, Sink sink) {
        this.communities = communities.stream().map(Secret::revealBytes).toList();
        this.maxVarbinds = maxVarbinds;
        this.maxValueBytes = maxValueBytes;
        this.sink = sink;
        byte[] engineId = localEngineId;
        if (engineId == null) {
            byte[] random = new byte[8];
            new SecureRandom().nextBytes(random);
            engineId = MPv3.createLocalEngineID(new OctetString(random));
        }
        this.localEngineId = engineId.clone();
        OctetString local = new OctetString(engineId);
        SecurityProtocols protocols = Snmp4jValues.securityProtocols();
        CounterSupport counters = new CounterSupport();
        counters.addCounterListener(this::counted);
        userTable = new BoundedUserTable(maxEngineIds, local);
        timeTable = new BoundedTimeTable(local, 1, maxEngineIds);
        USM usm = new USM(protocols, local, 1, counters, userTable, timeTable);
        for (SnmpCredentials.Usm u : users) {
            this.users.put(u.user(), u);
            // without an engine ID: localized on demand for each sender's engine (and for ours, for informs)
            usm.addUser(Snmp4jValues.usmUser(u).setLocalizationGrant(UsmUser.LocalizationGrant.any));
        }
        SecurityModels models = new SecurityModels();
        models.addSecurityModel(usm);
        MPv3 mpv3 = new MPv3(engineId, null, protocols, models, counters);
        mpv3.setMaxEngineIdCacheSize(maxEngineIds);
        dispatcher.addMessageProcessingModel(new MPv1());
        dispatcher.addMessageProcessingModel(new MPv2c());
        dispatcher.addMessageProcessingModel(mpv3);
        dispatcher.addCommandResponder(new Responder());
    }

    /**
     * The receiver's own SNMPv3 engine ID.
     *
     * @return a copy
     */
    public byte[] localEngineId() {
        return localEngineId.clone();
    }

    /**
     * The remote SNMPv3 engines whose clocks the USM keeps (at most {@code maxEngineIds}).
     *
     * @return the count
     */
    public int remoteEngineIds() {
        return timeTable.remoteCount();
    }

    /**
     * The users localized for remote SNMPv3 engines (at most {@code maxEngineIds}).
     *
     * @return the count
     */
    public int localizedUsers() {
        return userTable.remoteCount();
    }

    /**
     * Sets the socket that answers (inform responses, USM reports) go out on.
     *
     * @param channel the receiver's socket
     * @param local its local address
     */
    public void bind(DatagramChannel channel, InetSocketAddress local) {
        transport = new ChannelTransport(new UdpAddress(local.getAddress(), local.getPort()), channel);
    }

    /**
     * Decodes one datagram; accepted notifications go to the sink before this returns.
     *
     * @param from the UDP peer
     * @param message the datagram's bytes
     * @param receivedAt when it was read
     * @return what became of it; never throws for any input
     */
    public synchronized Outcome decode(InetSocketAddress from, byte[] message, Instant receivedAt) {
        outcome = null;
        authFailureSeen = false;
        reportSeen = false;
        answered = false;
        currentSource = from;
        currentTime = receivedAt;
        try {
            if (message.length < 2 || transport == null) {
                return Outcome.MALFORMED;
            }
            BERInputStream in = new BERInputStream(ByteBuffer.wrap(message));
            in.mark(16);
            BER.MutableByte type = new BER.MutableByte();
            BER.decodeHeader(in, type, false);
            if (type.getValue() != BER.SEQUENCE) {
                return Outcome.MALFORMED;
            }
            Integer32 version = new Integer32();
            version.decodeBER(in);
            int v = version.getValue();
            if (v != SnmpConstants.version1 && v != SnmpConstants.version2c && v != SnmpConstants.version3) {
                return Outcome.MALFORMED;
            }
            MessageProcessingModel mp = dispatcher.getMessageProcessingModel(v);
            if (mp == null) {
                return Outcome.MALFORMED;
            }
            in.reset();
            UdpAddress peer = new UdpAddress(from.getAddress(), from.getPort());
            dispatcher.dispatch(transport, mp, peer, in,
                    new TransportStateReference(transport, peer, null, SecurityLevel.undefined, SecurityLevel.undefined,
                            false, null));
        } catch (IOException | RuntimeException e) {
            // undecodable: BER errors, SNMP4J's own runtime exceptions on hostile input
            return outcome == Outcome.HANDLED ? outcome : Outcome.MALFORMED;
        } catch (StackOverflowError | OutOfMemoryError e) {
            return Outcome.MALFORMED;
        } finally {
            currentSource = null;
            currentTime = null;
        }
        if (outcome != null) {
            return outcome;
        }
        if (authFailureSeen) {
            return Outcome.AUTH_FAILURE;
        }
        return reportSeen ? Outcome.REPORT : Outcome.MALFORMED;
    }

    private void counted(CounterEvent e) {
        OID oid = e.getOid();
        if (oid == null) {
            return;
        }
        for (OID c : AUTH_FAILURE_COUNTERS) {
            if (oid.startsWith(c) || c.startsWith(oid)) {
                authFailureSeen = true;
            }
        }
        for (OID c : REPORT_COUNTERS) {
            if (oid.startsWith(c) || c.startsWith(oid)) {
                reportSeen = true;
            }
        }
    }

    private boolean communityAllowed(byte[] community) {
        boolean ok = false;
        for (byte[] c : communities) {
            ok |= java.security.MessageDigest.isEqual(c, community);
        }
        return ok;
    }

    private <A extends Address> Outcome handle(CommandResponderEvent<A> e) {
        int mp = e.getMessageProcessingModel();
        SnmpVersion version = mp == MessageProcessingModel.MPv1 ? SnmpVersion.V1
                : mp == MessageProcessingModel.MPv2c ? SnmpVersion.V2C : SnmpVersion.V3;
        PDU pdu = e.getPDU();
        if (pdu == null) {
            return Outcome.MALFORMED;
        }
        int type = pdu.getType();
        boolean inform = type == PDU.INFORM;
        boolean ok = version == SnmpVersion.V1 ? type == PDU.V1TRAP : type == PDU.TRAP || inform;
        if (!ok) {
            return Outcome.MALFORMED;
        }
        String user = null;
        if (version != SnmpVersion.V3) {
            byte[] community = e.getSecurityName();
            if (community == null || !communityAllowed(community)) {
                return Outcome.BAD_COMMUNITY;
            }
        } else {
            user = new String(e.getSecurityName(), StandardCharsets.UTF_8);
            SnmpCredentials.Usm u = users.get(user);
            if (u == null || e.getSecurityLevel() < requiredLevel(u)) {
                return Outcome.AUTH_FAILURE;
            }
        }
        TrapEvent event;
        try {
            event = version == SnmpVersion.V1 ? v1Event((PDUv1) pdu) : v2Event(pdu, version, inform, user);
        } catch (RuntimeException ex) {
            return Outcome.MALFORMED;
        }
        outcome = Outcome.HANDLED;
        if (sink.accept(event) && inform) {
            answered = respond(e, pdu);
        }
        return Outcome.HANDLED;
    }

    private static int requiredLevel(SnmpCredentials.Usm u) {
        return switch (u.level()) {
            case NO_AUTH_NO_PRIV -> SecurityLevel.NOAUTH_NOPRIV;
            case AUTH_NO_PRIV -> SecurityLevel.AUTH_NOPRIV;
            case AUTH_PRIV -> SecurityLevel.AUTH_PRIV;
        };
    }

    private static <A extends Address> boolean respond(CommandResponderEvent<A> e, PDU request) {
        PDU response = (PDU) request.clone();
        response.setType(PDU.RESPONSE);
        response.setErrorStatus(0);
        response.setErrorIndex(0);
        try {
            e.getMessageDispatcher().returnResponsePdu(e.getMessageProcessingModel(), e.getSecurityModel(),
                    e.getSecurityName(), e.getSecurityLevel(), response, e.getMaxSizeResponsePDU(),
                    e.getStateReference(), new StatusInformation());
            return true;
        } catch (MessageException ex) {
            // cannot answer (too big for the sender's limit): the sender retries, as after a loss
            return false;
        }
    }

    private TrapEvent v1Event(PDUv1 pdu) {
        SnmpOid enterprise = Snmp4jValues.fromOid(pdu.getEnterprise());
        SnmpOid trapOid = TrapOids.v1ToV2(enterprise, pdu.getGenericTrap(), pdu.getSpecificTrap());
        InetAddress agent = null;
        IpAddress a = pdu.getAgentAddress();
        if (a != null && a.getInetAddress() != null && !a.getInetAddress().isAnyLocalAddress()) {
            agent = a.getInetAddress();
        }
        long upTime = pdu.getTimestamp() & 0xFFFF_FFFFL;
        Bindings b = bindings(pdu.getVariableBindings(), false);
        String name = TrapOids.wellKnownName(trapOid);
        return new TrapEvent(currentTime, currentSource, agent, SnmpVersion.V1, false, null, trapOid, name, upTime,
                b.kept, ifIndex(name, b.all), b.dropped, b.truncated);
    }

    private TrapEvent v2Event(PDU pdu, SnmpVersion version, boolean inform, String user) {
        Bindings b = bindings(pdu.getVariableBindings(), true);
        if (b.trapOid == null) {
            throw new IllegalArgumentException("no snmpTrapOID.0 binding");
        }
        String name = TrapOids.wellKnownName(b.trapOid);
        return new TrapEvent(currentTime, currentSource, b.agent, version, inform, user, b.trapOid, name, b.upTime,
                b.kept, ifIndex(name, b.all), b.dropped, b.truncated);
    }

    private static Integer ifIndex(String name, List<SnmpVarBind> all) {
        if (!"linkDown".equals(name) && !"linkUp".equals(name)) {
            return null;
        }
        for (SnmpVarBind vb : all) {
            if (vb.oid().size() == TrapOids.IF_INDEX.size() + 1 && vb.oid().startsWith(TrapOids.IF_INDEX)) {
                if (vb.value() instanceof SnmpValue.Integer32 i) {
                    return i.value();
                }
                long suffix = vb.oid().get(vb.oid().size() - 1);
                return suffix <= Integer.MAX_VALUE ? (int) suffix : null;
            }
        }
        return null;
    }

    private static final class Bindings {
        final List<SnmpVarBind> all = new ArrayList<>();
        final List<SnmpVarBind> kept = new ArrayList<>();
        int dropped;
        int truncated;
        long upTime = -1;
        SnmpOid trapOid;
        InetAddress agent;
    }

    private Bindings bindings(List<? extends VariableBinding> vbs, boolean v2) {
        Bindings b = new Bindings();
        for (VariableBinding vb : vbs) {
            SnmpOid oid = Snmp4jValues.fromOid(vb.getOid());
            if (oid == null) {
                b.dropped++;
                continue;
            }
            Variable var = vb.getVariable();
            SnmpValue value = Snmp4jValues.fromVariable(var);
            if (v2 && b.upTime < 0 && oid.equals(TrapOids.SYS_UP_TIME_0)
                    && value instanceof SnmpValue.TimeTicks t) {
                b.upTime = t.value();
                continue;
            }
            if (v2 && b.trapOid == null && oid.equals(TrapOids.SNMP_TRAP_OID_0)) {
                if (!(value instanceof SnmpValue.ObjectId o)) {
                    throw new IllegalArgumentException("snmpTrapOID.0 is not an OID");
                }
                b.trapOid = o.oid();
                continue;
            }
            if (v2 && b.agent == null && oid.equals(TrapOids.SNMP_TRAP_ADDRESS_0)
                    && value instanceof SnmpValue.IpAddress ip && !ip.address().isAnyLocalAddress()) {
                b.agent = ip.address();
            }
            value = cut(value, b);
            SnmpVarBind bind = new SnmpVarBind(oid, value);
            if (b.all.size() < maxVarbinds * 4) {
                b.all.add(bind);
            }
            if (b.kept.size() < maxVarbinds) {
                b.kept.add(bind);
            } else {
                b.dropped++;
            }
        }
        return b;
    }

    private SnmpValue cut(SnmpValue v, Bindings b) {
        if (v instanceof SnmpValue.OctetString s && s.bytes().length > maxValueBytes) {
            b.truncated++;
            return new SnmpValue.OctetString(Arrays.copyOf(s.bytes(), maxValueBytes));
        }
        if (v instanceof SnmpValue.Opaque o && o.bytes().length > maxValueBytes) {
            b.truncated++;
            return new SnmpValue.Opaque(Arrays.copyOf(o.bytes(), maxValueBytes));
        }
        return v;
    }

    /** SNMP4J's dispatcher, with its decoding step reachable without its logging and stack traces. */
    private static final class Dispatcher extends MessageDispatcherImpl {
        <A extends Address> void dispatch(TransportMapping<? super A> t, MessageProcessingModel mp, A peer,
                                          BERInputStream in, TransportStateReference ref) throws IOException {
            dispatchMessage(t, mp, peer, in, ref);
        }
    }

    /** Hands decoded PDUs to {@link #handle}; runs inside {@link #decode}. */
    private final class Responder implements CommandResponder {
        @Override
        public <A extends Address> void processPdu(CommandResponderEvent<A> e) {
            e.setProcessed(true);
            try {
                outcome = handle(e);
            } finally {
                if (!answered) {
                    // SNMPv3 keeps the state of a request until it is answered: release what stays unanswered
                    MessageProcessingModel mp = dispatcher.getMessageProcessingModel(e.getMessageProcessingModel());
                    if (mp != null && e.getPduHandle() != null) {
                        mp.releaseStateReference(e.getPduHandle());
                    }
                }
            }
        }
    }

    /** The receiver's socket as an SNMP4J transport, for inform responses and USM reports. */
    private static final class ChannelTransport extends UdpTransportMapping {
        private final DatagramChannel channel;

        ChannelTransport(UdpAddress address, DatagramChannel channel) {
            super(address);
            this.channel = channel;
        }

        @Override
        public void sendMessage(UdpAddress address, byte[] message, TransportStateReference ref, long timeout,
                                int retries) throws IOException {
            channel.send(ByteBuffer.wrap(message), new InetSocketAddress(address.getInetAddress(), address.getPort()));
        }

        @Override
        public void close() {
        }

        @Override
        public void listen() {
        }

        @Override
        public boolean isListening() {
            return true;
        }
    }

    /** The USM's user table, keeping at most {@code max} users localized for remote engines. */
    private static final class BoundedUserTable extends UsmUserTable {
        private static final long serialVersionUID = 1L;
        private final int max;
        private final OctetString local;
        private final LinkedHashMap<List<OctetString>, Boolean> remote = new LinkedHashMap<>();

        BoundedUserTable(int max, OctetString local) {
            this.max = max;
            this.local = local;
        }

        synchronized int remoteCount() {
            return remote.size();
        }

        @Override
        public synchronized UsmUserEntry addUser(UsmUserEntry entry) {
            UsmUserEntry previous = super.addUser(entry);
            OctetString engine = entry.getEngineID();
            if (engine != null && engine.length() > 0 && !engine.equals(local)) {
                List<OctetString> key = List.of(engine, entry.getUserName());
                remote.remove(key);
                remote.put(key, Boolean.TRUE);
                Iterator<List<OctetString>> it = remote.keySet().iterator();
                while (remote.size() > max) {
                    List<OctetString> eldest = it.next();
                    it.remove();
                    super.removeUser(eldest.get(0), eldest.get(1));
                }
            }
            return previous;
        }
    }

    /** The USM's table of remote engines' clocks, keeping at most {@code max} engines. */
    private static final class BoundedTimeTable extends UsmTimeTable {
        private static final long serialVersionUID = 1L;
        private final int max;
        private final OctetString local;
        private final LinkedHashMap<OctetString, Boolean> remote = new LinkedHashMap<>();

        BoundedTimeTable(OctetString local, int boots, int max) {
            super(local, boots);
            this.max = max;
            this.local = local;
        }

        synchronized int remoteCount() {
            return remote == null ? 0 : remote.size();
        }

        @Override
        public synchronized void addEntry(UsmTimeEntry entry) {
            super.addEntry(entry);
            OctetString engine = entry.getEngineID();
            if (engine == null || engine.equals(local) || remote == null) {
                return;
            }
            remote.remove(engine);
            remote.put(engine, Boolean.TRUE);
            Iterator<OctetString> it = remote.keySet().iterator();
            while (remote.size() > max) {
                OctetString eldest = it.next();
                it.remove();
                removeEntry(eldest);
            }
        }
    }
}
