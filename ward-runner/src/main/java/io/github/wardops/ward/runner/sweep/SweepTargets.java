package io.github.wardops.ward.runner.sweep;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.inventory.Addresses;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the operands of {@code ward sweep} into the list of addresses to ping. An operand is
 * a file (one address or CIDR range per line; {@code #} starts a comment; blank lines are
 * skipped), a CIDR range ({@code 127.0.0.0/24}; for IPv4 prefixes shorter than /31 the network
 * and broadcast addresses are left out, as fping does), or a plain IP address. Host names are
 * never resolved.
 *
 * <p>Parsing is all-or-nothing: every malformed line or operand is reported, with the file and
 * line number, in one {@link InvalidConfigurationException}; so is a total over the target
 * limit, checked before a range is expanded, so a {@code /8} typo cannot exhaust memory.
 * Addresses ward never probes (multicast, broadcast, unspecified, and link-local unless allowed:
 * {@link Addresses#requireProbeable}) are refused, alone or inside a range, with the reason.
 * Stateless and thread-safe.
 */
public final class SweepTargets {
    /** The default most targets of one sweep. */
    public static final int DEFAULT_MAX_TARGETS = 1 << 20;
    private static final int MAX_LINE_BYTES = 1024;
    private static final int MAX_PROBLEMS = 100;

    private SweepTargets() {
    }

    /**
     * Parses the operands.
     *
     * @param operands files, CIDR ranges or addresses, in order; never {@code null}
     * @param maxTargets the most addresses accepted in total
     * @return the addresses, in operand order (duplicates kept)
     * @throws InvalidConfigurationException listing every problem
     */
    public static List<InetAddress> parse(List<String> operands, int maxTargets) {
        return parse(operands, maxTargets, false);
    }

    /**
     * Parses the operands.
     *
     * @param operands files, CIDR ranges or addresses, in order; never {@code null}
     * @param maxTargets the most addresses accepted in total
     * @param allowLinkLocal whether link-local addresses are accepted
     * @return the addresses, in operand order (duplicates kept)
     * @throws InvalidConfigurationException listing every problem
     */
    public static List<InetAddress> parse(List<String> operands, int maxTargets, boolean allowLinkLocal) {
        List<InetAddress> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        if (operands.isEmpty()) {
            problems.add("no targets: give files, CIDR ranges or addresses");
        }
        for (String op : operands) {
            if (problems.size() >= MAX_PROBLEMS) {
                break;
            }
            Path file = asFile(op);
            if (file != null) {
                readFile(file, op, out, problems, maxTargets, allowLinkLocal);
            } else {
                String err = add(op.strip(), out, maxTargets, allowLinkLocal);
                if (err != null) {
                    problems.add(looksLikePath(op) ? "'" + op + "' is not a readable file, an IP address or a CIDR range"
                            : "'" + op + "': " + err);
                }
            }
        }
        if (problems.size() >= MAX_PROBLEMS) {
            problems.add("... stopped after " + MAX_PROBLEMS + " problems");
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException("ward sweep targets", problems);
        }
        return out;
    }

    private static Path asFile(String op) {
        if (op.isBlank()) {
            return null;
        }
        try {
            Path p = Path.of(op);
            return Files.isRegularFile(p) ? p : null;
        } catch (InvalidPathException e) {
            return null;
        }
    }

    /** Whether the operand is no IP literal (before any {@code /}), so it was probably meant as a file. */
    private static boolean looksLikePath(String op) {
        String t = op.strip();
        int slash = t.indexOf('/');
        try {
            Addresses.parse(slash < 0 ? t : t.substring(0, slash));
            return false;
        } catch (IllegalArgumentException e) {
            return true;
        }
    }

    private static void readFile(Path file, String name, List<InetAddress> out, List<String> problems, int maxTargets,
                                 boolean allowLinkLocal) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[8192];
            byte[] line = new byte[MAX_LINE_BYTES];
            int len = 0;
            long lineBytes = 0;
            int lineNo = 0;
            int n;
            while ((n = in.read(buf)) >= 0) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] != '\n') {
                        // Only the first MAX_LINE_BYTES of a line are kept: a huge line is skipped, never held.
                        if (lineBytes < MAX_LINE_BYTES) {
                            line[len++] = buf[i];
                        }
                        lineBytes++;
                        continue;
                    }
                    String err = line(line, len, lineBytes, out, maxTargets, allowLinkLocal);
                    lineNo++;
                    if (err != null && problem(problems, name + ":" + lineNo + ": " + err)) {
                        return;
                    }
                    len = 0;
                    lineBytes = 0;
                }
            }
            if (lineBytes > 0) {
                String err = line(line, len, lineBytes, out, maxTargets, allowLinkLocal);
                if (err != null) {
                    problem(problems, name + ":" + (lineNo + 1) + ": " + err);
                }
            }
        } catch (IOException | RuntimeException e) {
            problems.add(name + ": cannot be read: " + e.getMessage());
        }
    }

    /** Adds a problem; whether the bound on problems is reached. */
    private static boolean problem(List<String> problems, String p) {
        problems.add(p);
        return problems.size() >= MAX_PROBLEMS;
    }

    /** One line of a target file; returns a problem, or {@code null}. */
    private static String line(byte[] bytes, int len, long lineBytes, List<InetAddress> out, int maxTargets,
                               boolean allowLinkLocal) {
        if (lineBytes > MAX_LINE_BYTES) {
            return "longer than " + MAX_LINE_BYTES + " bytes";
        }
        String line;
        try {
            line = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, 0, len)).toString();
        } catch (CharacterCodingException e) {
            return "not UTF-8 text; save the file as UTF-8";
        }
        int hash = line.indexOf('#');
        String t = (hash >= 0 ? line.substring(0, hash) : line).strip();
        if (t.isEmpty()) {
            return null;
        }
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
                return "the control character " + String.format(java.util.Locale.ROOT, "U+%04X", (int) c) + " at character "
                        + (i + 1) + " is not allowed";
            }
        }
        return t.chars().anyMatch(Character::isWhitespace)
                ? "one address or CIDR range per line, found '" + t + "'"
                : add(t, out, maxTargets, allowLinkLocal);
    }

    /** Adds one address or range; returns a problem, or {@code null}. */
    private static String add(String token, List<InetAddress> out, int maxTargets, boolean allowLinkLocal) {
        if (token.isEmpty()) {
            return "empty target";
        }
        int remaining = maxTargets - out.size();
        try {
            if (token.indexOf('/') < 0) {
                InetAddress a = Addresses.parseTarget(token, allowLinkLocal);
                if (remaining < 1) {
                    return "too many targets: this adds 1 addresses to " + out.size() + ", over the limit of " + maxTargets
                            + " (--max-targets)";
                }
                out.add(a);
                return null;
            }
            BigInteger size = rangeSize(token);
            if (size.compareTo(BigInteger.valueOf(remaining)) > 0) {
                return "too many targets: this adds " + size + " addresses to " + out.size()
                        + ", over the limit of " + maxTargets + " (--max-targets)";
            }
            List<InetAddress> range = Addresses.expand(token, remaining);
            for (InetAddress a : range) {
                try {
                    Addresses.requireProbeable(a, allowLinkLocal);
                } catch (IllegalArgumentException e) {
                    return "the range holds addresses ward never probes: " + e.getMessage();
                }
            }
            out.addAll(range);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** The number of addresses a token expands to, computed without expanding it. */
    static BigInteger rangeSize(String token) {
        int slash = token.indexOf('/');
        if (slash < 0) {
            Addresses.parse(token);
            return BigInteger.ONE;
        }
        InetAddress base = Addresses.parse(token.substring(0, slash));
        int bits = base.getAddress().length * 8;
        int prefix;
        try {
            prefix = Integer.parseInt(token.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad prefix length in '" + token + "'");
        }
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("prefix length " + prefix + " out of range (0-" + bits + ") in '" + token + "'");
        }
        BigInteger size = BigInteger.ONE.shiftLeft(bits - prefix);
        return bits == 32 && prefix < 31 ? size.subtract(BigInteger.TWO) : size;
    }
}
