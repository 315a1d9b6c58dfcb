package io.github.wardops.ward.postgres.internal.embedded;

import io.github.wardops.ward.Secret;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.function.Supplier;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * An unpooled {@link DataSource} for the embedded server: a new connection per call, through
 * the PostgreSQL driver directly, with the superuser's password from {@link EmbeddedServer}.
 * {@link #toString()} names the URL only. Thread-safe.
 */
public final class EmbeddedDataSource implements DataSource {
    private static final org.postgresql.Driver DRIVER = new org.postgresql.Driver();

    private final Supplier<String> url;
    private final String user;
    private final Supplier<Secret> password;
    private volatile int loginTimeoutSeconds = 10;

    /**
     * A data source.
     *
     * @param url the JDBC URL (read at each connection)
     * @param user the user
     * @param password the password (read at each connection)
     */
    public EmbeddedDataSource(Supplier<String> url, String user, Supplier<Secret> password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    static Connection connect(String url, String user, Secret password, int loginTimeoutSeconds) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password.reveal());
        p.setProperty("loginTimeout", Integer.toString(loginTimeoutSeconds));
        Connection c = DRIVER.connect(url, p);
        if (c == null) {
            throw new SQLException("not a PostgreSQL JDBC URL");
        }
        return c;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return connect(url.get(), user, password.get(), loginTimeoutSeconds);
    }

    @Override
    public Connection getConnection(String username, String pw) throws SQLException {
        return connect(url.get(), username, Secret.of(pw == null ? "" : pw), loginTimeoutSeconds);
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // the driver logs through java.util.logging
    }

    @Override
    public void setLoginTimeout(int seconds) {
        loginTimeoutSeconds = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeoutSeconds;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("no parent logger");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("not a wrapper for " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }

    @Override
    public String toString() {
        return "EmbeddedDataSource[" + url.get() + ", user " + user + "]";
    }
}
