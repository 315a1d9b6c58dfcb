package io.github.wardops.ward.runner.cli;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.Secret;
import io.github.wardops.ward.inventory.Addresses;
import io.github.wardops.ward.runner.config.SnmpNames;
import io.github.wardops.ward.snmp.SnmpAuthProtocol;
import io.github.wardops.ward.snmp.SnmpCredentials;
import io.github.wardops.ward.snmp.SnmpOid;
import io.github.wardops.ward.snmp.SnmpPrivProtocol;
import io.github.wardops.ward.snmp.SnmpTarget;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * net-snmp's familiar flags, shared by {@code ward walk} and {@code ward probe snmp-get}:
 * {@code -v 1|2c|3}, {@code -c}, {@code -u}, {@code -l}, {@code -a}, {@code -A}, {@code -x},
 * {@code -X}, {@code -t}, {@code -r}; and {@code TARGET} as {@code host[:port]}. Validated all at
 * once by {@link #resolve}. Secrets given as flags are visible in the process list, as with
 * net-snmp; {@code WARD_SNMP_COMMUNITY} is read when {@code -c} is not given. Not thread-safe.
 */
public final class SnmpFlags {
    @Option(names = "-v", paramLabel = "1|2c|3", defaultValue = "2c", description = "SNMP version (default: 2c).")
    String version;

    @Option(names = "-c", paramLabel = "COMMUNITY", description = "v1/v2c community (default: WARD_SNMP_COMMUNITY, else public).")
    String community;

    @Option(names = "-u", paramLabel = "USER", description = "v3 security name.")
    String user;

    @Option(names = "-l", paramLabel = "LEVEL", description = "v3 security level: noAuthNoPriv, authNoPriv or authPriv.")
    String level;

    @Option(names = "-a", paramLabel = "PROTOCOL", description = "v3 authentication: MD5, SHA, SHA-224, SHA-256, SHA-384, SHA-512.")
    String authProtocol;

    @Option(names = "-A", paramLabel = "PASSPHRASE", description = "v3 authentication passphrase.")
    String authPassphrase;

    @Option(names = "-x", paramLabel = "PROTOCOL", description = "v3 privacy: DES, AES (AES-128), AES-192, AES-256.")
    String privProtocol;

    @Option(names = "-X", paramLabel = "PASSPHRASE", description = "v3 privacy passphrase.")
    String privPassphrase;

    @Option(names = "-t", paramLabel = "SECONDS", defaultValue = "1", description = "Timeout per attempt in seconds (default: 1).")
    String timeout;

    @Option(names = "-r", paramLabel = "N", defaultValue = "5", description = "Retries (default: 5).")
    String retries;

    /** Creates empty flags. */
    public SnmpFlags() {
    }

    /**
     * The resolved flags.
     *
     * @param target where to send
     * @param credentials how to authenticate
     */
    public record Resolved(SnmpTarget target, SnmpCredentials credentials) {
    }

    /**
     * Validates every flag and the target together.
     *
     * @param target {@code host[:port]} ({@code [v6]:port} for IPv6)
     * @param env the environment
     * @param problems where problems are added
     * @return the resolved flags, or {@code null} when there were problems
     */
    Resolved resolve(String target, java.util.Map<String, String> env, List<String> problems) {
        int before = problems.size();
        InetAddress address = null;
        int port = SnmpTarget.DEFAULT_PORT;
        String host = target;
        if (target.startsWith("[")) {
            int end = target.indexOf(']');
            if (end < 0) {
                problems.add("target '" + target + "': missing ']'");
                return null;
            }
            host = target.substring(1, end);
            String rest = target.substring(end + 1);
            if (rest.startsWith(":")) {
                port = port(rest.substring(1), target, problems);
            } else if (!rest.isEmpty()) {
                problems.add("target '" + target + "': expected [ADDRESS]:PORT");
            }
        } else if (target.indexOf(':') >= 0 && target.indexOf(':') == target.lastIndexOf(':')) {
            host = target.substring(0, target.indexOf(':'));
            port = port(target.substring(target.indexOf(':') + 1), target, problems);
        }
        try {
            address = Addresses.parse(host);
        } catch (IllegalArgumentException e) {
            problems.add("target '" + target + "': " + e.getMessage() + " (an IP address; host names are not resolved)");
        }
        Duration t = null;
        try {
            BigDecimal secs = new BigDecimal(timeout.strip());
            t = Duration.ofMillis(secs.movePointRight(3).longValueExact());
            if (t.toMillis() < 10 || t.toSeconds() > 60) {
                problems.add("-t " + timeout + ": must be 0.01-60 seconds");
            }
        } catch (NumberFormatException | ArithmeticException e) {
            problems.add("-t " + timeout + ": not a number of seconds");
        }
        int r = -1;
        try {
            r = Integer.parseInt(retries.strip());
            if (r < 0 || r > 10) {
                problems.add("-r " + retries + ": must be 0-10");
            }
        } catch (NumberFormatException e) {
            problems.add("-r " + retries + ": not a whole number");
        }
        SnmpCredentials credentials = credentials(env, problems);
        if (problems.size() > before) {
            return null;
        }
        return new Resolved(new SnmpTarget(address, port, t, r, 25, 50), credentials);
    }

    private static int port(String s, String target, List<String> problems) {
        try {
            int p = Integer.parseInt(s);
            if (p >= 1 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add("target '" + target + "': port must be 1-65535");
        return SnmpTarget.DEFAULT_PORT;
    }

    private SnmpCredentials credentials(java.util.Map<String, String> env, List<String> problems) {
        String v = version.strip().toLowerCase(Locale.ROOT);
        switch (v) {
            case "1", "2c" -> {
                String c = community != null ? community : env.getOrDefault("WARD_SNMP_COMMUNITY", "public");
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
                return v3(problems);
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

    private SnmpCredentials v3(List<String> problems) {
        if (community != null) {
            problems.add("-c is for -v 1 and -v 2c; use -u, -l, -a, -A, -x, -X with -v 3");
        }
        // net-snmp's defaults when -a or -x is not given: MD5 and DES.
        return SnmpNames.v3(user, level, authProtocol, authPassphrase == null ? null : Secret.of(authPassphrase),
                privProtocol, privPassphrase == null ? null : Secret.of(privPassphrase), "MD5", "DES", FLAG_NAMES, problems);
    }

    /**
     * Parses OIDs, each with or without a leading dot.
     *
     * @param texts the OIDs
     * @param problems where problems are added
     * @return the OIDs
     */
    static List<SnmpOid> oids(List<String> texts, List<String> problems) {
        List<SnmpOid> out = new ArrayList<>();
        for (String t : texts) {
            try {
                out.add(SnmpOid.parse(t.startsWith(".") ? t.substring(1) : t));
            } catch (IllegalArgumentException e) {
                problems.add("OID '" + t + "': numeric OIDs only, such as .1.3.6.1.2.1.1 (" + e.getMessage() + ")");
            }
        }
        return out;
    }
}
