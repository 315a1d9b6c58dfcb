package io.github.wardops.ward.snmp.poller;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.snmp.SnmpItem;
import io.github.wardops.ward.snmp.SnmpOid;
import io.github.wardops.ward.snmp.poller.internal.TemplateCatalog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A vendor template: which sysObjectID prefixes identify the vendor, and which items (CPU,
 * memory, temperature...) ward polls on its devices. Built-in templates ship as data files in
 * the jar ({@link #builtIn()}); users add or override them by vendor name in
 * {@link SnmpOptions.Builder#templates}. Immutable.
 *
 * <p>The file format, one directive a line ({@code #} starts a comment):
 * <pre>
 * vendor cisco
 * match  1.3.6.1.4.1.9
 * item   cpu_5min_pct 1.3.6.1.4.1.9.9.109.1.1.1.1.8.1 gauge percent 60s
 * </pre>
 * An item line is {@code item <name> <oid> <gauge|counter|text> <unit|-> <interval>}, the
 * interval as {@code 30s}, {@code 5m} or {@code 1h}.
 *
 * @param vendor the vendor name, 1-32 of {@code a-z 0-9 _ -}
 * @param enterprisePrefixes sysObjectID prefixes; the longest matching prefix over all templates wins
 * @param items the items to poll, names unique
 *
 * <p>Arguments must not be {@code null}; nothing it returns is {@code null}.
 */
public record VendorTemplate(String vendor, List<SnmpOid> enterprisePrefixes, List<SnmpItem> items) {
    private static final Pattern VENDOR = Pattern.compile("[a-z0-9_-]{1,32}");
    private static final Pattern INTERVAL = Pattern.compile("(\\d{1,6})([smh])");

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
        Set<String> names = new HashSet<>();
        for (SnmpItem i : items) {
            if (!names.add(i.name())) {
                throw new IllegalArgumentException("vendor '" + vendor + "' has two items named '" + i.name() + "'");
            }
        }
    }

    /**
     * The templates shipped in the jar: cisco, fortinet, juniper, hp-aruba, mikrotik, net-snmp (Linux), windows.
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
     * @throws InvalidConfigurationException listing every problem with its line number
     */
    public static VendorTemplate parse(String source, String text) {
        List<String> problems = new ArrayList<>();
        String vendor = null;
        List<SnmpOid> prefixes = new ArrayList<>();
        List<SnmpItem> items = new ArrayList<>();
        String[] lines = text.split("\\R", -1);
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
                        vendor = p[1];
                    }
                    case "match" -> {
                        if (p.length != 2) {
                            throw new IllegalArgumentException("expected 'match <oid-prefix>'");
                        }
                        prefixes.add(SnmpOid.parse(p[1]));
                    }
                    case "item" -> {
                        if (p.length != 6) {
                            throw new IllegalArgumentException("expected 'item <name> <oid> <gauge|counter|text> <unit|-> <interval>'");
                        }
                        SnmpItem.Kind kind;
                        try {
                            kind = SnmpItem.Kind.valueOf(p[3].toUpperCase(Locale.ROOT));
                        } catch (IllegalArgumentException e) {
                            throw new IllegalArgumentException("kind '" + p[3] + "' must be gauge, counter or text");
                        }
                        items.add(new SnmpItem(p[1], SnmpOid.parse(p[2]), kind, p[4].equals("-") ? "" : p[4],
                                parseInterval(p[5])));
                    }
                    default -> throw new IllegalArgumentException("unknown directive '" + p[0] + "'");
                }
            } catch (IllegalArgumentException e) {
                problems.add(at + e.getMessage());
            }
        }
        if (vendor == null) {
            problems.add(source + ": no 'vendor' line");
        }
        if (prefixes.isEmpty()) {
            problems.add(source + ": no 'match' line");
        }
        if (problems.isEmpty()) {
            try {
                return new VendorTemplate(vendor, prefixes, items);
            } catch (IllegalArgumentException e) {
                problems.add(source + ": " + e.getMessage());
            }
        }
        throw new InvalidConfigurationException("vendor template " + source, problems);
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
