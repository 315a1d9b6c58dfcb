package io.github.wardops.ward.runner.cli;

import io.github.wardops.ward.inventory.Addresses;
import io.github.wardops.ward.snmp.SnmpCredentials;
import io.github.wardops.ward.snmp.SnmpOid;
import io.github.wardops.ward.snmp.SnmpTarget;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * net-snmp's familiar flags, shared by {@code ward walk} and {@code ward probe snmp-get}: the
 * credential flags ({@link SnmpCredentialFlags}), {@code -t}, {@code -r}; and {@code TARGET} as
 * {@code host[:port]}. Validated all at once by {@link #resolve}. Secrets given as flags are
 * visible in the process list, as with net-snmp; the {@code WARD_SNMP_*} variables are read
 * when they are not given. Not thread-safe.
 */
public final class SnmpFlags {
    @Mixin
    SnmpCredentialFlags credentials = new SnmpCredentialFlags();

    @Option(names = "-t", paramLabel = "SECONDS", defaultValue = "1", description = "Timeout per attempt in seconds (default: 1).")
    String timeout;

    @Option(names = "-r", paramLabel = "N", defaultValue = "5", description = "Retries (default: 5).")
    String retries;

    @Option(names = "--allow-link-local", description = "Accept a link-local TARGET (169.254.0.0/16, fe80::/10).")
    boolean allowLinkLocal;

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
        if (address != null) {
            try {
                Addresses.requireProbeable(address, allowLinkLocal);
            } catch (IllegalArgumentException e) {
                problems.add("target '" + target + "': " + e.getMessage());
                address = null;
            }
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
        SnmpCredentials creds = credentials.credentials(env, true, problems);
        if (problems.size() > before) {
            return null;
        }
        return new Resolved(new SnmpTarget(address, port, t, r, 25, 50), creds);
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
