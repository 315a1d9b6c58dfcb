package io.github.wardops.ward.postgres;

import io.github.wardops.ward.InvalidConfigurationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-256 keys that encrypt SNMP secrets at rest, by key id. Keys come from configuration (an
 * environment variable or a file), never from the database. New secrets are encrypted with the
 * current key; older rows keep naming the key that encrypted them, so a key can be rotated by
 * adding a new current key and keeping the old one until {@link SnmpCredentialStore#reencryptAll()}
 * has run. Immutable and thread-safe; {@link #toString()} prints key ids only.
 */
public final class SecretKeys {
    /**
     * The environment variable holding the key: one base64 key of 32 bytes, or {@code id=base64key}
     * lines (the first current). The runner's {@code encryption-key} secret reads the same
     * variable, so an embedding application and the runner share one configuration.
     */
    public static final String ENV_KEY = "WARD_ENCRYPTION_KEY";
    /** The environment variable holding the path of a file with the key (the same formats). */
    public static final String ENV_KEY_FILE = "WARD_ENCRYPTION_KEY_FILE";
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final String currentId;
    private final Map<String, SecretKey> keys;

    private SecretKeys(String currentId, Map<String, SecretKey> keys) {
        this.currentId = currentId;
        this.keys = Collections.unmodifiableMap(keys);
    }

    /**
     * Keys given directly.
     *
     * @param currentId the id of the key new secrets use; must be among {@code keys}
     * @param keys key id to 32 raw key bytes (copied)
     * @return the keys
     * @throws InvalidConfigurationException listing every bad id or key length (never a key)
     */
    public static SecretKeys of(String currentId, Map<String, byte[]> keys) {
        Objects.requireNonNull(keys, "keys");
        List<String> p = new ArrayList<>();
        Map<String, SecretKey> m = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : keys.entrySet()) {
            if (e.getKey() == null || !ID.matcher(e.getKey()).matches()) {
                p.add("key id '" + e.getKey() + "': must be 1-64 letters, digits or . _ -");
            } else if (e.getValue() == null || e.getValue().length != 32) {
                p.add("key '" + e.getKey() + "': must be 32 bytes (AES-256), got "
                        + (e.getValue() == null ? "none" : e.getValue().length + " bytes"));
            } else {
                m.put(e.getKey(), new SecretKeySpec(e.getValue().clone(), "AES"));
            }
        }
        if (currentId == null || !keys.containsKey(currentId)) {
            p.add("current key id '" + currentId + "': not among the keys " + keys.keySet());
        }
        if (!p.isEmpty()) {
            throw new InvalidConfigurationException("SecretKeys", p);
        }
        return new SecretKeys(currentId, m);
    }

    /**
     * Reads a key file: one {@code id=base64key} per line ({@code #} comments and blank lines
     * allowed); the first key is the current one.
     *
     * @param file the file (keep it readable by ward only)
     * @return the keys
     * @throws InvalidConfigurationException naming every bad line (never a key)
     * @throws IOException when the file cannot be read
     */
    public static SecretKeys fromFile(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /**
     * Parses keys from text: either one base64 key alone (its id is {@code default}), or the
     * key-file format, one {@code id=base64key} per line ({@code #} comments and blank lines
     * allowed), the first key being the current one. Generate a key with
     * {@code head -c 32 /dev/urandom | base64}.
     *
     * @param text the text, such as the value of an environment variable or a file's content
     * @param source a name for messages, such as the variable or the file
     * @return the keys
     * @throws InvalidConfigurationException naming every bad line (never a key)
     */
    public static SecretKeys parse(String text, String source) {
        Objects.requireNonNull(text, "text");
        String[] lines = text.split("\\R");
        List<String> content = new ArrayList<>();
        for (String line : lines) {
            String l = line.strip();
            if (!l.isEmpty() && !l.startsWith("#")) {
                content.add(l);
            }
        }
        if (content.size() == 1) {
            // One bare base64 key: it decodes to exactly 32 bytes, which an id=key line never does.
            try {
                byte[] raw = Base64.getDecoder().decode(content.get(0));
                if (raw.length == 32) {
                    return of("default", Map.of("default", raw));
                }
            } catch (IllegalArgumentException e) {
                // not a bare key: read it as id=key below
            }
        }
        Map<String, byte[]> keys = new LinkedHashMap<>();
        List<String> p = new ArrayList<>();
        String first = null;
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            int eq = l.indexOf('=');
            String id = eq <= 0 ? "" : l.substring(0, eq).strip();
            String value = eq <= 0 ? "" : l.substring(eq + 1).strip();
            // A bare key's '=' padding also splits it: "id" would then be key material. Such a line has
            // nothing (or only more padding) after its first '='.
            if (eq <= 0 || !ID.matcher(id).matches() || value.isEmpty() || value.startsWith("=")) {
                // Never quote the text: a key that is not 32 bytes, or not standard base64, lands here whole.
                p.add(source + " line " + (i + 1) + ": not a key: expected one standard base64 key of 32 bytes alone "
                        + "(head -c 32 /dev/urandom | base64), or id=base64key lines with ids of letters, digits or . _ -");
                continue;
            }
            try {
                keys.put(id, Base64.getDecoder().decode(value));
                first = first == null ? id : first;
            } catch (IllegalArgumentException e) {
                p.add(source + " line " + (i + 1) + ": key '" + id + "' is not valid base64");
            }
        }
        if (keys.isEmpty() && p.isEmpty()) {
            p.add(source + ": no key");
        }
        if (!p.isEmpty()) {
            throw new InvalidConfigurationException("SecretKeys", p);
        }
        return of(first, keys);
    }

    /**
     * Reads the key from the environment: the file named by {@value #ENV_KEY_FILE}, else
     * {@value #ENV_KEY}; both in the formats of {@link #parse}.
     *
     * @return the keys
     * @throws InvalidConfigurationException when neither is set or the key is bad (never echoing it)
     * @throws IOException when the key file cannot be read
     */
    public static SecretKeys fromEnvironment() throws IOException {
        return fromEnvironment(System.getenv());
    }

    static SecretKeys fromEnvironment(Map<String, String> env) throws IOException {
        String file = env.get(ENV_KEY_FILE);
        if (file != null && !file.isBlank()) {
            return fromFile(Path.of(file.strip()));
        }
        String key = env.get(ENV_KEY);
        if (key == null || key.isBlank()) {
            throw new InvalidConfigurationException("SecretKeys", List.of("neither " + ENV_KEY_FILE + " nor " + ENV_KEY
                    + " is set: SNMP secrets need a key from configuration"));
        }
        return parse(key, ENV_KEY);
    }

    /**

     * Returns the id of the key new secrets are encrypted with.

     *

     * @return the id of the key new secrets are encrypted with

     */
    public String currentId() {
        return currentId;
    }

    /**

     * Returns the ids of every key held.

     *

     * @return the ids of every key held

     */
    public Set<String> ids() {
        return keys.keySet();
    }

    /**
     * A key by id.
     *
     * @param id the key id
     * @return the key, or {@code null} when not held
     */
    SecretKey key(String id) {
        return keys.get(id);
    }

    @Override
    public String toString() {
        return "SecretKeys[current=" + currentId + ", ids=" + keys.keySet() + "]";
    }
}
