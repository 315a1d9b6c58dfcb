package io.github.wardops.ward.runner.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the runner's YAML configuration file into flat {@code key -> text} values. Keys are the
 * settings' keys ({@code interval: 30s}); nested maps are joined with {@code -}, so
 * <pre>
 * webhook:
 *   url: https://hooks.example/ward
 *   timeout: 5s
 * </pre>
 * sets {@code webhook-url} and {@code webhook-timeout}. Secret settings cannot be given here,
 * only the file holding them ({@code webhook-secret-file: /run/secrets/hook}). Every problem
 * (unknown key, a list where a value belongs, YAML syntax) is collected, never thrown.
 * Stateless and thread-safe.
 */
public final class ConfigFile {
    /** The largest configuration file read. */
    public static final long MAX_BYTES = 1024 * 1024;
    private static final YAMLMapper YAML = new YAMLMapper();

    private ConfigFile() {
    }

    /**
     * Reads a file.
     *
     * @param file the file; never {@code null}
     * @param problems where problems are added, each naming the file and the key
     * @return the values by key; empty when the file could not be read
     */
    public static Map<String, String> read(Path file, List<String> problems) {
        String text;
        try {
            if (Files.size(file) > MAX_BYTES) {
                problems.add("config " + file + ": larger than " + MAX_BYTES + " bytes");
                return Map.of();
            }
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            problems.add("config " + file + ": no such file");
            return Map.of();
        } catch (IOException e) {
            problems.add("config " + file + ": cannot be read (" + e.getClass().getSimpleName() + ")");
            return Map.of();
        }
        return parse(text, file.toString(), problems);
    }

    /**
     * Parses YAML text.
     *
     * @param text the document
     * @param source the file name, for messages
     * @param problems where problems are added
     * @return the values by key
     */
    public static Map<String, String> parse(String text, String source, List<String> problems) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            problems.add("config " + source + ": not valid YAML" + (l == null ? "" : " at line " + l.getLineNr() + ", column "
                    + l.getColumnNr()) + ": " + firstLine(e.getOriginalMessage()));
            return Map.of();
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return Map.of(); // an empty file sets nothing
        }
        if (!root.isObject()) {
            problems.add("config " + source + ": expected a map of settings (key: value), found " + kind(root));
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        flatten("", root, source, out, problems);
        return out;
    }

    private static void flatten(String prefix, JsonNode node, String source, Map<String, String> out, List<String> problems) {
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = prefix.isEmpty() ? e.getKey() : prefix + "-" + e.getKey();
            JsonNode v = e.getValue();
            if (v.isObject()) {
                flatten(key, v, source, out, problems);
                continue;
            }
            Setting<?> known = Settings.find(key).orElse(null);
            boolean secretFile = key.endsWith("-file")
                    && Settings.find(key.substring(0, key.length() - 5)).map(Setting::secret).orElse(false);
            if (known == null && !secretFile) {
                String near = io.github.wardops.ward.internal.support.Suggest.didYouMean(key, knownKeys());
                problems.add("config " + source + ": unknown key '" + key + "'" + (near.isEmpty()
                        ? " (every key is in docs/configuration.md; `ward config --print` shows them with their values)"
                        : near));
                continue;
            }
            if (known != null && known.secret()) {
                out.put(key, ""); // reported by RunSettings without its value
                continue;
            }
            if (v.isNull()) {
                continue; // "key:" with no value leaves the default
            }
            if (!v.isValueNode()) {
                problems.add("config " + source + ": " + key + " must be a single value, found " + kind(v));
                continue;
            }
            out.put(key, v.asText());
        }
    }

    private static List<String> knownKeys() {
        List<String> keys = new ArrayList<>();
        for (Setting<?> k : Settings.ALL) {
            keys.add(k.yamlKey());
        }
        return keys;
    }

    private static String kind(JsonNode n) {
        return n.isArray() ? "a list" : n.isObject() ? "a map" : "a " + n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "syntax error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
