package io.github.wardops.ward.postgres;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the SQL of a Grafana panel or query variable into the SQL Grafana's PostgreSQL data source
 * sends to the database, in the order Grafana applies its three steps:
 *
 * <ol>
 *   <li><b>Template variables</b>, in the browser: {@code TemplateSrv.replace(rawSql, scopedVars,
 *   interpolateVariable)} with the regex {@code \$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)(?:\.([^:^\}]+))?(?::([^\}]+))?\}};
 *   an unknown name is left as it is. The SQL data sources' {@code interpolateVariable}
 *   (public/app/features/plugins/sql/datasource/SqlDatasource.ts) quotes each value as a string
 *   literal ({@code 'a','b'}, quotes doubled) when the variable is multi-value or has "All", and
 *   inserts a single value of a plain variable unquoted, its quotes doubled. "All" expands to every
 *   option, unless the variable has a custom {@code allValue}: that is inserted as it is, without
 *   formatting, and its own variables replaced ("skip formatting of custom all values" in
 *   TemplateSrv).</li>
 *   <li><b>Global SQL macros</b>, in the server: {@code sqleng.Interpolate} replaces
 *   {@code $__interval_ms} (milliseconds), {@code $__interval} ({@code gtime.FormatInterval}:
 *   {@code 1m}, {@code 2h}, {@code 1d}), {@code $__unixEpochFrom()} and {@code $__unixEpochTo()}
 *   (Unix seconds).</li>
 *   <li><b>PostgreSQL macros</b> (pkg/tsdb/grafana-postgresql-datasource/macros.go, documented
 *   under "Macros" in Grafana's PostgreSQL data source guide): every match of
 *   {@code \$([_a-zA-Z0-9]+)\(([^\)]*)\)}, arguments split on commas and trimmed:
 *   {@code $__time(c)} = {@code c AS "time"}; {@code $__timeEpoch(c)} = {@code extract(epoch from c) as "time"};
 *   {@code $__timeFilter(c)} = {@code c BETWEEN 'from' AND 'to'} (RFC 3339, UTC, nanoseconds without
 *   trailing zeros); {@code $__timeFrom()} / {@code $__timeTo()} = {@code 'from'} / {@code 'to'};
 *   {@code $__timeGroup(c, interval)} = {@code floor(extract(epoch from c)/S)*S} with S the
 *   interval in seconds (Go's {@code %v}: {@code 300}, {@code 0.5}), and with an alias
 *   {@code AS "time"} when directly followed by a comma (the pre-5.3 form), or always for
 *   {@code $__timeGroupAlias}; {@code $__unixEpochFilter(c)} = {@code c >= from AND c <= to}
 *   (seconds); {@code $__unixEpochNanoFilter}, {@code $__unixEpochNanoFrom()},
 *   {@code $__unixEpochNanoTo()} in nanoseconds; {@code $__unixEpochGroup(c, i)} =
 *   {@code floor((c)/S)*S}, {@code $__unixEpochGroupAlias} with {@code AS "time"}. Any other name
 *   is an error ("unknown macro"), as in Grafana. Without TimescaleDB ({@code time_bucket}).</li>
 * </ol>
 *
 * A fill mode (the third argument of the group macros) is accepted and ignored: Grafana applies it
 * to the result, not to the SQL.
 */
final class GrafanaSql {
    /** TemplateSrv's variable regex (public/app/features/variables/utils.ts, variableRegex). */
    private static final Pattern VARIABLE = Pattern.compile(
            "\\$(\\w+)|\\[\\[(\\w+?)(?::(\\w+))?\\]\\]|\\$\\{(\\w+)(?:\\.([^:^}]+))?(?::([^}]+))?\\}");
    /** The PostgreSQL macro engine's regex (macros.go, sExpr). */
    private static final Pattern MACRO = Pattern.compile("\\$([_a-zA-Z0-9]+)\\(([^)]*)\\)");
    private static final Pattern INTERVAL = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d|w|y)");

    /** A dashboard variable as the dashboard defines it, with its current value(s). */
    record Variable(String name, boolean multi, boolean includeAll, String allValue, boolean all, List<String> values) {
    }

    private GrafanaSql() {
    }

    /**
     * The SQL Grafana sends for this panel SQL.
     *
     * @param sql the panel's {@code rawSql}
     * @param vars the dashboard's variables by name, resolved
     * @param from the range's start
     * @param to the range's end
     * @param interval the panel's {@code $__interval}
     * @return the SQL for the database
     */
    static String expand(String sql, Map<String, Variable> vars, Instant from, Instant to, Duration interval) {
        String s = templateReplace(sql, vars, interval, true);
        // sqleng.Interpolate
        s = s.replace("$__interval_ms", Long.toString(interval.toMillis()));
        s = s.replace("$__interval", formatInterval(interval));
        s = s.replace("$__unixEpochFrom()", Long.toString(from.getEpochSecond()));
        s = s.replace("$__unixEpochTo()", Long.toString(to.getEpochSecond()));
        return macros(s, from, to);
    }

    /** Step 1: TemplateSrv.replace with the SQL data sources' interpolateVariable (or none: raw). */
    static String templateReplace(String sql, Map<String, Variable> vars, Duration interval, boolean sqlFormat) {
        Matcher m = VARIABLE.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(4);
            String format = m.group(3) != null ? m.group(3) : m.group(6);
            String replacement;
            if (name.equals("__interval")) {
                replacement = formatInterval(interval);
            } else if (name.equals("__interval_ms")) {
                replacement = Long.toString(interval.toMillis());
            } else if (!vars.containsKey(name)) {
                replacement = m.group(); // unknown: left as it is (macros, $__timeFilter, ...)
            } else {
                if (format != null || m.group(5) != null) {
                    throw new IllegalArgumentException("variable formats and field paths are not expanded here: " + m.group());
                }
                Variable v = vars.get(name);
                if (v.all() && v.allValue() != null) {
                    replacement = templateReplace(v.allValue(), vars, interval, false);
                } else if (!sqlFormat) {
                    if (v.values().size() != 1) {
                        throw new IllegalArgumentException("a multi-value variable inside a custom all value: " + name);
                    }
                    replacement = v.values().getFirst();
                } else if (v.multi() || v.includeAll()) {
                    List<String> quoted = new ArrayList<>();
                    for (String value : v.values()) {
                        quoted.add("'" + value.replace("'", "''") + "'");
                    }
                    replacement = String.join(",", quoted);
                } else {
                    replacement = v.values().getFirst().replace("'", "''");
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Step 3: the PostgreSQL data source's macro engine. */
    static String macros(String sql, Instant from, Instant to) {
        Matcher m = MACRO.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            // macros.go: "$__timeGroup" followed by ',' is used the pre-5.3 way and gets the alias
            if (name.equals("__timeGroup")) {
                int index = sql.indexOf(m.group());
                if (index >= 0) {
                    index += m.group().length();
                    if (sql.length() > index && sql.charAt(index) == ',') {
                        name = "__timeGroupAlias";
                    }
                }
            }
            String[] args = m.group(2).split(",", -1);
            for (int i = 0; i < args.length; i++) {
                args[i] = args[i].strip();
            }
            m.appendReplacement(out, Matcher.quoteReplacement(evaluate(name, args, from, to)));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String evaluate(String name, String[] args, Instant from, Instant to) {
        boolean noColumn = args.length == 0; // as in macros.go: "" splits into one empty argument
        return switch (name) {
            case "__time" -> requireColumn(name, noColumn, args[0] + " AS \"time\"");
            case "__timeEpoch" -> requireColumn(name, noColumn, "extract(epoch from " + args[0] + ") as \"time\"");
            case "__timeFilter" -> requireColumn(name, noColumn,
                    args[0] + " BETWEEN '" + rfc3339Nano(from) + "' AND '" + rfc3339Nano(to) + "'");
            case "__timeFrom" -> "'" + rfc3339Nano(from) + "'";
            case "__timeTo" -> "'" + rfc3339Nano(to) + "'";
            case "__timeGroup" -> {
                String s = goFloat(groupSeconds(name, args));
                yield "floor(extract(epoch from " + args[0] + ")/" + s + ")*" + s;
            }
            case "__timeGroupAlias" -> evaluate("__timeGroup", args, from, to) + " AS \"time\"";
            case "__unixEpochFilter" -> requireColumn(name, noColumn,
                    args[0] + " >= " + from.getEpochSecond() + " AND " + args[0] + " <= " + to.getEpochSecond());
            case "__unixEpochNanoFilter" -> requireColumn(name, noColumn,
                    args[0] + " >= " + nanos(from) + " AND " + args[0] + " <= " + nanos(to));
            case "__unixEpochNanoFrom" -> nanos(from).toString();
            case "__unixEpochNanoTo" -> nanos(to).toString();
            case "__unixEpochGroup" -> {
                String s = goFloat(groupSeconds(name, args));
                yield "floor((" + args[0] + ")/" + s + ")*" + s;
            }
            case "__unixEpochGroupAlias" -> evaluate("__unixEpochGroup", args, from, to) + " AS \"time\"";
            default -> throw new IllegalArgumentException("unknown macro \"" + name + "\"");
        };
    }

    private static String requireColumn(String name, boolean missing, String result) {
        if (missing) {
            throw new IllegalArgumentException("missing time column argument for macro " + name);
        }
        return result;
    }

    private static double groupSeconds(String name, String[] args) {
        if (args.length < 2) {
            throw new IllegalArgumentException("macro " + name + " needs time column and interval and optional fill value");
        }
        return parseInterval(args[1].replace("'", "")).toNanos() / 1e9;
    }

    /** gtime.ParseInterval for the units dashboards use. */
    static Duration parseInterval(String text) {
        Matcher m = INTERVAL.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("error parsing interval " + text);
        }
        BigDecimal n = new BigDecimal(m.group(1));
        long unitNanos = switch (m.group(2)) {
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            case "d" -> 86_400_000_000_000L;
            case "w" -> 7 * 86_400_000_000_000L;
            default -> 365 * 86_400_000_000_000L;
        };
        return Duration.ofNanos(n.multiply(BigDecimal.valueOf(unitNanos)).longValueExact());
    }

    /** gtime.FormatInterval: the largest whole unit (y, d, h, m, s, ms). */
    static String formatInterval(Duration d) {
        long ms = d.toMillis();
        long day = 86_400_000L;
        if (ms >= 365 * day) {
            return ms / (365 * day) + "y";
        }
        if (ms >= day) {
            return ms / day + "d";
        }
        if (ms >= 3_600_000L) {
            return ms / 3_600_000L + "h";
        }
        if (ms >= 60_000L) {
            return ms / 60_000L + "m";
        }
        if (ms >= 1_000L) {
            return ms / 1_000L + "s";
        }
        return ms >= 1 ? ms + "ms" : "1ms";
    }

    /** Go's {@code %v} of a float64 of ordinary size: integers without a decimal point, else the shortest form. */
    static String goFloat(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e21) {
            return Long.toString((long) v);
        }
        return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }

    /** Go's {@code time.RFC3339Nano} in UTC: fraction without trailing zeros, none when zero. */
    static String rfc3339Nano(Instant t) {
        String base = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").format(t.atOffset(ZoneOffset.UTC));
        if (t.getNano() == 0) {
            return base + "Z";
        }
        String frac = String.format("%09d", t.getNano()).replaceAll("0+$", "");
        return base + "." + frac + "Z";
    }

    private static BigDecimal nanos(Instant t) {
        return BigDecimal.valueOf(t.getEpochSecond()).multiply(BigDecimal.valueOf(1_000_000_000L)).add(BigDecimal.valueOf(t.getNano()));
    }
}
