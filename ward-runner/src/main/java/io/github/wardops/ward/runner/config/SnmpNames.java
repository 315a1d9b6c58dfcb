package io.github.wardops.ward.runner.config;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.Secret;
import io.github.wardops.ward.snmp.SnmpAuthProtocol;
import io.github.wardops.ward.snmp.SnmpCredentials;
import io.github.wardops.ward.snmp.SnmpPrivProtocol;
import io.github.wardops.ward.snmp.SnmpSecurityLevel;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * net-snmp's names for SNMP v3 security levels and protocols, read the same way by the
 * {@code snmp-v3-*} settings and by the {@code -l}, {@code -a}, {@code -x} flags of
 * {@code walk} and {@code probe snmp-get}. Case and dashes do not matter ({@code SHA-256},
 * {@code sha256}). Stateless.
 */
public final class SnmpNames {
    private SnmpNames() {
    }

    /**
     * A security level.
     *
     * @param s {@code noAuthNoPriv}, {@code authNoPriv} or {@code authPriv}
     * @return the level
     * @throws IllegalArgumentException naming the accepted values
     */
    public static SnmpSecurityLevel level(String s) {
        return switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "noauthnopriv" -> SnmpSecurityLevel.NO_AUTH_NO_PRIV;
            case "authnopriv" -> SnmpSecurityLevel.AUTH_NO_PRIV;
            case "authpriv" -> SnmpSecurityLevel.AUTH_PRIV;
            default -> throw new IllegalArgumentException("must be noAuthNoPriv, authNoPriv or authPriv");
        };
    }

    /**
     * An authentication protocol.
     *
     * @param s {@code MD5}, {@code SHA} (SHA-1), {@code SHA-224}, {@code SHA-256}, {@code SHA-384} or {@code SHA-512}
     * @return the protocol
     * @throws IllegalArgumentException naming the accepted values
     */
    public static SnmpAuthProtocol auth(String s) {
        return switch (s.strip().toUpperCase(Locale.ROOT).replace("-", "")) {
            case "MD5" -> SnmpAuthProtocol.MD5;
            case "SHA", "SHA1" -> SnmpAuthProtocol.SHA1;
            case "SHA224" -> SnmpAuthProtocol.SHA224;
            case "SHA256" -> SnmpAuthProtocol.SHA256;
            case "SHA384" -> SnmpAuthProtocol.SHA384;
            case "SHA512" -> SnmpAuthProtocol.SHA512;
            default -> throw new IllegalArgumentException("must be MD5, SHA, SHA-224, SHA-256, SHA-384 or SHA-512");
        };
    }

    /**
     * A privacy protocol.
     *
     * @param s {@code DES}, {@code AES} (AES-128), {@code AES-192} or {@code AES-256}
     * @return the protocol
     * @throws IllegalArgumentException naming the accepted values
     */
    public static SnmpPrivProtocol priv(String s) {
        return switch (s.strip().toUpperCase(Locale.ROOT).replace("-", "")) {
            case "DES" -> SnmpPrivProtocol.DES;
            case "AES", "AES128" -> SnmpPrivProtocol.AES128;
            case "AES192" -> SnmpPrivProtocol.AES192;
            case "AES256" -> SnmpPrivProtocol.AES256;
            default -> throw new IllegalArgumentException("must be DES, AES, AES-192 or AES-256");
        };
    }

    /**
     * What the v3 inputs are called in messages: flags ({@code -u}, {@code -A}...) or setting keys.
     *
     * @param user the user's name
     * @param level the level's name
     * @param auth the authentication protocol's name
     * @param authPassphrase the authentication passphrase's name
     * @param priv the privacy protocol's name
     * @param privPassphrase the privacy passphrase's name
     */
    public record Names(String user, String level, String auth, String authPassphrase, String priv, String privPassphrase) {
    }

    /**
     * Assembles v3 credentials as net-snmp does, reporting every problem. Without a level, it is
     * {@code authPriv} when a privacy passphrase is given, {@code authNoPriv} when only an
     * authentication passphrase is, else {@code noAuthNoPriv}. Messages name the inputs, never
     * a passphrase.
     *
     * @param user the user; {@code null} or empty is a problem
     * @param level the level, or {@code null} to derive it
     * @param auth the authentication protocol, or {@code null} for {@code defaultAuth}
     * @param authPassphrase the authentication passphrase, or {@code null}
     * @param priv the privacy protocol, or {@code null} for {@code defaultPriv}
     * @param privPassphrase the privacy passphrase, or {@code null}
     * @param defaultAuth the protocol when none is given, or {@code null} to require one
     * @param defaultPriv the protocol when none is given, or {@code null} to require one
     * @param n what the inputs are called
     * @param problems where problems are added
     * @return the credentials, or {@code null} when there were problems
     */
    public static SnmpCredentials v3(String user, String level, String auth, Secret authPassphrase, String priv,
                                     Secret privPassphrase, String defaultAuth, String defaultPriv, Names n,
                                     List<String> problems) {
        int before = problems.size();
        if (user == null || user.isEmpty()) {
            problems.add(n.user() + ": a user is required for SNMP v3");
        }
        SnmpSecurityLevel l;
        if (level == null) {
            // A protocol without its passphrase would silently lower the level: almost surely a forgotten passphrase.
            if (priv != null && privPassphrase == null) {
                problems.add(n.priv() + " " + priv + " is given but no privacy passphrase (" + n.privPassphrase()
                        + "); give it, or set " + n.level() + " to say which level you mean");
            }
            if (auth != null && authPassphrase == null) {
                problems.add(n.auth() + " " + auth + " is given but no authentication passphrase (" + n.authPassphrase()
                        + "); give it, or set " + n.level() + " to say which level you mean");
            }
            l = privPassphrase != null ? SnmpSecurityLevel.AUTH_PRIV
                    : authPassphrase != null ? SnmpSecurityLevel.AUTH_NO_PRIV : SnmpSecurityLevel.NO_AUTH_NO_PRIV;
        } else {
            try {
                l = level(level);
            } catch (IllegalArgumentException e) {
                problems.add(n.level() + " " + level + ": " + e.getMessage());
                return null;
            }
        }
        SnmpAuthProtocol a = null;
        SnmpPrivProtocol x = null;
        if (l != SnmpSecurityLevel.NO_AUTH_NO_PRIV) {
            a = protocol(auth, defaultAuth, n.auth(), SnmpNames::auth, problems);
            if (authPassphrase == null) {
                problems.add(n.authPassphrase() + ": an authentication passphrase is required at " + name(l));
            }
        }
        if (l == SnmpSecurityLevel.AUTH_PRIV) {
            x = protocol(priv, defaultPriv, n.priv(), SnmpNames::priv, problems);
            if (privPassphrase == null) {
                problems.add(n.privPassphrase() + ": a privacy passphrase is required at authPriv");
            }
        }
        if (problems.size() > before) {
            return null;
        }
        try {
            if (a == null) {
                return SnmpCredentials.v3(user);
            }
            if (x == null) {
                return SnmpCredentials.v3(user, a, authPassphrase);
            }
            return SnmpCredentials.v3(user, a, authPassphrase, x, privPassphrase);
        } catch (IllegalArgumentException | InvalidConfigurationException e) {
            problems.add("SNMP v3 credentials: " + e.getMessage());
            return null;
        }
    }

    private static <T> T protocol(String given, String fallback, String name, Function<String, T> parse, List<String> problems) {
        String v = given != null ? given : fallback;
        if (v == null) {
            problems.add(name + ": required at this security level");
            return null;
        }
        try {
            return parse.apply(v);
        } catch (IllegalArgumentException e) {
            problems.add(name + " " + v + ": " + e.getMessage());
            return null;
        }
    }

    /**
     * net-snmp's name of a level.
     *
     * @param l the level
     * @return {@code noAuthNoPriv}, {@code authNoPriv} or {@code authPriv}
     */
    public static String name(SnmpSecurityLevel l) {
        return switch (l) {
            case NO_AUTH_NO_PRIV -> "noAuthNoPriv";
            case AUTH_NO_PRIV -> "authNoPriv";
            case AUTH_PRIV -> "authPriv";
        };
    }

    /**
     * net-snmp's name of an authentication protocol, which {@link #auth} reads back.
     *
     * @param p the protocol
     * @return {@code MD5}, {@code SHA}, {@code SHA-224}...
     */
    public static String name(SnmpAuthProtocol p) {
        return switch (p) {
            case MD5 -> "MD5";
            case SHA1 -> "SHA";
            case SHA224 -> "SHA-224";
            case SHA256 -> "SHA-256";
            case SHA384 -> "SHA-384";
            case SHA512 -> "SHA-512";
        };
    }

    /**
     * net-snmp's name of a privacy protocol, which {@link #priv} reads back.
     *
     * @param p the protocol
     * @return {@code DES}, {@code AES-128}, {@code AES-192} or {@code AES-256}
     */
    public static String name(SnmpPrivProtocol p) {
        return switch (p) {
            case DES -> "DES";
            case AES128 -> "AES-128";
            case AES192 -> "AES-192";
            case AES256 -> "AES-256";
        };
    }
}
