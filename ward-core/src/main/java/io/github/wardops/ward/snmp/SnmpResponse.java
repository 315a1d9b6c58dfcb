package io.github.wardops.ward.snmp;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of a GET or a walk. A device that times out or answers with an error is a response
 * with a {@link Status}, never an exception. For a walk that stopped early, {@link #varBinds()}
 * holds what was read before it stopped. Immutable.
 *
 * @param status how the operation ended; never {@code null}
 * @param varBinds the bindings read, in request order (GET) or walk order; never {@code null}
 * @param detail a short human-readable detail, never a secret; empty when OK
 */
public record SnmpResponse(Status status, List<SnmpVarBind> varBinds, String detail) {

    /** How an operation ended. */
    public enum Status {
        /** Complete. */
        OK,
        /** No answer within the timeout and retries. */
        TIMEOUT,
        /** The agent answered with an error status (authorization, genErr, ...). */
        ERROR_STATUS,
        /** The agent's answer made no sense (wrong varbinds, OIDs not increasing in a walk). */
        MALFORMED,
        /** The walk reached ward's limit of varbinds per walk. */
        LIMIT_REACHED,
        /** ward could not send (closed session, local socket error, USM discovery failed). */
        LOCAL_ERROR
    }

    /**
     * Checks the components (each is described on the record) and copies its collections, so the
     * caller's later changes do not reach it.
     *
     * @throws NullPointerException if {@code status} or {@code detail} is null
     */
    public SnmpResponse {
        Objects.requireNonNull(status, "status");
        varBinds = List.copyOf(varBinds);
        Objects.requireNonNull(detail, "detail");
    }

    /**
     * Whether the operation completed.
     *
     * @return {@code true} for {@link Status#OK}
     */
    public boolean ok() {
        return status == Status.OK;
    }
}
