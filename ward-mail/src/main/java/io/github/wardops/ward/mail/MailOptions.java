package io.github.wardops.ward.mail;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.Secret;
import io.github.wardops.ward.notify.MessageTemplate;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * An SMTP server and the mail sent through it (see {@link MailNotifier}). Built with
 * {@link #builder()}; every setting is validated at once by {@link Builder#build()}. The password
 * is a {@link Secret}: {@link #toString()} and every message of ward-mail leave it out. Immutable
 * and thread-safe.
 *
 * <p>Certificates are verified, and so is the host name (the certificate must name
 * {@link #host()}); there is no setting to trust every certificate. For a private CA or a test
 * server, give {@link Builder#trustStore(KeyStore)} or {@link Builder#sslContext(SSLContext)}.
 */
public final class MailOptions {
    /** The default connect, read and write timeouts: 10 s each. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** The most recipients a mail may have. */
    public static final int MAX_RECIPIENTS = 100;
    /** The default subject prefix. */
    public static final String DEFAULT_SUBJECT_PREFIX = "[ward] ";
    private static final Duration MAX_TIMEOUT = Duration.ofMinutes(5);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.:_\\[\\]-]{1,253}");

    /** How the connection is secured. */
    public enum Security {
        /** No TLS (port 25, or a relay on loopback). Credentials, if any, travel in clear. */
        NONE,
        /**
         * Plain connection upgraded with {@code STARTTLS} before anything else (port 587). Required:
         * a server that does not offer {@code STARTTLS} is a failure, never a fallback to clear text.
         */
        STARTTLS,
        /** TLS from the first byte ("implicit TLS", SMTPS, port 465). */
        TLS
    }

    private final String name;
    private final String host;
    private final int port;
    private final Security security;
    private final String username;
    private final Secret password;
    private final String from;
    private final List<String> to;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Duration writeTimeout;
    private final SSLContext sslContext;
    private final String subjectPrefix;
    private final MessageTemplate template;

    private MailOptions(Builder b, SSLContext tls) {
        this.name = b.name;
        this.host = b.host;
        this.port = b.port != 0 ? b.port : defaultPort(b.security);
        this.security = b.security;
        this.username = b.username;
        this.password = b.password;
        this.from = b.from;
        this.to = List.copyOf(b.to);
        this.connectTimeout = b.connectTimeout;
        this.readTimeout = b.readTimeout;
        this.writeTimeout = b.writeTimeout;
        this.sslContext = tls;
        this.subjectPrefix = b.subjectPrefix;
        this.template = b.template;
    }

    /**
     * The usual port of a security: 25 for {@code NONE}, 587 for {@code STARTTLS}, 465 for {@code TLS}.
     *
     * @param security the security
     * @return the port
     */
    public static int defaultPort(Security security) {
        return switch (security) {
            case NONE -> 25;
            case STARTTLS -> 587;
            case TLS -> 465;
        };
    }

    /**
     * A builder: STARTTLS, the usual port, no login, 10 s timeouts, the JDK's trusted CAs.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The receiver's name, for meters and logs.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The SMTP server's host name or address.
     *
     * @return the host
     */
    public String host() {
        return host;
    }

    /**
     * The SMTP server's port.
     *
     * @return the port
     */
    public int port() {
        return port;
    }

    /**
     * How the connection is secured.
     *
     * @return the security
     */
    public Security security() {
        return security;
    }

    /**
     * The user name to log in with, or {@code null} to send without logging in.
     *
     * @return the user name
     */
    public String username() {
        return username;
    }

    /**
     * The password, or {@code null}.
     *
     * @return the password
     */
    public Secret password() {
        return password;
    }

    /**
     * The sender's address.
     *
     * @return the address
     */
    public String from() {
        return from;
    }

    /**
     * The recipients' addresses.
     *
     * @return the addresses, unmodifiable
     */
    public List<String> to() {
        return to;
    }

    /**
     * The connect timeout.
     *
     * @return the timeout
     */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * The timeout of each read from the server.
     *
     * @return the timeout
     */
    public Duration readTimeout() {
        return readTimeout;
    }

    /**
     * The timeout of each write to the server.
     *
     * @return the timeout
     */
    public Duration writeTimeout() {
        return writeTimeout;
    }

    /**
     * The TLS context (its trusted certificates), or {@code null} for the JDK's default.
     *
     * @return the context
     */
    public SSLContext sslContext() {
        return sslContext;
    }

    /**
     * What each subject starts with.
     *
     * @return the prefix
     */
    public String subjectPrefix() {
        return subjectPrefix;
    }

    /**
     * The message template.
     *
     * @return the template
     */
    public MessageTemplate template() {
        return template;
    }

    @Override
    public String toString() {
        return "MailOptions[name=" + name + ", " + security + " " + host + ":" + port
                + (username != null ? ", user " + username + ", password ***" : "") + ", from " + from + ", to " + to
                + ", timeouts " + connectTimeout + "/" + readTimeout + "/" + writeTimeout
                + (sslContext != null ? ", own trust" : "") + "]";
    }

    /** Builds {@link MailOptions}. Not thread-safe. */
    public static final class Builder {
        private String name = "email";
        private String host;
        private int port;
        private Security security = Security.STARTTLS;
        private String username;
        private Secret password;
        private String from;
        private List<String> to = List.of();
        private Duration connectTimeout = DEFAULT_TIMEOUT;
        private Duration readTimeout = DEFAULT_TIMEOUT;
        private Duration writeTimeout = DEFAULT_TIMEOUT;
        private SSLContext sslContext;
        private KeyStore trustStore;
        private String subjectPrefix = DEFAULT_SUBJECT_PREFIX;
        private MessageTemplate template = MessageTemplate.defaults();

        private Builder() {
        }

        /**
         * The receiver's name, for meters and logs: 1-64 letters, digits, {@code _.-} (default {@code email}).
         *
         * @param v the name
         * @return this builder
         */
        public Builder name(String v) {
            this.name = v;
            return this;
        }

        /**
         * The SMTP server's host name or address (required).
         *
         * @param v the host
         * @return this builder
         */
        public Builder host(String v) {
            this.host = v;
            return this;
        }

        /**
         * The SMTP server's port, 1-65535 (default: {@link MailOptions#defaultPort(Security)}).
         *
         * @param v the port
         * @return this builder
         */
        public Builder port(int v) {
            this.port = v;
            return this;
        }

        /**
         * How the connection is secured (default {@link Security#STARTTLS}).
         *
         * @param v the security
         * @return this builder
         */
        public Builder security(Security v) {
            this.security = v;
            return this;
        }

        /**
         * Log in with {@code AUTH} (default: no login). Both or neither must be set.
         *
         * @param user the user name
         * @param pass the password
         * @return this builder
         */
        public Builder login(String user, Secret pass) {
            this.username = user;
            this.password = pass;
            return this;
        }

        /**
         * The sender's address, such as {@code ward@example.org} (required).
         *
         * @param v the address
         * @return this builder
         */
        public Builder from(String v) {
            this.from = v;
            return this;
        }

        /**
         * The recipients' addresses: 1-{@value MailOptions#MAX_RECIPIENTS} (required).
         *
         * @param v the addresses
         * @return this builder
         */
        public Builder to(List<String> v) {
            this.to = v;
            return this;
        }

        /**
         * The connect, read and write timeouts at once, each 1 ms-5 min (default 10 s).
         *
         * @param v the timeout
         * @return this builder
         */
        public Builder timeout(Duration v) {
            return connectTimeout(v).readTimeout(v).writeTimeout(v);
        }

        /**
         * The connect timeout, 1 ms-5 min (default 10 s).
         *
         * @param v the timeout
         * @return this builder
         */
        public Builder connectTimeout(Duration v) {
            this.connectTimeout = v;
            return this;
        }

        /**
         * The timeout of each read from the server, 1 ms-5 min (default 10 s).
         *
         * @param v the timeout
         * @return this builder
         */
        public Builder readTimeout(Duration v) {
            this.readTimeout = v;
            return this;
        }

        /**
         * The timeout of each write to the server, 1 ms-5 min (default 10 s).
         *
         * @param v the timeout
         * @return this builder
         */
        public Builder writeTimeout(Duration v) {
            this.writeTimeout = v;
            return this;
        }

        /**
         * Trust the certificates of this key store (a private CA, a test server's certificate)
         * instead of the JDK's. Host names are verified all the same.
         *
         * @param v the trust store, or {@code null} for the JDK's
         * @return this builder
         */
        public Builder trustStore(KeyStore v) {
            this.trustStore = v;
            return this;
        }

        /**
         * The TLS context to connect with, instead of the JDK's default (it decides which
         * certificates are trusted). Host names are verified all the same.
         *
         * @param v the context, or {@code null} for the JDK's
         * @return this builder
         */
        public Builder sslContext(SSLContext v) {
            this.sslContext = v;
            return this;
        }

        /**
         * What each subject starts with, at most 100 characters, no line breaks (default {@code "[ward] "}).
         *
         * @param v the prefix
         * @return this builder
         */
        public Builder subjectPrefix(String v) {
            this.subjectPrefix = v;
            return this;
        }

        /**
         * The message template (default {@link MessageTemplate#defaults()}).
         *
         * @param v the template
         * @return this builder
         */
        public Builder template(MessageTemplate v) {
            this.template = v;
            return this;
        }

        /**
         * Validates every setting at once and builds the options.
         *
         * @return the options
         * @throws InvalidConfigurationException listing every invalid setting (never the password)
         */
        public MailOptions build() {
            List<String> p = new ArrayList<>();
            if (name == null || !NAME.matcher(name).matches()) {
                p.add("name = " + name + ": must be 1-64 letters, digits, '_', '.' or '-', starting with a letter or digit");
            }
            if (host == null || host.isBlank()) {
                p.add("host: must be set");
            } else if (!HOST.matcher(host).matches()) {
                p.add("host = " + host + ": must be a host name or an IP address");
            }
            if (security == null) {
                p.add("security: must be NONE, STARTTLS or TLS");
            }
            if (port != 0 && (port < 1 || port > 65_535) || port == 0 && security == null) {
                p.add("port = " + port + ": must be 1-65535");
            }
            if ((username == null) != (password == null)) {
                p.add("login: set both the user name and the password, or neither");
            } else if (username != null) {
                if (username.isBlank() || username.length() > 256 || username.chars().anyMatch(Character::isISOControl)) {
                    p.add("login: the user name must be 1-256 characters without control characters");
                }
                if (password.isEmpty()) {
                    p.add("login: the password must not be empty");
                }
            }
            address("from", from, p);
            if (to == null || to.isEmpty()) {
                p.add("to: must name at least one recipient");
            } else if (to.size() > MAX_RECIPIENTS) {
                p.add("to: " + to.size() + " recipients; at most " + MAX_RECIPIENTS);
            } else {
                for (int i = 0; i < to.size(); i++) {
                    address("to[" + i + "]", to.get(i), p);
                }
            }
            timeout("connect-timeout", connectTimeout, p);
            timeout("read-timeout", readTimeout, p);
            timeout("write-timeout", writeTimeout, p);
            if (sslContext != null && trustStore != null) {
                p.add("trust: set a trust store or an SSL context, not both");
            }
            if (subjectPrefix == null || subjectPrefix.length() > 100
                    || subjectPrefix.chars().anyMatch(Character::isISOControl)) {
                p.add("subject-prefix: must be at most 100 characters without line breaks or control characters");
            }
            if (template == null) {
                p.add("template: must not be null");
            }
            SSLContext tls = sslContext;
            if (trustStore != null && p.isEmpty()) {
                try {
                    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                    tmf.init(trustStore);
                    tls = SSLContext.getInstance("TLS");
                    tls.init(null, tmf.getTrustManagers(), null);
                } catch (GeneralSecurityException e) {
                    p.add("trust-store: cannot be used (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
                }
            }
            if (!p.isEmpty()) {
                throw new InvalidConfigurationException("MailOptions", p);
            }
            return new MailOptions(this, tls);
        }

        private static void address(String what, String a, List<String> p) {
            if (a == null || a.isBlank()) {
                p.add(what + ": must be set");
                return;
            }
            String shown = a.length() > 100 ? a.substring(0, 100) + "..." : a;
            if (a.chars().anyMatch(Character::isISOControl)) {
                p.add(what + " = " + shown.replaceAll("\\p{Cntrl}", "?") + ": must not contain control characters");
                return;
            }
            try {
                InternetAddress ia = new InternetAddress(a, true);
                ia.validate();
                if (ia.getAddress().indexOf('@') < 1) {
                    p.add(what + " = " + shown + ": must be an address such as noc@example.org");
                }
            } catch (AddressException e) {
                p.add(what + " = " + shown + ": not an email address (" + e.getMessage() + ")");
            }
        }

        private static void timeout(String what, Duration d, List<String> p) {
            if (d == null || d.compareTo(Duration.ofMillis(1)) < 0 || d.compareTo(MAX_TIMEOUT) > 0) {
                p.add(what + " = " + d + ": must be 1 ms-5 min");
            }
        }
    }
}
