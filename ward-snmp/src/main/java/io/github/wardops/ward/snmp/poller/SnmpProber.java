package io.github.wardops.ward.snmp.poller;

import io.github.wardops.ward.probe.Prober;
import io.github.wardops.ward.snmp.SnmpCredentials;
import io.github.wardops.ward.snmp.SnmpOid;
import io.github.wardops.ward.snmp.SnmpResponse;
import io.github.wardops.ward.snmp.SnmpTarget;
import io.github.wardops.ward.snmp.SnmpValue;
import java.util.List;

/**
 * The SNMP prober (type {@code "snmp"}) and the SNMP operations behind it, sharing one long-lived
 * session and one UDP socket. Register it with {@code Ward.builder().prober(...)}; a CLI can call
 * {@link #get} and {@link #walk} directly. Thread-safe: call from many (virtual) threads at once;
 * the operations block the calling thread until the answer or the timeout and are meant for
 * virtual threads.
 *
 * <p>No operation throws for a device that times out, errs or sends garbage: that is a
 * {@link SnmpResponse} with a status. Requests are bounded globally by
 * {@link SnmpOptions#maxRequestsInFlight()} and per device by
 * {@link SnmpOptions#maxRequestsPerDevice()}.
 */
public interface SnmpProber extends Prober {

    /**
     * GETs OIDs in as few requests as the target allows (split on tooBig; on a v1 noSuchName the
     * failing OID is answered with {@link SnmpValue.NoSuchObject} and the rest retried).
     *
     * @param target the agent; never {@code null}
     * @param credentials how to authenticate; never {@code null}
     * @param oids the OIDs, at most 100,000; never {@code null}
     * @return the bindings in request order when OK; never {@code null}
     * @throws InterruptedException when the calling thread is interrupted
     */
    SnmpResponse get(SnmpTarget target, SnmpCredentials credentials, List<SnmpOid> oids) throws InterruptedException;

    /**
     * Walks a subtree with GETBULK (GETNEXT for v1), checking that OIDs increase, up to
     * {@link SnmpOptions#maxWalkVarbinds()} bindings.
     *
     * @param target the agent; never {@code null}
     * @param credentials how to authenticate; never {@code null}
     * @param root the subtree root; never {@code null}
     * @return the bindings in walk order (partial when the status is not OK); never {@code null}
     * @throws InterruptedException when the calling thread is interrupted
     */
    SnmpResponse walk(SnmpTarget target, SnmpCredentials credentials, SnmpOid root) throws InterruptedException;

    /**
     * The local address and port of the UDP socket requests go out from, bound when the prober
     * was created (the port is chosen by the system).
     *
     * @return the address; never {@code null}
     */
    java.net.InetSocketAddress localAddress();

    /**
     * The requests sent and not yet answered or timed out. It returns to 0 when idle.
     *
     * @return the count
     */
    int pendingRequests();

    /**
     * The devices whose polling state is kept now (bounded by {@link SnmpOptions#maxDevices()}).
     *
     * @return the count
     */
    int trackedDevices();

    /**
     * Closes the session and its socket; pending operations end with {@link SnmpResponse.Status#LOCAL_ERROR}.
     * Idempotent.
     */
    @Override
    void close();
}
