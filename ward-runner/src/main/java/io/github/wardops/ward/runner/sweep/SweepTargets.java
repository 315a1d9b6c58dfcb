package io.github.wardops.ward.runner.sweep;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.inventory.Addresses;
import java.io.BufferedReader;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
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
 * Stateless and thread-safe.
 */
public final class SweepTargets {
    /** The default most targets of one sweep. */
    public static final int DEFAULT_MAX_TARGETS = 1 << 20;
    private static final int MAX_LINE_CHARS = 1024;
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
                readFile(file, op, out, problems, maxTargets);
            } else {
                String err = add(op.strip(), out, maxTargets);
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

    private static void readFile(Path file, String name, List<InetAddress> out, List<String> problems, int maxTargets) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.length() > MAX_LINE_CHARS) {
                    problems.add(name + ":" + lineNo + ": longer than " + MAX_LINE_CHARS + " characters");
                } else {
                    int hash = line.indexOf('#');
                    String t = (hash >= 0 ? line.substring(0, hash) : line).strip();
                    if (t.isEmpty()) {
                        continue;
                    }
                    String err = t.chars().anyMatch(Character::isWhitespace)
                            ? "one address or CIDR range per line, found '" + t + "'"
                            : add(t, out, maxTargets);
                    if (err != null) {
                        problems.add(name + ":" + lineNo + ": " + err);
                    }
                }
                if (problems.size() >= MAX_PROBLEMS) {
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            problems.add(name + ": cannot be read: " + e.getMessage());
        }
    }

    /** Adds one address or range; returns a problem, or {@code null}. */
    private static String add(String token, List<InetAddress> out, int maxTargets) {
        if (token.isEmpty()) {
            return "empty target";
        }
        int remaining = maxTargets - out.size();
        try {
            if (token.indexOf('/') < 0) {
                InetAddress a = Addresses.parse(token);
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
            out.addAll(Addresses.expand(token, remaining));
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
