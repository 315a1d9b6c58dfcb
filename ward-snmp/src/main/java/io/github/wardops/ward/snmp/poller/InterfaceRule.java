package io.github.wardops.ward.snmp.poller;

import io.github.wardops.ward.InvalidConfigurationException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A classification rule: when an interface matches, it gets {@link #role()} (such as
 * {@code uplink}). A rule reads one field:
 *
 * <ul>
 *   <li>{@code alias}, {@code descr}, {@code name} (ifAlias, ifDescr, ifName): {@link #regex()} is
 *       a Java regular expression, found anywhere in the text; each named group becomes an
 *       attribute ({@code (?<provider>\w+)} gives {@code provider=...});</li>
 *   <li>{@code type} (ifType): {@link #regex()} is a comma-separated list of IANA ifType numbers
 *       or names ({@code 6}, {@code ethernetCsmacd}, {@code ieee8023adLag}...; names ignore case);</li>
 *   <li>{@code speed} (bits per second, 0 when unknown): {@link #regex()} is a comparison,
 *       {@code >=}, {@code >}, {@code <=}, {@code <}, {@code ==} or {@code !=} and a whole number
 *       with an optional {@code k}, {@code M}, {@code G} or {@code T} (powers of 1,000):
 *       {@code >= 100M}.</li>
 * </ul>
 *
 * <p>Rules are data: the first matching rule wins. Immutable.
 *
 * @param role the role to assign, 1-64 of {@code a-z 0-9 _ -}
 * @param field which interface value to match
 * @param regex what to match it with: a regular expression for text fields, a list of ifTypes
 *     for {@link Field#TYPE}, a comparison for {@link Field#SPEED}
 *
 * <p>Arguments must not be {@code null}; nothing it returns is {@code null}.
 */
public record InterfaceRule(String role, Field field, String regex) {
    private static final Pattern ROLE = Pattern.compile("[a-z0-9_-]{1,64}");
    private static final Pattern SPEED = Pattern.compile("(>=|<=|==|!=|>|<)\\s*(\\d{1,15})\\s*([kKmMgGtT]?)");
    private static final List<String> TYPE_NAMES = List.of("other", "ethernetCsmacd", "iso88023Csmacd", "fddi",
            "propPointToPointSerial", "ppp", "softwareLoopback", "frameRelay", "atm", "propVirtual", "ieee80211",
            "adsl", "vdsl", "pppMultilinkBundle", "tunnel", "l2vlan", "l3ipvlan", "mplsTunnel", "ieee8023adLag",
            "bridge", "wwanPP", "wwanPP2", "gpon");
    /** Common IANA ifType names (IANAifType-MIB), lower-cased, with their numbers. */
    private static final Map<String, Integer> TYPES = types();

    /** Which interface value a rule reads. */
    public enum Field {
        /** ifAlias (the operator's description). */
        ALIAS,
        /** ifDescr. */
        DESCR,
        /** ifName. */
        NAME,
        /** ifType: IANA numbers or names. */
        TYPE,
        /** The speed in bits per second (ifHighSpeed, else ifSpeed; 0 when unknown). */
        SPEED
    }

    /**
     * Checks the components; each is described on the record.
     *
     * @throws NullPointerException if {@code role}, {@code field} or {@code regex} is null
     * @throws IllegalArgumentException if a component is out of its range; the message names it
     */
    public InterfaceRule {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(regex, "regex");
        if (!ROLE.matcher(role).matches()) {
            throw new IllegalArgumentException("rule role '" + role + "' must be 1-64 of a-z 0-9 _ -");
        }
        switch (field) {
            case TYPE -> typesOf(role, regex);
            case SPEED -> speedTest(role, regex);
            default -> {
                try {
                    Pattern.compile(regex);
                } catch (PatternSyntaxException e) {
                    throw new IllegalArgumentException("rule '" + role + "': '" + regex
                            + "' is not a regular expression: " + e.getDescription(), e);
                }
            }
        }
    }

    /**
     * Whether an interface's type matches this rule's list; for {@link Field#TYPE} rules only.
     *
     * @param ifType the IANA ifType
     * @return whether it is one of the list
     * @throws IllegalStateException for a rule of another field
     */
    public boolean matchesType(int ifType) {
        if (field != Field.TYPE) {
            throw new IllegalStateException("rule '" + role + "' reads " + field + ", not TYPE");
        }
        for (int t : typesOf(role, regex)) {
            if (t == ifType) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether an interface's speed satisfies this rule's comparison; for {@link Field#SPEED} rules
     * only.
     *
     * @param bitsPerSecond the speed, 0 when unknown
     * @return whether the comparison holds
     * @throws IllegalStateException for a rule of another field
     */
    public boolean matchesSpeed(long bitsPerSecond) {
        if (field != Field.SPEED) {
            throw new IllegalStateException("rule '" + role + "' reads " + field + ", not SPEED");
        }
        return speedTest(role, regex).test(bitsPerSecond);
    }

    private static int[] typesOf(String role, String list) {
        String[] parts = list.split(",", -1);
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i].strip();
            Integer known = TYPES.get(p.toLowerCase(Locale.ROOT));
            if (known != null) {
                out[i] = known;
                continue;
            }
            try {
                out[i] = Integer.parseInt(p);
                if (out[i] >= 1) {
                    continue;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("rule '" + role + "': ifType '" + p + "' is neither a number from 1 to "
                    + "2147483647 nor a known name (" + String.join(", ", TYPE_NAMES) + ")");
        }
        return out;
    }

    private static LongPredicate speedTest(String role, String text) {
        Matcher m = SPEED.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("rule '" + role + "': speed '" + text + "' must be a comparison such as "
                    + "'>= 100M' (>=, >, <=, <, ==, != and a whole number with k, M, G or T)");
        }
        long unit = switch (m.group(3).toLowerCase(Locale.ROOT)) {
            case "k" -> 1_000L;
            case "m" -> 1_000_000L;
            case "g" -> 1_000_000_000L;
            case "t" -> 1_000_000_000_000L;
            default -> 1L;
        };
        long n = Long.parseLong(m.group(2));
        if (n > Long.MAX_VALUE / unit) {
            throw new IllegalArgumentException("rule '" + role + "': speed '" + text + "' is too large");
        }
        long v = n * unit;
        return switch (m.group(1)) {
            case ">=" -> s -> s >= v;
            case ">" -> s -> s > v;
            case "<=" -> s -> s <= v;
            case "<" -> s -> s < v;
            case "==" -> s -> s == v;
            default -> s -> s != v;
        };
    }

    private static Map<String, Integer> types() {
        int[] numbers = {1, 6, 7, 15, 22, 23, 24, 32, 37, 53, 71, 94, 97, 108, 131, 135, 136, 150, 161, 209, 243, 244, 250};
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < numbers.length; i++) {
            m.put(TYPE_NAMES.get(i).toLowerCase(Locale.ROOT), numbers[i]);
        }
        return Map.copyOf(m);
    }

    /**
     * Parses rules, one a line: {@code <role> <field> <pattern>}, where the field is
     * {@code alias}, {@code descr}, {@code name}, {@code type} or {@code speed} (or
     * {@code ifAlias}, {@code ifDescr}, {@code ifName}, {@code ifType}, {@code ifSpeed}; any case);
     * blank lines and lines starting with {@code #} are skipped. Every bad line is reported at
     * once, with its number.
     *
     * <pre>
     * uplink   alias (?i)isp[-_ ]?(?&lt;provider&gt;magti|silknet|caucasus)
     * trunk    alias (?i)trunk
     * lag      type  ieee8023adLag
     * backbone speed &gt;= 10G
     * </pre>
     *
     * @param source a name for messages, such as a file name
     * @param text the rules
     * @return the rules in order
     * @throws InvalidConfigurationException listing every bad line
     */
    public static List<InterfaceRule> parseAll(String source, String text) {
        List<InterfaceRule> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+", 3);
            if (parts.length < 3) {
                problems.add(source + ":" + (i + 1) + ": expected '<role> <alias|descr|name|type|speed> <pattern>'");
                continue;
            }
            Field f = field(parts[1]);
            if (f == null) {
                problems.add(source + ":" + (i + 1) + ": field '" + parts[1]
                        + "' must be alias, descr, name, type or speed");
                continue;
            }
            try {
                out.add(new InterfaceRule(parts[0], f, parts[2]));
            } catch (IllegalArgumentException e) {
                problems.add(source + ":" + (i + 1) + ": " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException("interface rules " + source, problems);
        }
        return List.copyOf(out);
    }

    private static Field field(String word) {
        String w = word.toLowerCase(Locale.ROOT);
        if (w.startsWith("if")) {
            w = w.substring(2);
        }
        return switch (w) {
            case "alias" -> Field.ALIAS;
            case "descr" -> Field.DESCR;
            case "name" -> Field.NAME;
            case "type" -> Field.TYPE;
            case "speed" -> Field.SPEED;
            default -> null;
        };
    }
}
