package io.github.wardops.ward.runner.cli;

import io.github.wardops.ward.Secret;
import io.github.wardops.ward.runner.config.SnmpNames;
import io.github.wardops.ward.snmp.SnmpCredentials;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * net-snmp's credential flags, {@code -v 1|2c|3}, {@code -c}, {@code -u}, {@code -l}, {@code -a},
 * {@code -A}, {@code -x}, {@code -X}, shared by {@code walk}, {@code probe snmp-get} and
 * {@code credentials add}. The community and the passphrases may come from
 * {@code WARD_SNMP_COMMUNITY}, {@code WARD_SNMP_V3_AUTH_PASSPHRASE} and
 * {@code WARD_SNMP_V3_PRIV_PASSPHRASE} instead, which keeps them out of the process list. Not
 * thread-safe (filled by picocli).
 */
public final class SnmpCredentialFlags {
    @Option(names = "-v", paramLabel = "1|2c|3", defaultValue = "2c", description = "SNMP version (default: 2c).")
    String version;

    @Option(names = "-c", paramLabel = "COMMUNITY", description = "v1/v2c community (default: WARD_SNMP_COMMUNITY).")
    String community;

    @Option(names = "-u", paramLabel = "USER", description = "v3 security name.")
    String user;

    @Option(names = "-l", paramLabel = "LEVEL", description = "v3 security level: noAuthNoPriv, authNoPriv or authPriv.")
    String level;

    @Option(names = "-a", paramLabel = "PROTOCOL", description = "v3 authentication: MD5, SHA, SHA-224, SHA-256, SHA-384, SHA-512.")
    String authProtocol;

    @Option(names = "-A", paramLabel = "PASSPHRASE", description = "v3 authentication passphrase (default: WARD_SNMP_V3_AUTH_PASSPHRASE).")
    String authPassphrase;

    @Option(names = "-x", paramLabel = "PROTOCOL", description = "v3 privacy: DES, AES (AES-128), AES-192, AES-256.")
    String privProtocol;

    @Option(names = "-X", paramLabel = "PASSPHRASE", description = "v3 privacy passphrase (default: WARD_SNMP_V3_PRIV_PASSPHRASE).")
    String privPassphrase;

    /** Creates empty flags. */
    public SnmpCredentialFlags() {
    }

    /**
     * Validates the flags together and builds the credentials.
     *
     * @param env the environment: {@code WARD_SNMP_COMMUNITY}, {@code WARD_SNMP_V3_AUTH_PASSPHRASE}
     *     and {@code WARD_SNMP_V3_PRIV_PASSPHRASE} stand in for {@code -c}, {@code -A}, {@code -X}
     * @param publicByDefault whether v1/v2c fall back to the community {@code public} (as net-snmp's tools
     *     do) when neither {@code -c} nor the variable is set
     * @param problems where problems are added
     * @return the credentials, or {@code null} when there were problems
     */
    SnmpCredentials credentials(Map<String, String> env, boolean publicByDefault, List<String> problems) {
        String v = version.strip().toLowerCase(Locale.ROOT);
        switch (v) {
            case "1", "2c" -> {
                String c = community != null ? community : env.getOrDefault("WARD_SNMP_COMMUNITY",
                        publicByDefault ? "public" : null);
                if (c == null) {
                    problems.add("-c: a community is required (or set WARD_SNMP_COMMUNITY)");
                    return null;
                }
                if (c.isEmpty()) {
                    problems.add("-c: the community must not be empty");
                    return null;
                }
                for (String f : List.of("u", "l", "a", "A", "x", "X")) {
                    if (v3Flag(f) != null) {
                        problems.add("-" + f + " is for -v 3 only");
                    }
                }
                try {
                    return v.equals("1") ? SnmpCredentials.v1(Secret.of(c)) : SnmpCredentials.v2c(Secret.of(c));
                } catch (IllegalArgumentException e) {
                    problems.add("-c: " + e.getMessage());
                    return null;
                }
            }
            case "3" -> {
                return v3(env, problems);
            }
            default -> {
                problems.add("-v " + version + ": must be 1, 2c or 3");
                return null;
            }
        }
    }

    private String v3Flag(String f) {
        return switch (f) {
            case "u" -> user;
            case "l" -> level;
            case "a" -> authProtocol;
            case "A" -> authPassphrase;
            case "x" -> privProtocol;
            default -> privPassphrase;
        };
    }

    private static final SnmpNames.Names FLAG_NAMES = new SnmpNames.Names("-u", "-l", "-a", "-A", "-x", "-X");

    private SnmpCredentials v3(Map<String, String> env, List<String> problems) {
        if (community != null) {
            problems.add("-c is for -v 1 and -v 2c; use -u, -l, -a, -A, -x, -X with -v 3");
        }
        // net-snmp's defaults when -a or -x is not given: MD5 and DES.
        String a = authPassphrase != null ? authPassphrase : blankToNull(env.get("WARD_SNMP_V3_AUTH_PASSPHRASE"));
        String x = privPassphrase != null ? privPassphrase : blankToNull(env.get("WARD_SNMP_V3_PRIV_PASSPHRASE"));
        return SnmpNames.v3(user, level, authProtocol, a == null ? null : Secret.of(a), privProtocol,
                x == null ? null : Secret.of(x), "MD5", "DES", FLAG_NAMES, problems);
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
