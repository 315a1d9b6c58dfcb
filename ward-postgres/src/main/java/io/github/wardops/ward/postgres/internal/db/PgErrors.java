package io.github.wardops.ward.postgres.internal.db;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

/** Tells a failure that may pass (the server is away, overloaded, restarting) from a bad row. */
public final class PgErrors {
    private PgErrors() {
    }

    /**
     * Whether retrying later may succeed: connection failures (SQLState class 08), shutdowns and
     * restarts (57P01-57P03), lack of resources (class 53, such as a full disk), serialization
     * failures and deadlocks, a read-only database (25006: a failover to a standby), pool timeouts and
     * I/O errors.
     *
     * @param t the failure
     * @return {@code true} when the same write may succeed later
     */
    public static boolean isTransient(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SQLTransientException || c instanceof SQLRecoverableException
                    || c instanceof java.io.IOException) {
                return true;
            }
            if (c instanceof SQLException s && s.getSQLState() != null) {
                String st = s.getSQLState();
                if (st.startsWith("08") || st.startsWith("53") || st.startsWith("57P") || st.equals("40001")
                        || st.equals("40P01") || st.equals("55P03") || st.equals("57014")
                        // a read-only transaction: a failover to a standby, or a database set read-only
                        || st.equals("25006")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * A short description for logs: the SQLState and message of the innermost SQL error (PostgreSQL
     * messages name columns and values of the failing row, never credentials).
     *
     * @param t the failure
     * @return the description
     */
    public static String describe(Throwable t) {
        String best = t.getClass().getSimpleName() + ": " + t.getMessage();
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SQLException s) {
                best = (s.getSQLState() == null ? "" : "[" + s.getSQLState() + "] ") + s.getMessage();
            }
        }
        return best;
    }

    /**
     * Whether a row found no partition for its time (someone dropped or never created it).
     *
     * @param t the failure
     * @return {@code true} for PostgreSQL's "no partition of relation ... found for row"
     */
    public static boolean isMissingPartition(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SQLException s && "23514".equals(s.getSQLState()) && s.getMessage() != null
                    && s.getMessage().contains("no partition of relation")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a write hit a duplicate key (SQLState 23505).
     *
     * @param t the failure
     * @return {@code true} for a unique violation
     */
    public static boolean isUniqueViolation(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SQLException s && "23505".equals(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
