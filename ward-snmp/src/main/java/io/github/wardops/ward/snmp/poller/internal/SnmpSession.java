package io.github.wardops.ward.snmp.poller.internal;

import io.github.wardops.ward.WardException;
import io.github.wardops.ward.snmp.SnmpCredentials;
import io.github.wardops.ward.snmp.poller.SnmpOptions;
import io.github.wardops.ward.snmp.SnmpResponse.Status;
import io.github.wardops.ward.snmp.SnmpTarget;
import io.github.wardops.ward.snmp.SnmpVersion;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.snmp4j.CommunityTarget;
import org.snmp4j.MessageDispatcherImpl;
import org.snmp4j.PDU;
import org.snmp4j.PDUv1;
import org.snmp4j.ScopedPDU;
import org.snmp4j.Snmp;
import org.snmp4j.Target;
import org.snmp4j.UserTarget;
import org.snmp4j.event.ResponseEvent;
import org.snmp4j.event.ResponseListener;
import org.snmp4j.mp.MPv1;
import org.snmp4j.mp.MPv2c;
import org.snmp4j.mp.MPv3;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.security.SecurityLevel;
import org.snmp4j.security.SecurityModel;
import org.snmp4j.security.SecurityModels;
import org.snmp4j.security.SecurityProtocols;
import org.snmp4j.security.USM;
import org.snmp4j.smi.Address;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.smi.VariableBinding;
import org.snmp4j.transport.DefaultUdpTransportMapping;

/**
 * The one SNMP4J session of a ward instance: one {@link Snmp}, one UDP socket, one USM with a
 * unique local engine ID. Requests are sent asynchronously; SNMP4J's callback only completes a
 * future (and counts), the waiting virtual thread does the rest. Requests in flight are limited
 * by a global semaphore and an optional per-device one. Thread-safe.
 *
 * <p>SNMP4J targets print their community in {@code toString()}: no target is ever logged or put
 * in a message here.
 */
public final class SnmpSession implements AutoCloseable {
    private static final String REQUESTS = "SNMP requests, by outcome (an answer, a timeout, a report PDU, a local error)";

    private static final OID USM_STATS = new OID("1.3.6.1.6.3.15.1.1");
    private static final String[] USM_STATS_NAMES = {"", "unsupportedSecLevels", "notInTimeWindows",
        "unknownUserNames", "unknownEngineIDs", "wrongDigests", "decryptionErrors"};
    /** What each USM report most likely means, for the operator reading the check's detail. */
    private static final String[] USM_STATS_HINTS = {"", "the user may not use this security level",
        "the agent's clock window was missed", "no such user on the agent", "the agent's engine ID is unknown",
        "wrong authentication passphrase or protocol", "wrong privacy passphrase or protocol"};

    /** A request's outcome: the agent's answer, or why there is none. */
    public sealed interface Reply permits Answer, Failure {
    }

    /**
     * The agent answered.
     *
     * @param pdu the response PDU
     */
    public record Answer(PDU pdu) implements Reply {
    }

    /**
     * No usable answer.
     *
     * @param status why
     * @param detail a short detail, never a secret
     */
    public record Failure(Status status, String detail) implements Reply {
    }

    private final Snmp snmp;
    private final USM usm;
    private final MPv3 mpv3;
    private final Semaphore permits;
    private final AtomicInteger pending = new AtomicInteger();
    private final java.net.InetSocketAddress localAddress;
    private final Set<Pending> inFlight = ConcurrentHashMap.newKeySet();
    private final Map<String, EngineEntry> engineIds;
    private final int maxEngineIds;
    private final Counter answers;
    private final Counter timeouts;
    private final Counter reports;
    private final Counter localErrors;
    private final Counter engineIdsEvicted;
    private volatile boolean closed;

    private record EngineEntry(byte[] engineId, SnmpCredentials.Usm credentials) {
        String user() {
            return credentials.user();
        }
    }

    private SnmpSession(SnmpOptions options) throws IOException {
        DefaultUdpTransportMapping transport = new DefaultUdpTransportMapping(
                new UdpAddress(options.bindAddress(), 0));
        transport.setReceiveBufferSize(options.receiveBufferBytes());
        byte[] engineId = options.localEngineId();
        if (engineId == null) {
            byte[] random = new byte[8];
            new SecureRandom().nextBytes(random);
            engineId = MPv3.createLocalEngineID(new OctetString(random));
        }
        SecurityProtocols protocols = Snmp4jValues.securityProtocols();
        usm = new USM(protocols, new OctetString(engineId), 0);
        SecurityModels models = new SecurityModels();
        models.addSecurityModel(usm);
        mpv3 = new MPv3(engineId, null, protocols, models, org.snmp4j.mp.CounterSupport.getInstance());
        maxEngineIds = options.maxDevices();
        mpv3.setMaxEngineIdCacheSize(Math.max(1, maxEngineIds));
        MessageDispatcherImpl dispatcher = new MessageDispatcherImpl();
        dispatcher.addMessageProcessingModel(new MPv1());
        dispatcher.addMessageProcessingModel(new MPv2c());
        dispatcher.addMessageProcessingModel(mpv3);
        snmp = new Snmp(dispatcher, transport);
        snmp.listen();
        UdpAddress bound = transport.getListenAddress();
        localAddress = new java.net.InetSocketAddress(bound.getInetAddress(), bound.getPort());
        permits = new Semaphore(options.maxRequestsInFlight());
        engineIds = new LinkedHashMap<>(256, 0.75f, true);
        MeterRegistry r = options.meterRegistry();
        Gauge.builder("ward.snmp.requests.pending", pending, AtomicInteger::get)
                .description("SNMP requests sent and not yet answered or timed out").register(r);
        Gauge.builder("ward.snmp.session.pending", snmp, Snmp::getPendingAsyncRequestCount)
                .description("Requests SNMP4J itself holds as pending").register(r);
        Gauge.builder("ward.snmp.engineids", this, SnmpSession::engineIdCount)
                .description("SNMPv3 engine IDs cached").register(r);
        answers = Counter.builder("ward.snmp.requests").tag("outcome", "answer").description(REQUESTS).register(r);
        timeouts = Counter.builder("ward.snmp.requests").tag("outcome", "timeout").description(REQUESTS).register(r);
        reports = Counter.builder("ward.snmp.requests").tag("outcome", "report").description(REQUESTS).register(r);
        localErrors = Counter.builder("ward.snmp.requests").tag("outcome", "local_error").description(REQUESTS).register(r);
        engineIdsEvicted = Counter.builder("ward.snmp.engineids.evicted")
                .description("Engine IDs dropped because the cache was full").register(r);
    }

    /**
     * Opens the session and binds its socket.
     *
     * @param options the options
     * @return the session
     * @throws WardException when the socket cannot be opened
     */
    public static SnmpSession open(SnmpOptions options) {
        try {
            return new SnmpSession(options);
        } catch (IOException e) {
            throw new WardException("cannot open the SNMP socket on " + options.bindAddress().getHostAddress()
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * A new request PDU for a version.
     *
     * @param version the version
     * @param type the PDU type, such as {@link PDU#GET}
     * @return the PDU
     */
    public static PDU newPdu(SnmpVersion version, int type) {
        PDU pdu = switch (version) {
            case V1 -> new PDUv1();
            case V2C -> new PDU();
            case V3 -> new ScopedPDU();
        };
        pdu.setType(type);
        return pdu;
    }

    /**
     * The local address of the session's UDP socket.
     *
     * @return the address and port
     */
    public java.net.InetSocketAddress localAddress() {
        return localAddress;
    }

    /**
     * Requests sent and not yet answered or timed out.
     *
     * @return the count
     */
    public int pending() {
        return pending.get();
    }

    /**

     * Returns SNMP4J's own count of pending asynchronous requests.

     *

     * @return SNMP4J's own count of pending asynchronous requests

     */
    public int snmp4jPending() {
        return snmp.getPendingAsyncRequestCount();
    }

    private synchronized int engineIdCount() {
        return engineIds.size();
    }

    /**
     * Sends one request and waits (parking the virtual thread) for its answer or timeout.
     *
     * @param target the agent
     * @param credentials the credentials
     * @param pdu the request
     * @param deviceLimit the device's own limit, or {@code null}
     * @return the reply; never {@code null}
     * @throws InterruptedException when interrupted while waiting
     */
    public Reply request(SnmpTarget target, SnmpCredentials credentials, PDU pdu, Semaphore deviceLimit)
            throws InterruptedException {
        if (closed) {
            return new Failure(Status.LOCAL_ERROR, "SNMP session closed");
        }
        if (deviceLimit != null) {
            deviceLimit.acquire();
        }
        try {
            permits.acquire();
            try {
                byte[] engineId = null;
                if (credentials instanceof SnmpCredentials.Usm u) {
                    engineId = engineId(target, u);
                    if (engineId == null) {
                        timeouts.increment();
                        return new Failure(Status.TIMEOUT, "no answer to SNMPv3 engine ID discovery");
                    }
                }
                return send(target, snmp4jTarget(target, credentials, engineId), pdu);
            } finally {
                permits.release();
            }
        } finally {
            if (deviceLimit != null) {
                deviceLimit.release();
            }
        }
    }

    private Reply send(SnmpTarget t, Target<UdpAddress> target, PDU pdu) throws InterruptedException {
        Pending p = new Pending();
        pending.incrementAndGet();
        inFlight.add(p);
        try {
            snmp.send(pdu, target, null, p);
        } catch (IOException | RuntimeException e) {
            p.finish();
            localErrors.increment();
            return new Failure(Status.LOCAL_ERROR, "send failed: " + e.getClass().getSimpleName());
        }
        long safetyMs = t.timeout().toMillis() * (t.retries() + 1L) * 2 + 2_000;
        ResponseEvent<?> event;
        try {
            event = p.future.get(safetyMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            snmp.cancel(pdu, p);
            p.finish();
            timeouts.increment();
            return new Failure(Status.TIMEOUT, "no answer within " + t.timeout().toMillis() + " ms x "
                    + (t.retries() + 1) + " attempts");
        } catch (InterruptedException e) {
            snmp.cancel(pdu, p);
            p.finish();
            throw e;
        } catch (ExecutionException e) {
            p.finish();
            localErrors.increment();
            return new Failure(Status.LOCAL_ERROR, "request failed: " + e.getCause().getClass().getSimpleName());
        }
        if (event == null) {
            return new Failure(Status.LOCAL_ERROR, "SNMP session closed");
        }
        PDU response = event.getResponse();
        if (response == null) {
            if (event.getError() != null) {
                localErrors.increment();
                return new Failure(Status.LOCAL_ERROR, "request failed: " + event.getError().getClass().getSimpleName());
            }
            timeouts.increment();
            return new Failure(Status.TIMEOUT, "no answer within " + t.timeout().toMillis() + " ms x "
                    + (t.retries() + 1) + " attempts");
        }
        if (response.getType() == PDU.REPORT) {
            reports.increment();
            return new Failure(Status.ERROR_STATUS, "agent sent a report: " + reportName(response));
        }
        answers.increment();
        return new Answer(response);
    }

    private static String reportName(PDU report) {
        for (VariableBinding vb : report.getVariableBindings()) {
            OID oid = vb.getOid();
            if (oid != null && oid.startsWith(USM_STATS) && oid.size() > USM_STATS.size()) {
                int k = oid.get(USM_STATS.size());
                if (k > 0 && k < USM_STATS_NAMES.length) {
                    return "usmStats" + Character.toUpperCase(USM_STATS_NAMES[k].charAt(0)) + USM_STATS_NAMES[k].substring(1)
                            + " (" + USM_STATS_HINTS[k] + ")";
                }
            }
            if (oid != null) {
                return oid.toDottedString();
            }
        }
        return "(empty report)";
    }

    private byte[] engineId(SnmpTarget t, SnmpCredentials.Usm u) {
        String key = t.address().getHostAddress() + "/" + t.port();
        synchronized (this) {
            EngineEntry e = engineIds.get(key);
            if (e != null && e.credentials.equals(u)) {
                return e.engineId;
            }
            if (e != null) {
                // Same device, other credentials: localize the new ones (replacing the old user entry).
                if (!e.user().equals(u.user())) {
                    usm.removeAllUsers(new OctetString(e.user()), new OctetString(e.engineId));
                }
                usm.addUser(Snmp4jValues.usmUser(u), new OctetString(e.engineId));
                engineIds.put(key, new EngineEntry(e.engineId, u));
                return e.engineId;
            }
        }
        UdpAddress addr = new UdpAddress(t.address(), t.port());
        byte[] id = snmp.discoverAuthoritativeEngineID(addr, t.timeout().toMillis() * (t.retries() + 1L));
        if (id == null || id.length == 0) {
            return null;
        }
        OctetString engine = new OctetString(id);
        usm.addUser(Snmp4jValues.usmUser(u), engine);
        synchronized (this) {
            engineIds.put(key, new EngineEntry(id, u));
            while (engineIds.size() > maxEngineIds) {
                var it = engineIds.entrySet().iterator();
                var eldest = it.next();
                it.remove();
                engineIdsEvicted.increment();
                usm.removeAllUsers(new OctetString(eldest.getValue().user()), new OctetString(eldest.getValue().engineId));
            }
        }
        return id;
    }

    /**
     * Forgets a device's engine ID and its localized USM user (when the device left the inventory).
     *
     * @param t the device's target
     */
    public void forget(SnmpTarget t) {
        String key = t.address().getHostAddress() + "/" + t.port();
        EngineEntry e;
        synchronized (this) {
            e = engineIds.remove(key);
        }
        if (e != null) {
            usm.removeAllUsers(new OctetString(e.user()), new OctetString(e.engineId));
            mpv3.removeEngineID(new UdpAddress(t.address(), t.port()));
        }
    }

    private static Target<UdpAddress> snmp4jTarget(SnmpTarget t, SnmpCredentials c, byte[] engineId) {
        UdpAddress addr = new UdpAddress(t.address(), t.port());
        Target<UdpAddress> target = switch (c) {
            case SnmpCredentials.Community cc -> {
                CommunityTarget<UdpAddress> ct = new CommunityTarget<>(addr, new OctetString(cc.community().revealBytes()));
                ct.setVersion(cc.version() == SnmpVersion.V1 ? SnmpConstants.version1 : SnmpConstants.version2c);
                yield ct;
            }
            case SnmpCredentials.Usm u -> {
                int level = switch (u.level()) {
                    case NO_AUTH_NO_PRIV -> SecurityLevel.NOAUTH_NOPRIV;
                    case AUTH_NO_PRIV -> SecurityLevel.AUTH_NOPRIV;
                    case AUTH_PRIV -> SecurityLevel.AUTH_PRIV;
                };
                UserTarget<UdpAddress> ut = new UserTarget<>(addr, new OctetString(u.user()), engineId, level);
                ut.setVersion(SnmpConstants.version3);
                ut.setSecurityModel(SecurityModel.SECURITY_MODEL_USM);
                yield ut;
            }
        };
        target.setTimeout(t.timeout().toMillis());
        target.setRetries(t.retries());
        return target;
    }

    /** Closes the socket; waiting requests end at once as closed. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            snmp.close();
        } catch (IOException e) {
            // closing a UDP socket: nothing useful to do
        }
        for (Pending p : inFlight) {
            p.finish();
            p.future.complete(null);
        }
    }

    /** One request's hand-off: SNMP4J's thread completes the future and counts, nothing more. */
    private final class Pending implements ResponseListener {
        final CompletableFuture<ResponseEvent<?>> future = new CompletableFuture<>();
        private final AtomicBoolean done = new AtomicBoolean();

        @Override
        public <A extends Address> void onResponse(ResponseEvent<A> event) {
            snmp.cancel(event.getRequest(), this);
            finish();
            future.complete(event);
        }

        void finish() {
            if (done.compareAndSet(false, true)) {
                pending.decrementAndGet();
                inFlight.remove(this);
            }
        }
    }
}
