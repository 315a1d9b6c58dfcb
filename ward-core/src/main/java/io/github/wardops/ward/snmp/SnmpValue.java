package io.github.wardops.ward.snmp;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * A typed SNMP value, as an agent returned it. The three SNMPv2 exceptions
 * ({@link NoSuchObject}, {@link NoSuchInstance}, {@link EndOfMibView}) are values too, not errors:
 * one missing OID does not fail a whole request. Every case is an immutable record; all are
 * thread-safe.
 *
 * <p>{@link #typeName()} and {@link #formatValue()} print the value the way net-snmp's tools do
 * ({@code Counter32: 5}, {@code STRING: "text"}, {@code Hex-STRING: 00 1A}), so ward's output can
 * be compared with {@code snmpbulkwalk -On}.
 */
public sealed interface SnmpValue {

    /**
     * The net-snmp type label, such as {@code INTEGER}, {@code Counter32}, {@code STRING}.
     *
     * @return the label; never {@code null}
     */
    String typeName();

    /**
     * The value as net-snmp prints it after the type label.
     *
     * @return the text; never {@code null}
     */
    String formatValue();

    /**
     * The value as a number, for numeric types (Counter64 read unsigned).
     *
     * @return the number, or empty for strings, OIDs, addresses and exceptions
     */
    default OptionalDouble asNumber() {
        return OptionalDouble.empty();
    }

    /**
     * Whether this is one of the SNMPv2 exception values (no such object or instance, end of MIB view).
     *
     * @return {@code true} for an exception value
     */
    default boolean isException() {
        return false;
    }

    /**
     * The value in net-snmp's {@code TYPE: value} form; exception values print their sentence.
     *
     * @return the formatted value
     */
    default String format() {
        if (this instanceof OctetString s && s.bytes.length == 0) {
            return "\"\"";
        }
        return isException() || this instanceof Null ? formatValue() : typeName() + ": " + formatValue();
    }

    /**
     * An INTEGER (Integer32), such as ifOperStatus.
     *
     * @param value the value
     */
    record Integer32(int value) implements SnmpValue {
        @Override
        public String typeName() {
            return "INTEGER";
        }

        @Override
        public String formatValue() {
            return Integer.toString(value);
        }

        @Override
        public OptionalDouble asNumber() {
            return OptionalDouble.of(value);
        }
    }

    /**
     * A Counter32: a 32-bit counter that wraps to 0 after 4294967295.
     *
     * @param value 0-4294967295
     */
    record Counter32(long value) implements SnmpValue {
        /**
         * Checks the components; each is described on the record.
         */
        public Counter32 {
            checkUnsigned32(value);
        }

        @Override
        public String typeName() {
            return "Counter32";
        }

        @Override
        public String formatValue() {
            return Long.toString(value);
        }

        @Override
        public OptionalDouble asNumber() {
            return OptionalDouble.of(value);
        }
    }

    /**
     * A Gauge32 (also Unsigned32).
     *
     * @param value 0-4294967295
     */
    record Gauge32(long value) implements SnmpValue {
        /**
         * Checks the components; each is described on the record.
         */
        public Gauge32 {
            checkUnsigned32(value);
        }

        @Override
        public String typeName() {
            return "Gauge32";
        }

        @Override
        public String formatValue() {
            return Long.toString(value);
        }

        @Override
        public OptionalDouble asNumber() {
            return OptionalDouble.of(value);
        }
    }

    /**
     * TimeTicks: hundredths of a second, such as sysUpTime.
     *
     * @param value 0-4294967295 centiseconds
     */
    record TimeTicks(long value) implements SnmpValue {
        /**
         * Checks the components; each is described on the record.
         */
        public TimeTicks {
            checkUnsigned32(value);
        }

        @Override
        public String typeName() {
            return "Timeticks";
        }

        /**

         * Returns {@code (ticks) d days, h:mm:ss.cc} as net-snmp prints it.

         *

         * @return {@code (ticks) d days, h:mm:ss.cc} as net-snmp prints it

         */
        @Override
        public String formatValue() {
            long cs = value % 100;
            long s = value / 100;
            long days = s / 86_400;
            long h = (s / 3600) % 24;
            long m = (s / 60) % 60;
            long sec = s % 60;
            String d = days == 0 ? "" : days + (days == 1 ? " day, " : " days, ");
            return String.format(Locale.ROOT, "(%d) %s%d:%02d:%02d.%02d", value, d, h, m, sec, cs);
        }

        @Override
        public OptionalDouble asNumber() {
            return OptionalDouble.of(value);
        }
    }

    /**
     * A Counter64, read as unsigned (values above 2^63-1 are negative longs).
     *
     * @param value the raw 64 bits
     */
    record Counter64(long value) implements SnmpValue {
        @Override
        public String typeName() {
            return "Counter64";
        }

        @Override
        public String formatValue() {
            return Long.toUnsignedString(value);
        }

        @Override
        public OptionalDouble asNumber() {
            return OptionalDouble.of(value >= 0 ? value : Double.parseDouble(Long.toUnsignedString(value)));
        }
    }

    /**
     * An OCTET STRING. Printed as text when it is valid UTF-8 without control characters (tab,
     * CR and LF allowed), as hex otherwise.
     *
     * @param bytes the bytes (copied in and out)
     */
    record OctetString(byte[] bytes) implements SnmpValue {
        /**
         * Checks the components (each is described on the record) and copies its collections, so
         * the caller's later changes do not reach it.
         *
         * @throws NullPointerException if {@code bytes} is null
         */
        public OctetString {
            bytes = Objects.requireNonNull(bytes, "bytes").clone();
        }

        /**
         * A string value from text (UTF-8).
         *
         * @param text the text
         * @return the value
         */
        public static OctetString of(String text) {
            return new OctetString(text.getBytes(StandardCharsets.UTF_8));
        }

        /**
         * The raw bytes (a copy).
         *
         * @return the bytes
         */
        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        /**
         * Whether the bytes read as text.
         *
         * @return {@code true} when printable
         */
        public boolean isText() {
            return text() != null;
        }

        /**
         * The bytes as text, when printable.
         *
         * @return the text, or {@code null} when the bytes are binary
         */
        public String text() {
            for (byte b : bytes) {
                int c = b & 0xFF;
                if (c < 0x20 && c != '\t' && c != '\r' && c != '\n' || c == 0x7F) {
                    return null;
                }
            }
            try {
                return StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                return null;
            }
        }

        /**
         * The bytes as upper-case hex pairs separated by spaces, such as {@code 00 1A 2B}.
         *
         * @return the hex text
         */
        public String hex() {
            return HexFormat.ofDelimiter(" ").withUpperCase().formatHex(bytes);
        }

        @Override
        public String typeName() {
            return isText() || bytes.length == 0 ? "STRING" : "Hex-STRING";
        }

        /**

         * Returns {@code "text"} (quotes and backslashes escaped), or hex pairs each followed by a space, as net-snmp prints them.

         *

         * @return {@code "text"} (quotes and backslashes escaped), or hex pairs each followed by a space, as net-snmp prints them

         */
        @Override
        public String formatValue() {
            String t = text();
            return t != null ? "\"" + t.replace("\\", "\\\\").replace("\"", "\\\"") + "\"" : hex() + " ";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof OctetString other && Arrays.equals(bytes, other.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "OctetString[" + format() + "]";
        }
    }

    /**
     * An OBJECT IDENTIFIER value, such as sysObjectID.
     *
     * @param oid the OID; never {@code null}
     */
    record ObjectId(SnmpOid oid) implements SnmpValue {
        /**
         * Checks the components; each is described on the record.
         *
         * @throws NullPointerException if {@code oid} is null
         */
        public ObjectId {
            Objects.requireNonNull(oid, "oid");
        }

        @Override
        public String typeName() {
            return "OID";
        }

        @Override
        public String formatValue() {
            return "." + oid;
        }
    }

    /**
     * An IpAddress (IPv4).
     *
     * @param address the address; never {@code null}
     */
    record IpAddress(InetAddress address) implements SnmpValue {
        /**
         * Checks the components; each is described on the record.
         *
         * @throws NullPointerException if {@code address} is null
         */
        public IpAddress {
            Objects.requireNonNull(address, "address");
        }

        @Override
        public String typeName() {
            return "IpAddress";
        }

        @Override
        public String formatValue() {
            return address.getHostAddress();
        }
    }

    /**
     * An Opaque value (raw BER bytes).
     *
     * @param bytes the bytes (copied)
     */
    record Opaque(byte[] bytes) implements SnmpValue {
        /**
         * Checks the components (each is described on the record) and copies its collections, so
         * the caller's later changes do not reach it.
         *
         * @throws NullPointerException if {@code bytes} is null
         */
        public Opaque {
            bytes = Objects.requireNonNull(bytes, "bytes").clone();
        }

        /**
         * The raw bytes (a copy).
         *
         * @return the bytes
         */
        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        @Override
        public String typeName() {
            return "OPAQUE";
        }

        @Override
        public String formatValue() {
            return HexFormat.ofDelimiter(" ").withUpperCase().formatHex(bytes);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Opaque other && Arrays.equals(bytes, other.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Opaque[" + formatValue() + "]";
        }
    }

    /** A NULL value (what a request carries; an agent should not return it). */
    record Null() implements SnmpValue {
        @Override
        public String typeName() {
            return "NULL";
        }

        @Override
        public String formatValue() {
            return "NULL";
        }
    }

    /** The agent does not implement the object. */
    record NoSuchObject() implements SnmpValue {
        @Override
        public String typeName() {
            return "noSuchObject";
        }

        @Override
        public String formatValue() {
            return "No Such Object available on this agent at this OID";
        }

        @Override
        public boolean isException() {
            return true;
        }
    }

    /** The object exists but this instance does not. */
    record NoSuchInstance() implements SnmpValue {
        @Override
        public String typeName() {
            return "noSuchInstance";
        }

        @Override
        public String formatValue() {
            return "No Such Instance currently exists at this OID";
        }

        @Override
        public boolean isException() {
            return true;
        }
    }

    /** A walk went past the last object the agent has. */
    record EndOfMibView() implements SnmpValue {
        @Override
        public String typeName() {
            return "endOfMibView";
        }

        @Override
        public String formatValue() {
            return "No more variables left in this MIB View (It is past the end of the MIB tree)";
        }

        @Override
        public boolean isException() {
            return true;
        }
    }

    private static void checkUnsigned32(long v) {
        if (v < 0 || v > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("value " + v + " is outside 0-4294967295");
        }
    }
}
