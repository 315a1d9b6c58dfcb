package io.github.wardops.ward.inventory;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Strict parsing of IP address literals and CIDR ranges. Never resolves a host name: ward probes
 * addresses, and a DNS lookup hidden in a parser is a stall waiting to happen. Stateless and
 * thread-safe.
 *
 * <p>Arguments must not be {@code null}; nothing it returns is {@code null}.
 */
public final class Addresses {
    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

    private Addresses() {
    }

    /**
     * Parses a dotted-quad IPv4 or an IPv6 literal.
     *
     * @param text the literal, surrounding spaces ignored
     * @return the address
     * @throws IllegalArgumentException naming the text when it is not an IP literal
     */
    public static InetAddress parse(String text) {
        String t = text == null ? "" : text.strip();
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1);
        }
        try {
            if (IPV4.matcher(t).matches()) {
                return Inet4Address.ofLiteral(t);
            }
            if (t.indexOf(':') >= 0 && t.indexOf('%') < 0) {
                return Inet6Address.ofLiteral(t);
            }
        } catch (IllegalArgumentException e) {
            // fall through to the uniform message
        }
        throw new IllegalArgumentException("not an IP address: '" + text + "'");
    }

    /**
     * Expands an address or CIDR range ({@code 127.0.0.0/24}, {@code ::1/128}) to its addresses.
     * For IPv4 prefixes shorter than /31, the network and broadcast addresses are left out, as
     * fping does.
     *
     * @param cidr the range
     * @param limit the most addresses to return; a larger range is an error
     * @return the addresses in order
     * @throws IllegalArgumentException when the text is not a range or the range is too large
     */
    public static List<InetAddress> expand(String cidr, int limit) {
        String t = cidr.strip();
        int slash = t.indexOf('/');
        if (slash < 0) {
            return List.of(parse(t));
        }
        InetAddress base = parse(t.substring(0, slash));
        int bits = base.getAddress().length * 8;
        int prefix;
        try {
            prefix = Integer.parseInt(t.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad prefix length in '" + cidr + "'");
        }
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("prefix length " + prefix + " out of range in '" + cidr + "'");
        }
        BigInteger size = BigInteger.ONE.shiftLeft(bits - prefix);
        BigInteger first = new BigInteger(1, base.getAddress()).shiftRight(bits - prefix).shiftLeft(bits - prefix);
        BigInteger start = first;
        BigInteger count = size;
        if (bits == 32 && prefix < 31) {
            start = first.add(BigInteger.ONE);
            count = size.subtract(BigInteger.TWO);
        }
        if (count.compareTo(BigInteger.valueOf(limit)) > 0) {
            throw new IllegalArgumentException("range '" + cidr + "' has " + count + " addresses, more than the limit " + limit);
        }
        List<InetAddress> out = new ArrayList<>(count.intValue());
        for (int i = 0; i < count.intValue(); i++) {
            out.add(toAddress(start.add(BigInteger.valueOf(i)), bits / 8));
        }
        return out;
    }

    private static InetAddress toAddress(BigInteger v, int len) {
        byte[] raw = v.toByteArray();
        byte[] b = new byte[len];
        int copy = Math.min(raw.length, len);
        System.arraycopy(raw, raw.length - copy, b, len - copy, copy);
        try {
            return InetAddress.getByAddress(b);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
