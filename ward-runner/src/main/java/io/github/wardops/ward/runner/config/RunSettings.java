package io.github.wardops.ward.runner.config;

import io.github.wardops.ward.InvalidConfigurationException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The effective settings of {@code ward run}. Each setting has a key (the flag without its
 * dashes, such as {@code interval}), an environment variable ({@code WARD_INTERVAL}) and a
 * default. {@link #resolve} layers them: defaults, then the environment, then flags; and it
 * reports every invalid value at once, naming the key, where the value came from, and the value.
 * A configuration file (a later layer between the defaults and the environment) plugs into the
 * same table. Immutable.
 *
 * @param inventory the CSV inventory file, or {@code null} for the bundled fleet
 * @param interval the ICMP check interval of every device, 1 s to 1 day
 * @param http where the HTTP API listens
 * @param maxProbesInFlight the most probes running at once, 1-1,000,000
 * @param icmpPacketsPerSecond the ICMP send pacing, 1-1,000,000 echoes per second
 * @param inventoryPoll how often the inventory file is checked for changes, 100 ms to 1 hour
 */
public record RunSettings(Path inventory, Duration interval, HttpAddress http, int maxProbesInFlight,
                          int icmpPacketsPerSecond, Duration inventoryPoll) {

    /**
     * One setting: its key, environment variable, default and description.
     *
     * @param key the key, also the long flag without {@code --}
     * @param env the environment variable
     * @param defaultValue the default, as text; {@code null} for none
     * @param description what it sets
     */
    public record Key(String key, String env, String defaultValue, String description) {
    }

    /** Every setting, in documentation order. */
    public static final List<Key> KEYS = List.of(
            key("inventory", null, "the CSV inventory (id,name,address required; other columns become labels); "
                    + "the bundled 875-device fleet when unset"),
            key("interval", "30s", "the ICMP check interval of every device"),
            key("http", "127.0.0.1:9090", "where the HTTP API listens: HOST:PORT, [V6]:PORT (port 0 = any free port) or off"),
            key("max-probes-in-flight", "4096", "the most probes running at once"),
            key("icmp-pps", "10000", "the most ICMP echoes sent per second"),
            key("inventory-poll", "2s", "how often the inventory file is checked for changes"));

    private static Key key(String key, String def, String description) {
        return new Key(key, "WARD_" + key.toUpperCase(Locale.ROOT).replace('-', '_'), def, description);
    }

    /**
     * Resolves the settings from the environment and the flags.
     *
     * @param flags values given on the command line, by key; {@code null} values are ignored
     * @param env the process environment (only {@code WARD_*} variables are read)
     * @return the settings
     * @throws InvalidConfigurationException listing every invalid value
     */
    public static RunSettings resolve(Map<String, String> flags, Map<String, String> env) {
        Map<String, String[]> raw = new LinkedHashMap<>(); // key -> {value, origin}
        for (Key k : KEYS) {
            if (k.defaultValue() != null) {
                raw.put(k.key(), new String[] {k.defaultValue(), "default"});
            }
            String e = env.get(k.env());
            if (e != null && !e.isBlank()) {
                raw.put(k.key(), new String[] {e, k.env()});
            }
            String f = flags.get(k.key());
            if (f != null) {
                raw.put(k.key(), new String[] {f, "--" + k.key()});
            }
        }
        for (String k : flags.keySet()) {
            if (KEYS.stream().noneMatch(x -> x.key().equals(k))) {
                throw new IllegalArgumentException("unknown setting " + k);
            }
        }
        List<String> problems = new ArrayList<>();
        Path inventory = get(raw, "inventory", problems, s -> {
            if (s.isBlank()) {
                throw new IllegalArgumentException("must not be empty");
            }
            return Path.of(s);
        });
        Duration interval = get(raw, "interval", problems, s -> range(Durations.parse(s), Duration.ofSeconds(1), Duration.ofDays(1)));
        HttpAddress http = get(raw, "http", problems, HttpAddress::parse);
        Integer inFlight = get(raw, "max-probes-in-flight", problems, s -> intRange(s, 1, 1_000_000));
        Integer pps = get(raw, "icmp-pps", problems, s -> intRange(s, 1, 1_000_000));
        Duration poll = get(raw, "inventory-poll", problems,
                s -> range(Durations.parse(s), Duration.ofMillis(100), Duration.ofHours(1)));
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException("ward run", problems);
        }
        return new RunSettings(inventory, interval, http, inFlight, pps, poll);
    }

    /**
     * The inventory file, if one is set.
     *
     * @return the file; empty means the bundled fleet
     */
    public Optional<Path> inventoryFile() {
        return Optional.ofNullable(inventory);
    }

    private static <T> T get(Map<String, String[]> raw, String key, List<String> problems, Function<String, T> parse) {
        String[] v = raw.get(key);
        if (v == null) {
            return null;
        }
        try {
            return parse.apply(v[0].strip());
        } catch (IllegalArgumentException e) {
            problems.add(key + " = '" + v[0] + "' (from " + v[1] + "): " + e.getMessage());
            return null;
        }
    }

    private static Duration range(Duration d, Duration min, Duration max) {
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new IllegalArgumentException("must be " + Durations.format(min) + " to " + Durations.format(max));
        }
        return d;
    }

    static int intRange(String s, int min, int max) {
        long v;
        try {
            v = Long.parseLong(s.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a whole number");
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException("must be " + min + "-" + max);
        }
        return (int) v;
    }
}
