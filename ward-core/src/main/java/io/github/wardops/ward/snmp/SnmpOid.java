package io.github.wardops.ward.snmp;

import java.util.Arrays;
import java.util.Objects;

/**
 * An SNMP object identifier, such as {@code 1.3.6.1.2.1.1.3.0}. Sub-identifiers are unsigned
 * 32-bit numbers; OIDs order lexicographically as SNMP agents order them. Immutable and
 * thread-safe.
 */
public final class SnmpOid implements Comparable<SnmpOid> {
    private static final int MAX_LENGTH = 128;
    private final int[] ids;
    private int hash;

    private SnmpOid(int[] ids) {
        this.ids = ids;
    }

    /**
     * Parses a dotted OID; a leading dot is allowed ({@code .1.3.6.1}).
     *
     * @param text the OID; never {@code null}
     * @return the OID
     * @throws IllegalArgumentException when the text is not a numeric OID of 1-128 sub-identifiers
     */
    public static SnmpOid parse(String text) {
        Objects.requireNonNull(text, "oid");
        String t = text.strip();
        if (t.startsWith(".")) {
            t = t.substring(1);
        }
        if (t.isEmpty()) {
            throw new IllegalArgumentException("empty OID");
        }
        String[] parts = t.split("\\.", -1);
        if (parts.length > MAX_LENGTH) {
            throw new IllegalArgumentException("OID has more than " + MAX_LENGTH + " sub-identifiers");
        }
        int[] ids = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 10 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("not a numeric OID: '" + abbreviate(text) + "'");
            }
            long v = Long.parseLong(p);
            if (v > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("OID sub-identifier " + p + " exceeds 4294967295");
            }
            ids[i] = (int) v;
        }
        return new SnmpOid(ids);
    }

    /**
     * An OID from sub-identifiers (each read as unsigned).
     *
     * @param ids 1-128 sub-identifiers; copied
     * @return the OID
     */
    public static SnmpOid of(int... ids) {
        if (ids.length == 0 || ids.length > MAX_LENGTH) {
            throw new IllegalArgumentException("an OID has 1-" + MAX_LENGTH + " sub-identifiers");
        }
        return new SnmpOid(ids.clone());
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }

    /**
     * The number of sub-identifiers.
     *
     * @return the length
     */
    public int size() {
        return ids.length;
    }

    /**
     * One sub-identifier, as an unsigned value.
     *
     * @param index 0-based position
     * @return the sub-identifier, 0-4294967295
     */
    public long get(int index) {
        return Integer.toUnsignedLong(ids[index]);
    }

    /**
     * The sub-identifiers (a copy; values above 2^31-1 are negative ints, read them unsigned).
     *
     * @return the array
     */
    public int[] toIntArray() {
        return ids.clone();
    }

    /**
     * Whether this OID equals {@code prefix} or lies below it.
     *
     * @param prefix the subtree root
     * @return {@code true} when inside the subtree
     */
    public boolean startsWith(SnmpOid prefix) {
        if (prefix.ids.length > ids.length) {
            return false;
        }
        return Arrays.equals(ids, 0, prefix.ids.length, prefix.ids, 0, prefix.ids.length);
    }

    /**
     * This OID with more sub-identifiers appended.
     *
     * @param more the sub-identifiers to append
     * @return a new OID
     */
    public SnmpOid append(int... more) {
        int[] n = Arrays.copyOf(ids, ids.length + more.length);
        System.arraycopy(more, 0, n, ids.length, more.length);
        if (n.length > MAX_LENGTH) {
            throw new IllegalArgumentException("OID longer than " + MAX_LENGTH);
        }
        return new SnmpOid(n);
    }

    /**
     * The sub-identifiers after {@code prefix}, such as a table row's index.
     *
     * @param prefix a prefix of this OID
     * @return the suffix, possibly empty
     * @throws IllegalArgumentException when {@code prefix} is not a prefix
     */
    public int[] suffixAfter(SnmpOid prefix) {
        if (!startsWith(prefix)) {
            throw new IllegalArgumentException(this + " is not below " + prefix);
        }
        return Arrays.copyOfRange(ids, prefix.ids.length, ids.length);
    }

    @Override
    public int compareTo(SnmpOid o) {
        return Arrays.compareUnsigned(ids, o.ids);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SnmpOid other && Arrays.equals(ids, other.ids);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = Arrays.hashCode(ids);
            hash = h;
        }
        return h;
    }

    /**
     * The dotted form without a leading dot, such as {@code 1.3.6.1.2.1.1.3.0}.
     *
     * @return the OID text
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(ids.length * 3);
        for (int i = 0; i < ids.length; i++) {
            if (i > 0) {
                sb.append('.');
            }
            sb.append(Integer.toUnsignedString(ids[i]));
        }
        return sb.toString();
    }
}
