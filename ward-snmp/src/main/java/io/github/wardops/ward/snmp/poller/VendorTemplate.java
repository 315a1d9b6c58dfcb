package io.github.wardops.ward.snmp.poller;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.snmp.SnmpItem;
import io.github.wardops.ward.snmp.SnmpOid;
import io.github.wardops.ward.snmp.poller.internal.TemplateCatalog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A template: which devices it applies to (sysObjectID prefixes, device labels or both), and which
 * scalar items (CPU, memory, temperature...) and tables (a row per processor, storage, memory
 * pool...) ward polls on them. Built-in templates ship as data files in the jar
 * ({@link #builtIn()}); users add or override them by name in {@link SnmpOptions.Builder#templates}.
 * Immutable.
 *
 * <p>The file format, one directive a line ({@code #} starts a comment):
 * <pre>
 * vendor cisco                                  # the template's name
 * match  1.3.6.1.4.1.9                          # a sysObjectID prefix (repeatable)
 * select device_type=Router                     # a device label the device must have (repeatable)
 * item   cpu_5min_pct 1.3.6.1.4.1.9.9.109.1.1.1.1.8.1 gauge percent 60s
 * item   temp_c 1.3.6.1.4.1.9.9.13.1.3.1.3.1 gauge celsius 300s scale=0.1
 * table  mempool 1.3.6.1.4.1.9.9.48.1.1.1 300s  # a table: its name, its entry OID, its interval
 * label  mempool name 2                         # column 2 of each row becomes the label name
 * column mempool used_bytes 5 gauge bytes       # column 5 is polled as mempool_used_bytes
 * trap   ciscoConfigManEvent 1.3.6.1.4.1.9.9.43.2.0.1   # names a vendor trap (snmpTrapOID)
 * </pre>
 * An item line is {@code item <name> <oid> <gauge|counter|text> <unit|-> <interval> [scale=<number>]},
 * the interval as {@code 30s}, {@code 5m} or {@code 1h}. A table line is
 * {@code table <name> <entry-oid> <interval>}; its {@code label <table> <label> <column>} and
 * {@code column <table> <name> <column> <gauge|counter> <unit|-> [scale=<number>]} lines follow it.
 * A column number may be written {@code 5} or {@code .5}. Each row of a table gives one value per
 * column, named {@code <table>_<column>.<row index>} with the labels {@code table}, {@code column},
 * {@code index} and the label columns.
 *
 * <p>Which devices: a template with {@code match} lines is a vendor template; a device's vendor is
 * the one whose prefix is the longest prefix of its sysObjectID, among the vendor templates whose
 * {@code select} lines (if any) the device's labels satisfy. A template without {@code match}
 * lines must have {@code select} lines and applies, besides the vendor template, to every device
 * whose labels include every selected pair.
 *
 * @param vendor the template's name, 1-32 of {@code a-z 0-9 _ -}
 * @param enterprisePrefixes sysObjectID prefixes; the longest matching prefix over all templates wins; may be
 *     empty when {@code selector} is not
 * @param items the scalar items to poll, names unique
 * @param selector device labels a device must all have (key to value); may be empty when
 *     {@code enterprisePrefixes} is not
 * @param tables the tables to poll, names unique, at most {@value #MAX_TABLES}
 * @param traps names of vendor notifications by their {@code snmpTrapOID}, at most {@value #MAX_TRAPS};
 *     each name 1-64 of {@code A-Z a-z 0-9 _} starting with a letter
 *
 * <p>Arguments must not be {@code null}; nothing it returns is {@code null}.
 */
public record VendorTemplate(String vendor, List<SnmpOid> enterprisePrefixes, List<SnmpItem> items,
                             Map<String, String> selector, List<Table> tables, Map<SnmpOid, String> traps) {
    /** The most tables in one template. */
    public static final int MAX_TABLES = 32;
    /** The most value columns in one table. */
    public static final int MAX_COLUMNS = 32;
    /** The most label columns in one table. */
    public static final int MAX_LABELS = 8;
    /** The most trap names in one template. */
    public static final int MAX_TRAPS = 256;
    /** The most lines in one template file. */
    public static final int MAX_LINES = 10_000;

    private static final Pattern VENDOR = Pattern.compile("[a-z0-9_-]{1,32}");
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,31}");
    private static final Pattern LABEL_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,63}");
    private static final Pattern TRAP_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");
    private static final Pattern INTERVAL = Pattern.compile("(\\d{1,6})([smh])");
    private static final Set<String> RESERVED_LABELS = Set.of("table", "column", "index");

    /**
     * One value column of a table.
     *
     * @param name the column's name, 1-32 of {@code a-z 0-9 _} starting with a letter
     * @param column the column's number under the table's entry OID (1 or more)
     * @param kind {@code GAUGE} or {@code COUNTER}
     * @param unit a unit for display; may be empty
     * @param scale the factor a value is multiplied by; finite, not 0
     */
    public record Column(String name, int column, SnmpItem.Kind kind, String unit, double scale) {
        /**
         * Checks the components; each is described on the record.
         *
         * @throws IllegalArgumentException if a component is out of its range; the message names it
         */
        public Column {
            Objects.requireNonNull(name, "column name");
            Objects.requireNonNull(kind, "column kind");
            Objects.requireNonNull(unit, "column unit");
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("column name '" + name + "' must be 1-32 of a-z 0-9 _, starting with a letter");
            }
            if (column < 1) {
                throw new IllegalArgumentException("column '" + name + "': number " + column + " must be 1 or more");
            }
            if (kind == SnmpItem.Kind.TEXT) {
                throw new IllegalArgumentException("column '" + name + "': kind must be gauge or counter (a text column "
                        + "is a label)");
            }
            if (!Double.isFinite(scale) || scale == 0) {
                throw new IllegalArgumentException("column '" + name + "': scale " + scale + " must be a finite number other than 0");
            }
        }
    }

    /**
     * One table: the columns of its entry OID polled with a walk, each row's index and label
     * columns turned into labels.
     *
     * @param name the table's name, 1-32 of {@code a-z 0-9 _} starting with a letter
     * @param entry the table's entry OID (such as hrStorageEntry 1.3.6.1.2.1.25.2.3.1)
     * @param interval how often it is polled; at least 1 s
     * @param labels label name to column number, at most {@value #MAX_LABELS}; not {@code table}, {@code column}
     *     or {@code index}
     * @param columns the value columns, 1 to {@value #MAX_COLUMNS}, names unique
     */
    public record Table(String name, SnmpOid entry, Duration interval, Map<String, Integer> labels, List<Column> columns) {
        /**
         * Checks the components (each is described on the record) and copies its collections.
         *
         * @throws IllegalArgumentException if a component is out of its range; the message names it
         */
        public Table {
            Objects.requireNonNull(name, "table name");
            Objects.requireNonNull(entry, "table entry");
            Objects.requireNonNull(interval, "table interval");
            labels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(labels));
            columns = List.copyOf(columns);
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("table name '" + name + "' must be 1-32 of a-z 0-9 _, starting with a letter");
            }
            if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("table '" + name + "': interval " + interval + " is below 1 s");
            }
            if (columns.isEmpty()) {
                throw new IllegalArgumentException("table '" + name + "' has no column line");
            }
            if (columns.size() > MAX_COLUMNS) {
                throw new IllegalArgumentException("table '" + name + "' has " + columns.size() + " columns, more than "
                        + MAX_COLUMNS);
            }
            if (labels.size() > MAX_LABELS) {
                throw new IllegalArgumentException("table '" + name + "' has " + labels.size() + " labels, more than " + MAX_LABELS);
            }
            for (var e : labels.entrySet()) {
                if (!NAME.matcher(e.getKey()).matches() || RESERVED_LABELS.contains(e.getKey())) {
                    throw new IllegalArgumentException("table '" + name + "': label '" + e.getKey() + "' must be 1-32 of "
                            + "a-z 0-9 _, starting with a letter, and not table, column or index");
                }
                if (e.getValue() == null || e.getValue() < 1) {
                    throw new IllegalArgumentException("table '" + name + "': label '" + e.getKey() + "' needs a column "
                            + "number of 1 or more");
                }
            }
            Set<String> names = new HashSet<>();
            for (Column c : columns) {
                if (!names.add(c.name())) {
                    throw new IllegalArgumentException("table '" + name + "' has two columns named '" + c.name() + "'");
                }
            }
        }

        /**
         * The OID of a value column.
         *
         * @param c the column
         * @return {@code entry.column}
         */
        public SnmpOid columnOid(Column c) {
            return entry.append(c.column());
        }
    }

    /**
     * Checks the components (each is described on the record) and copies its collections, so the
     * caller's later changes do not reach it.
     *
     * @throws NullPointerException if {@code vendor} is null
     * @throws IllegalArgumentException if a component is out of its range; the message names it
     */
    public VendorTemplate {
        Objects.requireNonNull(vendor, "vendor");
        if (!VENDOR.matcher(vendor).matches()) {
            throw new IllegalArgumentException("vendor '" + vendor + "' must be 1-32 of a-z 0-9 _ -");
        }
        enterprisePrefixes = List.copyOf(enterprisePrefixes);
        items = List.copyOf(items);
        selector = Map.copyOf(selector);
        tables = List.copyOf(tables);
        traps = Map.copyOf(traps);
        if (traps.size() > MAX_TRAPS) {
            throw new IllegalArgumentException("vendor '" + vendor + "' names " + traps.size() + " traps, more than " + MAX_TRAPS);
        }
        for (String t : traps.values()) {
            if (!TRAP_NAME.matcher(t).matches()) {
                throw new IllegalArgumentException("trap name '" + t + "' must be 1-64 of A-Z a-z 0-9 _, starting with a letter");
            }
        }
        if (enterprisePrefixes.isEmpty() && selector.isEmpty()) {
            throw new IllegalArgumentException("vendor '" + vendor + "' has neither a 'match' nor a 'select' line: it would "
                    + "apply to no device");
        }
        if (tables.size() > MAX_TABLES) {
            throw new IllegalArgumentException("vendor '" + vendor + "' has " + tables.size() + " tables, more than " + MAX_TABLES);
        }
        Set<String> names = new HashSet<>();
        for (SnmpItem i : items) {
            if (!names.add(i.name())) {
                throw new IllegalArgumentException("vendor '" + vendor + "' has two items named '" + i.name() + "'");
            }
        }
        Set<String> tableNames = new HashSet<>();
        for (Table t : tables) {
            if (!tableNames.add(t.name())) {
                throw new IllegalArgumentException("vendor '" + vendor + "' has two tables named '" + t.name() + "'");
            }
        }
    }

    /**
     * A template chosen by sysObjectID only, without tables.
     *
     * @param vendor the vendor name
     * @param enterprisePrefixes sysObjectID prefixes, at least one
     * @param items the items
     * @throws IllegalArgumentException if a component is out of its range; the message names it
     */
    public VendorTemplate(String vendor, List<SnmpOid> enterprisePrefixes, List<SnmpItem> items) {
        this(vendor, enterprisePrefixes, items, Map.of(), List.of(), Map.of());
    }

    /**
     * A template without trap names.
     *
     * @param vendor the vendor name
     * @param enterprisePrefixes sysObjectID prefixes
     * @param items the items
     * @param selector device labels a device must all have
     * @param tables the tables
     * @throws IllegalArgumentException if a component is out of its range; the message names it
     */
    public VendorTemplate(String vendor, List<SnmpOid> enterprisePrefixes, List<SnmpItem> items,
                          Map<String, String> selector, List<Table> tables) {
        this(vendor, enterprisePrefixes, items, selector, tables, Map.of());
    }

    /**
     * Whether a device's labels satisfy the {@link #selector()}; {@code true} when it is empty.
     *
     * @param labels the device's labels
     * @return whether every selected label is present with the same value
     */
    public boolean selects(Map<String, String> labels) {
        for (var e : selector.entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The templates shipped in the jar: cisco, fortinet, juniper, hp-aruba, mikrotik, hikvision,
     * net-snmp (Linux), windows.
     *
     * @return the templates; immutable
     */
    public static List<VendorTemplate> builtIn() {
        return TemplateCatalog.builtInTemplates();
    }

    /**
     * Parses one template file. Every bad line is reported at once.
     *
     * @param source a name for messages, such as the file name
     * @param text the file's text
     * @return the template
     * @throws InvalidConfigurationException listing every problem as {@code source:line: problem}
     */
    public static VendorTemplate parse(String source, String text) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(text, "text");
        List<String> problems = new ArrayList<>();
        String vendor = null;
        List<SnmpOid> prefixes = new ArrayList<>();
        Map<String, String> selector = new LinkedHashMap<>();
        List<SnmpItem> items = new ArrayList<>();
        record TableDraft(String name, SnmpOid entry, Duration interval, int line, Map<String, Integer> labels,
                          List<Column> columns) {
        }
        Map<String, TableDraft> tables = new LinkedHashMap<>();
        Map<SnmpOid, String> traps = new LinkedHashMap<>();
        String[] lines = text.split("\\R", -1);
        if (lines.length > MAX_LINES) {
            throw new InvalidConfigurationException("vendor template " + source,
                    List.of(source + ": " + lines.length + " lines, more than " + MAX_LINES));
        }
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            String at = source + ":" + (n + 1) + ": ";
            String[] p = line.split("\\s+");
            try {
                switch (p[0]) {
                    case "vendor" -> {
                        if (p.length != 2) {
                            throw new IllegalArgumentException("expected 'vendor <name>'");
                        }
                        if (vendor != null) {
                            throw new IllegalArgumentException("a second 'vendor' line");
                        }
                        if (!VENDOR.matcher(p[1]).matches()) {
                            throw new IllegalArgumentException("vendor '" + p[1] + "' must be 1-32 of a-z 0-9 _ -");
                        }
                        vendor = p[1];
                    }
                    case "match" -> {
                        if (p.length != 2) {
                            throw new IllegalArgumentException("expected 'match <oid-prefix>'");
                        }
                        prefixes.add(SnmpOid.parse(p[1]));
                    }
                    case "select" -> {
                        int eq = p.length == 2 ? p[1].indexOf('=') : -1;
                        if (eq <= 0 || eq == p[1].length() - 1) {
                            throw new IllegalArgumentException("expected 'select <label>=<value>'");
                        }
                        String key = p[1].substring(0, eq);
                        if (!LABEL_KEY.matcher(key).matches()) {
                            throw new IllegalArgumentException("label '" + key + "' must be 1-64 of A-Z a-z 0-9 _ . -");
                        }
                        if (selector.putIfAbsent(key, p[1].substring(eq + 1)) != null) {
                            throw new IllegalArgumentException("label '" + key + "' is selected twice");
                        }
                    }
                    case "item" -> {
                        if (p.length != 6 && p.length != 7) {
                            throw new IllegalArgumentException(
                                    "expected 'item <name> <oid> <gauge|counter|text> <unit|-> <interval> [scale=<number>]'");
                        }
                        SnmpItem.Kind kind = kind(p[3], true);
                        double scale = p.length == 7 ? scale(p[6]) : 1.0;
                        if (kind == SnmpItem.Kind.TEXT && scale != 1.0) {
                            throw new IllegalArgumentException("a text item has no scale");
                        }
                        items.add(new SnmpItem(p[1], SnmpOid.parse(p[2]), kind, unit(p[4]), parseInterval(p[5]), scale));
                    }
                    case "table" -> {
                        if (p.length != 4) {
                            throw new IllegalArgumentException("expected 'table <name> <entry-oid> <interval>'");
                        }
                        name(p[1], "table");
                        if (tables.containsKey(p[1])) {
                            throw new IllegalArgumentException("table '" + p[1] + "' is declared twice");
                        }
                        tables.put(p[1], new TableDraft(p[1], SnmpOid.parse(p[2]), parseInterval(p[3]), n + 1,
                                new LinkedHashMap<>(), new ArrayList<>()));
                    }
                    case "label" -> {
                        if (p.length != 4) {
                            throw new IllegalArgumentException("expected 'label <table> <label> <column>'");
                        }
                        TableDraft t = declared(tables, p[1]);
                        name(p[2], "label");
                        if (RESERVED_LABELS.contains(p[2])) {
                            throw new IllegalArgumentException("label '" + p[2] + "' is reserved (table, column and index "
                                    + "are set by ward)");
                        }
                        if (t.labels().size() >= MAX_LABELS) {
                            throw new IllegalArgumentException("table '" + p[1] + "' has more than " + MAX_LABELS + " labels");
                        }
                        if (t.labels().putIfAbsent(p[2], columnNumber(p[3])) != null) {
                            throw new IllegalArgumentException("table '" + p[1] + "' has label '" + p[2] + "' twice");
                        }
                    }
                    case "column" -> {
                        if (p.length != 6 && p.length != 7) {
                            throw new IllegalArgumentException(
                                    "expected 'column <table> <name> <column> <gauge|counter> <unit|-> [scale=<number>]'");
                        }
                        TableDraft t = declared(tables, p[1]);
                        if (t.columns().size() >= MAX_COLUMNS) {
                            throw new IllegalArgumentException("table '" + p[1] + "' has more than " + MAX_COLUMNS + " columns");
                        }
                        if (t.columns().stream().anyMatch(c -> c.name().equals(p[2]))) {
                            throw new IllegalArgumentException("table '" + p[1] + "' has column '" + p[2] + "' twice");
                        }
                        t.columns().add(new Column(p[2], columnNumber(p[3]), kind(p[4], false), unit(p[5]),
                                p.length == 7 ? scale(p[6]) : 1.0));
                    }
                    case "trap" -> {
                        if (p.length != 3) {
                            throw new IllegalArgumentException("expected 'trap <name> <oid>'");
                        }
                        if (!TRAP_NAME.matcher(p[1]).matches()) {
                            throw new IllegalArgumentException("trap name '" + p[1]
                                    + "' must be 1-64 of A-Z a-z 0-9 _, starting with a letter");
                        }
                        SnmpOid oid = SnmpOid.parse(p[2]);
                        if (traps.size() >= MAX_TRAPS) {
                            throw new IllegalArgumentException("more than " + MAX_TRAPS + " trap lines");
                        }
                        String before = traps.putIfAbsent(oid, p[1]);
                        if (before != null) {
                            throw new IllegalArgumentException("trap " + oid + " is already named '" + before + "'");
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown directive '" + p[0]
                            + "' (expected vendor, match, select, item, table, label, column or trap)");
                }
            } catch (IllegalArgumentException e) {
                problems.add(at + e.getMessage());
            }
        }
        if (vendor == null) {
            problems.add(source + ": no 'vendor' line");
        }
        if (prefixes.isEmpty() && selector.isEmpty()) {
            problems.add(source + ": no 'match' or 'select' line: the template would apply to no device");
        }
        if (tables.size() > MAX_TABLES) {
            problems.add(source + ": " + tables.size() + " tables, more than " + MAX_TABLES);
        }
        List<Table> built = new ArrayList<>();
        for (TableDraft d : tables.values()) {
            try {
                built.add(new Table(d.name(), d.entry(), d.interval(), d.labels(), d.columns()));
            } catch (IllegalArgumentException e) {
                problems.add(source + ":" + d.line() + ": " + e.getMessage());
            }
        }
        if (problems.isEmpty()) {
            try {
                return new VendorTemplate(vendor, prefixes, items, selector, built, traps);
            } catch (IllegalArgumentException e) {
                problems.add(source + ": " + e.getMessage());
            }
        }
        throw new InvalidConfigurationException("vendor template " + source, problems);
    }

    private static <T> T declared(Map<String, T> tables, String name) {
        T t = tables.get(name);
        if (t == null) {
            throw new IllegalArgumentException("table '" + name + "' is not declared by a 'table' line above");
        }
        return t;
    }

    private static void name(String s, String what) {
        if (!NAME.matcher(s).matches()) {
            throw new IllegalArgumentException(what + " name '" + s + "' must be 1-32 of a-z 0-9 _, starting with a letter");
        }
    }

    private static SnmpItem.Kind kind(String s, boolean textAllowed) {
        try {
            SnmpItem.Kind k = SnmpItem.Kind.valueOf(s.toUpperCase(Locale.ROOT));
            if (k != SnmpItem.Kind.TEXT || textAllowed) {
                return k;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new IllegalArgumentException("kind '" + s + "' must be gauge" + (textAllowed ? ", counter or text" : " or counter"));
    }

    private static String unit(String s) {
        if (s.length() > 32) {
            throw new IllegalArgumentException("unit '" + s + "' is longer than 32 characters");
        }
        return s.equals("-") ? "" : s;
    }

    private static int columnNumber(String s) {
        String d = s.startsWith(".") ? s.substring(1) : s;
        if (!d.matches("[0-9]{1,9}") || Integer.parseInt(d) < 1) {
            throw new IllegalArgumentException("column '" + s + "' must be a number of 1 or more, such as 3 or .3");
        }
        return Integer.parseInt(d);
    }

    private static double scale(String s) {
        if (!s.startsWith("scale=")) {
            throw new IllegalArgumentException("'" + s + "' must be scale=<number>, such as scale=0.1");
        }
        String v = s.substring("scale=".length());
        double d;
        try {
            if (!v.matches("[-+]?[0-9.eE+-]{1,32}")) {
                throw new NumberFormatException();
            }
            d = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("scale '" + v + "' is not a number");
        }
        if (!Double.isFinite(d) || d == 0) {
            throw new IllegalArgumentException("scale " + v + " must be a finite number other than 0");
        }
        return d;
    }

    private static Duration parseInterval(String s) {
        var m = INTERVAL.matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException("interval '" + s + "' must look like 30s, 5m or 1h");
        }
        long v = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(v);
            case "m" -> Duration.ofMinutes(v);
            default -> Duration.ofHours(v);
        };
    }
}
