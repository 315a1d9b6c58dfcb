package io.github.wardops.ward.inventory;

import io.github.wardops.ward.InvalidConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Reads an inventory in ward's CSV format, the format of the bundled fleet file:
 * {@code id,name,address} are required columns; {@code enabled} ({@code true}/{@code false}) and
 * {@code parent_id} are optional; every other column becomes a label (empty values are left out).
 *
 * <p>Reading is all-or-nothing: every bad row is reported, with its line number and the reason,
 * in one {@link InvalidConfigurationException}, and no device is returned unless the whole file
 * is valid. Fields may be quoted as in RFC 4180 (without line breaks inside quotes).
 *
 * <p>What a file may hold ({@link CsvOptions}): lines of at most 64 KiB, the header included,
 * checked while reading, so an over-long line is never held in memory whole; UTF-8 text only,
 * checked line by line; no control characters (U+0000-U+001F, TAB included, U+007F-U+009F) in
 * any field; no address ward never probes (multicast, broadcast, unspecified, and link-local
 * unless allowed, see {@link Addresses#requireProbeable}). Each is reported with its line number,
 * and the column for control characters. Stateless and thread-safe.
 *
 * <p>Arguments must not be {@code null}; nothing it returns is {@code null}.
 */
public final class CsvInventory {
    /** The most rows a file may have: a bound, so a wrong file cannot exhaust memory. */
    public static final int DEFAULT_MAX_ROWS = CsvOptions.DEFAULT_MAX_ROWS;
    private static final int MAX_PROBLEMS = 200;

    private CsvInventory() {
    }

    /**
     * Reads a CSV file with the default {@link CsvOptions}.
     *
     * @param file the file
     * @param checks the checks each device gets, chosen from the device (its labels, say)
     * @return the devices, in file order
     * @throws InvalidConfigurationException listing every bad row
     * @throws IOException when the file cannot be read
     */
    public static List<Device> read(Path file, Function<Device, List<Check>> checks) throws IOException {
        return read(file, checks, CsvOptions.defaults());
    }

    /**
     * Reads a CSV file.
     *
     * @param file the file
     * @param checks the checks each device gets, chosen from the device (its labels, say)
     * @param options the limits and the accepted addresses
     * @return the devices, in file order
     * @throws InvalidConfigurationException listing every bad row
     * @throws IOException when the file cannot be read
     */
    public static List<Device> read(Path file, Function<Device, List<Check>> checks, CsvOptions options)
            throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString(), checks, options);
        }
    }

    /**
     * Reads CSV bytes, which must be UTF-8 (a leading byte order mark is skipped).
     *
     * @param in the bytes; read to the end, not closed
     * @param source a name for messages, such as the file name
     * @param checks the checks each device gets
     * @param options the limits and the accepted addresses
     * @return the devices, in file order
     * @throws InvalidConfigurationException listing every bad row
     * @throws IOException when reading fails
     */
    public static List<Device> read(InputStream in, String source, Function<Device, List<Check>> checks,
                                    CsvOptions options) throws IOException {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(checks, "checks");
        Objects.requireNonNull(options, "options");
        return read(new CsvLines(in, options.maxLineBytes()), source, checks, options);
    }

    /**
     * Reads CSV text with the default options and another row limit. The line limit counts the
     * text's UTF-8 bytes, as for a file.
     *
     * @param reader the text; not closed
     * @param source a name for messages, such as the file name
     * @param checks the checks each device gets
     * @param maxRows the most data rows accepted
     * @return the devices, in file order
     * @throws InvalidConfigurationException listing every bad row
     * @throws IOException when reading fails
     */
    public static List<Device> read(Reader reader, String source, Function<Device, List<Check>> checks, int maxRows)
            throws IOException {
        return read(reader, source, checks, CsvOptions.defaults().withMaxRows(maxRows));
    }

    /**
     * Reads CSV text. The line limit counts the text's UTF-8 bytes, as for a file.
     *
     * @param reader the text; not closed
     * @param source a name for messages, such as the file name
     * @param checks the checks each device gets
     * @param options the limits and the accepted addresses
     * @return the devices, in file order
     * @throws InvalidConfigurationException listing every bad row
     * @throws IOException when reading fails
     */
    public static List<Device> read(Reader reader, String source, Function<Device, List<Check>> checks,
                                    CsvOptions options) throws IOException {
        Objects.requireNonNull(reader, "reader");
        return read(new CsvLines.Utf8Bytes(reader), source, checks, options);
    }

    private static List<Device> read(CsvLines in, String source, Function<Device, List<Check>> checks,
                                     CsvOptions options) throws IOException {
        List<String> problems = new ArrayList<>();
        CsvLines.Line first = in.next();
        if (first == null) {
            throw new InvalidConfigurationException(source, List.of("line 1: the file is empty; expected a header with id,name,address"));
        }
        if (first.problem() != null) {
            throw new InvalidConfigurationException(source, List.of("line 1 (the header): " + first.problem()));
        }
        String headerLine = first.text();
        if (!headerLine.isEmpty() && headerLine.charAt(0) == '\uFEFF') {
            headerLine = headerLine.substring(1);
        }
        List<String> header;
        try {
            header = splitLine(headerLine);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException(source, List.of("line 1: " + e.getMessage()));
        }
        Map<String, Integer> col = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            if (Text.firstControl(header.get(i)) >= 0) {
                problems.add("line 1, column " + (i + 1) + ": the column name " + Text.describeControl(header.get(i)));
                continue;
            }
            String h = header.get(i).strip().toLowerCase(Locale.ROOT);
            if (h.isEmpty()) {
                problems.add("line 1: column " + (i + 1) + " has no name");
            } else if (col.putIfAbsent(h, i) != null) {
                problems.add("line 1: column '" + h + "' appears twice");
            }
            header.set(i, h);
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(source, problems);
        }
        for (String required : List.of("id", "name", "address")) {
            if (!col.containsKey(required)) {
                problems.add("line 1: required column '" + required + "' is missing (found: " + String.join(",", header) + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(source, problems);
        }
        int maxRows = options.maxRows();
        List<Device> devices = new ArrayList<>();
        Map<DeviceId, Integer> seen = new HashMap<>();
        // Label values repeat across a fleet (device_type, region...): one String each, not one a row.
        Map<String, String> labelValues = new HashMap<>();
        List<Object[]> parents = new ArrayList<>();
        CsvLines.Line next;
        int rows = 0;
        while ((next = in.next()) != null) {
            if (problems.size() >= MAX_PROBLEMS) {
                problems.add("... stopped after " + MAX_PROBLEMS + " problems");
                break;
            }
            int lineNo = next.number();
            String line = next.text();
            if (line != null && line.isBlank() && Text.firstControl(line.replace('\t', ' ').replace('\r', ' ')) < 0) {
                continue;
            }
            if (++rows > maxRows) {
                problems.add("line " + lineNo + ": more than " + maxRows + " rows; split the file or raise the limit");
                break;
            }
            if (next.problem() != null) {
                problems.add("line " + lineNo + ": " + next.problem());
                continue;
            }
            List<String> f;
            try {
                f = splitLine(line);
            } catch (IllegalArgumentException e) {
                problems.add("line " + lineNo + ": " + e.getMessage());
                continue;
            }
            boolean controls = false;
            for (int i = 0; i < f.size(); i++) {
                if (Text.firstControl(f.get(i)) >= 0) {
                    problems.add("line " + lineNo + ", " + (i < header.size() ? "column '" + header.get(i) + "'"
                            : "column " + (i + 1)) + ": " + Text.describeControl(f.get(i)));
                    controls = true;
                }
            }
            if (controls) {
                continue;
            }
            if (f.size() != header.size()) {
                problems.add("line " + lineNo + ": has " + f.size() + " fields, the header has " + header.size());
                continue;
            }
            List<String> rowProblems = new ArrayList<>();
            DeviceId id = null;
            try {
                id = DeviceId.parse(f.get(col.get("id")));
            } catch (IllegalArgumentException e) {
                rowProblems.add("bad id: " + e.getMessage());
            }
            String name = f.get(col.get("name"));
            if (name.isBlank()) {
                rowProblems.add("missing name");
            }
            InetAddress address = null;
            try {
                address = Addresses.parse(f.get(col.get("address")));
                String refused = Addresses.refusal(address, options.allowLinkLocal());
                if (refused != null) {
                    rowProblems.add(refused);
                    address = null;
                }
            } catch (IllegalArgumentException e) {
                rowProblems.add("bad address: " + e.getMessage());
            }
            boolean enabled = true;
            Integer en = col.get("enabled");
            if (en != null) {
                String v = f.get(en).strip().toLowerCase(Locale.ROOT);
                switch (v) {
                    case "", "true", "yes", "1" -> enabled = true;
                    case "false", "no", "0" -> enabled = false;
                    default -> rowProblems.add("bad enabled value '" + f.get(en) + "' (expected true or false)");
                }
            }
            DeviceId parent = null;
            Integer pc = col.get("parent_id");
            if (pc != null && !f.get(pc).isBlank()) {
                try {
                    parent = DeviceId.parse(f.get(pc));
                } catch (IllegalArgumentException e) {
                    rowProblems.add("bad parent_id: " + e.getMessage());
                }
            }
            if (id != null) {
                Integer prev = seen.putIfAbsent(id, lineNo);
                if (prev != null) {
                    rowProblems.add("duplicate id " + id + " (first on line " + prev + ")");
                }
            }
            if (!rowProblems.isEmpty()) {
                for (String p : rowProblems) {
                    problems.add("line " + lineNo + ": " + p);
                }
                continue;
            }
            Map<String, String> labels = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                String h = header.get(i);
                if (h.equals("id") || h.equals("name") || h.equals("address") || h.equals("enabled") || h.equals("parent_id")) {
                    continue;
                }
                String v = f.get(i);
                if (!v.isEmpty()) {
                    labels.put(h, shared(labelValues, v));
                }
            }
            Device d;
            try {
                d = new Device(id, name, address, labels, parent, enabled, List.of());
                d = d.withChecks(checks.apply(d));
            } catch (IllegalArgumentException e) {
                problems.add("line " + lineNo + ": " + e.getMessage());
                continue;
            }
            devices.add(d);
            if (parent != null) {
                parents.add(new Object[] {lineNo, parent});
            }
        }
        for (Object[] p : parents) {
            if (!seen.containsKey((DeviceId) p[1])) {
                problems.add("line " + p[0] + ": parent_id " + p[1] + " is not a device in this file");
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(source, problems);
        }
        return List.copyOf(devices);
    }

    /** Splits one CSV line (RFC 4180 quoting, no embedded newlines). */
    static List<String> splitLine(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cur.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cur.append(c);
                }
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
                wasQuoted = false;
            } else if (c == '"') {
                if (cur.length() > 0 || wasQuoted) {
                    throw new IllegalArgumentException("a quote in the middle of field " + (out.size() + 1));
                }
                quoted = true;
                wasQuoted = true;
            } else if (c == '\r' && i == line.length() - 1) {
                // tolerate CRLF
            } else {
                if (wasQuoted) {
                    throw new IllegalArgumentException("text after the closing quote of field " + (out.size() + 1));
                }
                cur.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("an unterminated quote in field " + (out.size() + 1));
        }
        out.add(cur.toString());
        return out;
    }

    /** The most distinct label values shared within one read; later ones are kept as read. */
    private static final int MAX_SHARED_VALUES = 65_536;

    private static String shared(Map<String, String> seen, String v) {
        String s = seen.get(v);
        if (s != null) {
            return s;
        }
        if (seen.size() < MAX_SHARED_VALUES) {
            seen.put(v, v);
        }
        return v;
    }
}
