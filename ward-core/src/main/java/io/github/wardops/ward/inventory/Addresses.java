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
 * <p>It also knows which addresses ward never probes ({@link #requireProbeable}): multicast
 * ({@code 224.0.0.0/4}, {@code ff00::/8}), the limited broadcast {@code 255.255.255.255}, the
 * unspecified addresses ({@code 0.0.0.0/8}, {@code ::}) and, unless allowed explicitly,
 * link-local ones ({@code 169.254.0.0/16}, {@code fe80::/10}), in IPv4 and IPv4-mapped IPv6
 * form alike. An echo to any of them reaches many hosts, or none, or this host: never one device.
 * Loopback stays allowed.
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
     * Parses an address that is to be probed: {@link #parse}, then {@link #requireProbeable}.
     *
     * @param text the literal, surrounding spaces ignored
     * @param allowLinkLocal whether link-local addresses are accepted
     * @return the address
     * @throws IllegalArgumentException when the text is not an IP literal, or names an address
     *     ward never probes (the message says which kind and why)
     */
    public static InetAddress parseTarget(String text, boolean allowLinkLocal) {
        return requireProbeable(parse(text), allowLinkLocal);
    }

    /**
     * Checks that ward may probe an address: not multicast, broadcast, unspecified, nor (unless
     * {@code allowLinkLocal}) link-local. An IPv4-mapped IPv6 address is judged by its IPv4 address.
     *
     * @param address the address
     * @param allowLinkLocal whether link-local addresses ({@code 169.254.0.0/16}, {@code fe80::/10}) are accepted
     * @return the address
     * @throws IllegalArgumentException naming the address, its kind and why it is refused
     */
    public static InetAddress requireProbeable(InetAddress address, boolean allowLinkLocal) {
        String why = refusal(address, allowLinkLocal);
        if (why != null) {
            throw new IllegalArgumentException(why);
        }
        return address;
    }

    /**
     * Whether an address is link-local ({@code 169.254.0.0/16}, {@code fe80::/10}, or the
     * IPv4-mapped form of the former).
     *
     * @param address the address
     * @return {@code true} for a link-local address
     */
    public static boolean isLinkLocal(InetAddress address) {
        byte[] b = address.getAddress();
        byte[] v4 = ipv4(b);
        if (v4 != null) {
            return (v4[0] & 0xff) == 169 && (v4[1] & 0xff) == 254;
        }
        return (b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0x80;
    }

    /** Why ward never probes the address, or {@code null} when it may. */
    static String refusal(InetAddress address, boolean allowLinkLocal) {
        byte[] b = address.getAddress();
        byte[] v4 = ipv4(b);
        String a = address.getHostAddress();
        String kind = null;
        if (v4 != null) {
            int first = v4[0] & 0xff;
            if (first >= 224 && first <= 239) {
                kind = "multicast (224.0.0.0/4)";
            } else if (v4[0] == (byte) 0xff && v4[1] == (byte) 0xff && v4[2] == (byte) 0xff && v4[3] == (byte) 0xff) {
                kind = "the broadcast address";
            } else if (first == 0) {
                kind = "unspecified (0.0.0.0/8, \"this network\", never a destination)";
            }
        } else if ((b[0] & 0xff) == 0xff) {
            kind = "multicast (ff00::/8)";
        } else if (allZero(b, 0, 16)) {
            kind = "the unspecified address";
        }
        if (kind != null) {
            return "address " + a + " is " + kind + ": an echo to it reaches many hosts, none or this one, "
                    + "never one device, so ward never probes it";
        }
        if (!allowLinkLocal && isLinkLocal(address)) {
            return "address " + a + " is link-local (" + (v4 != null ? "169.254.0.0/16" : "fe80::/10") + "): it names "
                    + "a different host on every network segment, so ward probes it only when allowed explicitly "
                    + "(allow-link-local)";
        }
        return null;
    }

    /** The IPv4 address of a 4-byte address or of an IPv4-mapped IPv6 address, else {@code null}. */
    private static byte[] ipv4(byte[] b) {
        if (b.length == 4) {
            return b;
        }
        if (allZero(b, 0, 10) && b[10] == (byte) 0xff && b[11] == (byte) 0xff) {
            return java.util.Arrays.copyOfRange(b, 12, 16);
        }
        return null;
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
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
