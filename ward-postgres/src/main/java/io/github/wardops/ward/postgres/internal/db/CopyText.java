package io.github.wardops.ward.postgres.internal.db;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Consumer;
import org.jooq.DSLContext;
import org.postgresql.PGConnection;

/** COPY text format and the staging-table pattern that keeps COPY idempotent. Stateless. */
public final class CopyText {
    private CopyText() {
    }

    /**
     * Appends a text value escaped for COPY's text format (backslash, tab, newline, CR).
     *
     * @param sb the buffer
     * @param s the value
     */
    public static void append(StringBuilder sb, String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '\\' -> sb.append("\\\\");
                case '\t' -> sb.append("\\t");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                default -> sb.append(ch);
            }
        }
    }

    /**
     * In one short transaction: COPY the rows into a session temporary table shaped like
     * {@code table}, then {@code INSERT ... SELECT ... ON CONFLICT DO NOTHING} into {@code table}.
     *
     * @param ctx the database
     * @param table the target table
     * @param stage the temporary table's name, or {@code null} to COPY straight into {@code table}
     *     (fails whole on a duplicate key)
     * @param rows COPY text rows, each ending in a newline, columns in the table's order
     * @param evict removes a broken connection from the pool (the pool does not see COPY's errors)
     */
    public static void copyThroughStage(DSLContext ctx, String table, String stage, String rows,
                                        Consumer<Connection> evict) {
        copyThroughStage(ctx, table, null, stage, rows, evict);
    }

    /**
     * As {@link #copyThroughStage(DSLContext, String, String, String, Consumer)}, for rows that
     * hold only the named columns, in that order.
     *
     * @param ctx the database
     * @param table the target table
     * @param columns the columns of the rows, comma-separated, or {@code null} for all in the
     *     table's order
     * @param stage the temporary table's name, or {@code null} to COPY straight into {@code table}
     * @param rows COPY text rows, each ending in a newline
     * @param evict removes a broken connection from the pool
     */
    public static void copyThroughStage(DSLContext ctx, String table, String columns, String stage, String rows,
                                        Consumer<Connection> evict) {
        String list = columns == null ? "" : " (" + columns + ")";
        String select = columns == null ? "*" : columns;
        ctx.connection(c -> {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                try (Statement st = c.createStatement()) {
                    if (stage == null) {
                        c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + table + list + " FROM STDIN",
                                new StringReader(rows));
                    } else {
                        st.execute("CREATE TEMP TABLE IF NOT EXISTS " + stage + " (LIKE " + table
                                + ") ON COMMIT DELETE ROWS");
                        c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + stage + list + " FROM STDIN",
                                new StringReader(rows));
                        st.execute("INSERT INTO " + table + list + " SELECT " + select + " FROM " + stage
                                + " ON CONFLICT DO NOTHING");
                    }
                }
                c.commit();
            } catch (SQLException | IOException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException ignored) {
                    // the connection is broken; evicted below
                }
                if (e instanceof IOException || PgErrors.isTransient(e)) {
                    evict.accept(c);
                }
                if (e instanceof IOException io) {
                    throw new SQLException("COPY failed: " + io.getMessage(), "08006", io);
                }
                throw e;
            } finally {
                try {
                    c.setAutoCommit(auto);
                } catch (SQLException ignored) {
                    // broken connection
                }
            }
        });
    }
}
