package io.github.wardops.ward.snmp;

import io.github.wardops.ward.Secret;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How ward authenticates to an agent: a community (v1, v2c) or a USM user (v3). Secrets are
 * {@link Secret}s, so {@code toString()} never prints a community or a passphrase. Immutable and
 * thread-safe.
 */
public sealed interface SnmpCredentials permits SnmpCredentials.Community, SnmpCredentials.Usm {

    /**
     * The protocol version these credentials use.
     *
     * @return the version; never {@code null}
     */
    SnmpVersion version();

    /**
     * A v1 community.
     *
     * @param community the community
     * @return the credentials
     */
    static Community v1(Secret community) {
        return new Community(SnmpVersion.V1, community);
    }

    /**
     * A v2c community.
     *
     * @param community the community
     * @return the credentials
     */
    static Community v2c(Secret community) {
        return new Community(SnmpVersion.V2C, community);
    }

    /**
     * A v3 user at noAuthNoPriv.
     *
     * @param user the user name
     * @return the credentials
     */
    static Usm v3(String user) {
        return new Usm(user, null, null, null, null);
    }

    /**
     * A v3 user at authNoPriv.
     *
     * @param user the user name
     * @param auth the authentication protocol
     * @param authPassphrase the authentication passphrase, at least 8 characters
     * @return the credentials
     */
    static Usm v3(String user, SnmpAuthProtocol auth, Secret authPassphrase) {
        return new Usm(user, auth, authPassphrase, null, null);
    }

    /**
     * A v3 user at authPriv.
     *
     * @param user the user name
     * @param auth the authentication protocol
     * @param authPassphrase the authentication passphrase, at least 8 characters
     * @param priv the privacy protocol
     * @param privPassphrase the privacy passphrase, at least 8 characters
     * @return the credentials
     */
    static Usm v3(String user, SnmpAuthProtocol auth, Secret authPassphrase, SnmpPrivProtocol priv,
                  Secret privPassphrase) {
        return new Usm(user, auth, authPassphrase, priv, privPassphrase);
    }

    /**
     * A v1 or v2c community.
     *
     * @param version {@link SnmpVersion#V1} or {@link SnmpVersion#V2C}
     * @param community the community; never {@code null} or empty
     */
    record Community(SnmpVersion version, Secret community) implements SnmpCredentials {
        /**
         * Checks the components; each is described on the record.
         *
         * @throws NullPointerException if {@code version} or {@code community} is null
         * @throws IllegalArgumentException if a component is out of its range; the message names it
         */
        public Community {
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(community, "community");
            if (version == SnmpVersion.V3) {
                throw new IllegalArgumentException("a community is for v1 or v2c; use SnmpCredentials.v3 for v3");
            }
            if (community.isEmpty()) {
                throw new IllegalArgumentException("community must not be empty");
            }
        }
    }

    /**
     * A v3 USM user. The security level follows from which protocols are set: privacy needs
     * authentication.
     *
     * @param user the user name, 1-32 printable characters
     * @param auth the authentication protocol, or {@code null} for noAuthNoPriv
     * @param authPassphrase the authentication passphrase (8+ characters), {@code null} exactly when {@code auth} is
     * @param priv the privacy protocol, or {@code null} for no privacy
     * @param privPassphrase the privacy passphrase (8+ characters), {@code null} exactly when {@code priv} is
     */
    record Usm(String user, SnmpAuthProtocol auth, Secret authPassphrase, SnmpPrivProtocol priv,
               Secret privPassphrase) implements SnmpCredentials {
        private static final Pattern USER = Pattern.compile("[\\x21-\\x7E]{1,32}");

        /**
         * Checks the components; each is described on the record.
         *
         * @throws NullPointerException if {@code user} is null
         * @throws IllegalArgumentException if a component is out of its range; the message names it
         */
        public Usm {
            Objects.requireNonNull(user, "user");
            if (!USER.matcher(user).matches()) {
                throw new IllegalArgumentException("v3 user name must be 1-32 printable characters without spaces");
            }
            if ((auth == null) != (authPassphrase == null)) {
                throw new IllegalArgumentException("v3 user '" + user + "': auth protocol and auth passphrase go together");
            }
            if ((priv == null) != (privPassphrase == null)) {
                throw new IllegalArgumentException("v3 user '" + user + "': priv protocol and priv passphrase go together");
            }
            if (priv != null && auth == null) {
                throw new IllegalArgumentException("v3 user '" + user + "': privacy needs authentication");
            }
            if (authPassphrase != null && authPassphrase.revealBytes().length < 8) {
                throw new IllegalArgumentException("v3 user '" + user + "': auth passphrase must have at least 8 characters");
            }
            if (privPassphrase != null && privPassphrase.revealBytes().length < 8) {
                throw new IllegalArgumentException("v3 user '" + user + "': priv passphrase must have at least 8 characters");
            }
        }

        @Override
        public SnmpVersion version() {
            return SnmpVersion.V3;
        }

        /**
         * The security level these settings give.
         *
         * @return the level
         */
        public SnmpSecurityLevel level() {
            if (auth == null) {
                return SnmpSecurityLevel.NO_AUTH_NO_PRIV;
            }
            return priv == null ? SnmpSecurityLevel.AUTH_NO_PRIV : SnmpSecurityLevel.AUTH_PRIV;
        }
    }
}
