package io.github.wardops.ward.runner.config;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.Secret;
import io.github.wardops.ward.postgres.SecretKeys;
import io.github.wardops.ward.runner.http.server.HostAllowList;
import io.github.wardops.ward.runner.http.server.HttpLimits;
import io.github.wardops.ward.snmp.SnmpCredentials;
import io.github.wardops.ward.snmp.SnmpSecurityLevel;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The effective settings of {@code ward run}. Each setting has a key (the flag without its
 * dashes, such as {@code interval}), an environment variable ({@code WARD_INTERVAL}) and a
 * default. {@link #resolve} layers them: defaults, then the YAML configuration file
 * ({@link ConfigFile}), then the environment, then flags; and it reports every invalid value at
 * once, naming the key, where the value came from, and the value.
 *
 * <p>Secret settings ({@link Key#secret()}) have no flag and are never read from the YAML file
 * itself: they come from their environment variable ({@code WARD_HTTP_TOKEN}) or from a file
 * named by {@code WARD_HTTP_TOKEN_FILE} (or by {@code http-token-file} in the YAML file). Their
 * values are {@link Secret}s and never appear in a message or in {@link #effective()}. A URL
 * setting ({@code db-url}, {@code redis-url}, {@code webhook-url}) that holds a password (user
 * information, or a parameter whose name holds {@code password}, in any case) is refused, naming
 * the setting and the secret setting to use instead, never the value. Immutable.
 *
 * @param configFile the YAML file read, or {@code null} when none
 * @param inventory the CSV inventory file, or {@code null} for the bundled fleet
 * @param inventorySource where the inventory comes from: the file, the database or both
 * @param allowLinkLocal whether devices with link-local addresses (169.254.0.0/16, fe80::/10) are polled
 * @param interval the ICMP check interval of every device, 1 s to 1 day
 * @param http where the HTTP API listens
 * @param httpLimits the HTTP server's bounds: connections, deadlines, requests at once, accepted hosts
 * @param httpAllowInsecure whether HTTP may listen beyond loopback without a bearer token
 * @param maxProbesInFlight the most probes running at once, 1-1,000,000
 * @param icmpPacketsPerSecond the ICMP send pacing, 1-1,000,000 echoes per second
 * @param inventoryPoll how often the inventory file is checked for changes, 100 ms to 1 hour
 * @param downAfter failed cycles in a row that confirm DOWN, 1-100
 * @param upAfter successful cycles in a row that confirm UP again, 1-100
 * @param alertRules the alert rule file (JSON), or {@code null} for the bundled rules
 * @param alertTick how often alerting checks time-based conditions, 1 s to 1 min
 * @param webhookUrl where alert notifications are POSTed, or {@code null} for no webhook
 * @param webhookTimeout the webhook request timeout, 1 s to 5 min
 * @param notifyLog whether notifications are also written to the log
 * @param storage whether results are stored in PostgreSQL ({@code storage: postgres}, the default) or not ({@code off})
 * @param dbUrl the JDBC URL of an external PostgreSQL, or {@code null} for the embedded one
 * @param dbUser the PostgreSQL user for {@code dbUrl}, or {@code null} for the URL's or the driver's default
 * @param dataDir where the embedded PostgreSQL ({@code pg/}) and the result spool ({@code spool/}) live
 * @param dbRetention how long stored results are kept, 1 day to 10 years
 * @param redisUrl the Redis URL of the shared cache tier ({@code redis://} or {@code rediss://}), or {@code null} for an L1-only cache
 * @param cacheTtl how long a device's cached state lives without being refreshed, 10 s to 1 day
 * @param snmpPort the UDP port of the devices' SNMP agents, 1-65535
 * @param snmpInterval the SNMP check interval, 1 s to 1 day
 * @param tcpChecks the TCP connect checks chosen by label selectors; never {@code null}
 * @param snmpChecks the SNMP checks chosen by label selectors, first match wins; never {@code null}
 * @param snmpV3 the SNMP v3 credentials of the {@code v3} rules, or {@code null} when no v3 user is set
 * @param encryptionKeys the keys of the SNMP credentials stored in the database, or {@code null} when {@code encryption-key} is unset
 * @param secrets the secrets that were set, by key; never {@code null}
 * @param effective every setting's effective value and origin, secrets masked, in table order
 */
public record RunSettings(Path configFile, Path inventory, InventorySource inventorySource, boolean allowLinkLocal,
                          Duration interval, HttpAddress http, HttpLimits httpLimits, boolean httpAllowInsecure,
                          int maxProbesInFlight,
                          int icmpPacketsPerSecond, Duration inventoryPoll, int downAfter, int upAfter, Path alertRules,
                          Duration alertTick, URI webhookUrl, Duration webhookTimeout, boolean notifyLog,
                          boolean storage, String dbUrl, String dbUser, Path dataDir, Duration dbRetention,
                          String redisUrl, Duration cacheTtl, int snmpPort, Duration snmpInterval,
                          List<TcpCheckRule> tcpChecks, List<SnmpCheckRule> snmpChecks, SnmpCredentials snmpV3,
                          SecretKeys encryptionKeys, Map<String, Secret> secrets, List<Effective> effective) {

    /** The configuration file read when no other is named and it exists, in the working directory. */
    public static final String DEFAULT_CONFIG_FILE = "ward.yaml";
    /** The environment variable naming the configuration file. */
    public static final String CONFIG_ENV = "WARD_CONFIG";
    /** The key of the bearer token of the HTTP API. */
    public static final String HTTP_TOKEN = "http-token";
    /** The key of the webhook's HMAC secret. */
    public static final String WEBHOOK_SECRET = "webhook-secret";
    private static final String WEBHOOK_SECRET_ENV = "WARD_WEBHOOK_SECRET";
    /** The key of the database password (reserved for the PostgreSQL storage). */
    public static final String DB_PASSWORD = "db-password";
    /** The key of the Redis password (reserved for the Redis cache). */
    public static final String REDIS_PASSWORD = "redis-password";
    /** The key of the SNMP v1/v2c community of the {@code v1} and {@code v2c} rules of snmp-checks. */
    public static final String SNMP_COMMUNITY = "snmp-community";
    /** The key of the SNMP v3 authentication passphrase. */
    public static final String SNMP_V3_AUTH_PASSPHRASE = "snmp-v3-auth-passphrase";
    /** The key of the SNMP v3 privacy passphrase. */
    public static final String SNMP_V3_PRIV_PASSPHRASE = "snmp-v3-priv-passphrase";
    /** The default of snmp-checks: a device's {@code snmp_version} label chooses. */
    public static final String DEFAULT_SNMP_CHECKS =
            "snmp_version = 1 => v1; snmp_version in (2c, 2C) => v2c; snmp_version = 3 => v3";
    /** The key of the AES-256 key(s) that encrypt the SNMP credentials stored in the database. */
    public static final String ENCRYPTION_KEY = "encryption-key";
    private static final long MAX_SECRET_FILE_BYTES = 64 * 1024;

    /**
     * Copies.
     *
     * @param configFile config file
     * @param inventory inventory
     * @param inventorySource inventory source
     * @param allowLinkLocal link-local addresses allowed
     * @param interval interval
     * @param http http
     * @param httpLimits HTTP bounds
     * @param httpAllowInsecure HTTP without a token beyond loopback
     * @param maxProbesInFlight in flight
     * @param icmpPacketsPerSecond pps
     * @param inventoryPoll inventory poll
     * @param downAfter down after
     * @param upAfter up after
     * @param alertRules rules
     * @param alertTick tick
     * @param webhookUrl webhook
     * @param webhookTimeout webhook timeout
     * @param notifyLog log notifications
     * @param storage storage on
     * @param dbUrl JDBC URL
     * @param dbUser database user
     * @param dataDir data directory
     * @param dbRetention retention
     * @param redisUrl Redis URL
     * @param cacheTtl cache TTL
     * @param snmpPort SNMP port
     * @param snmpInterval SNMP interval
     * @param tcpChecks TCP rules
     * @param snmpChecks SNMP rules
     * @param snmpV3 v3 credentials
     * @param encryptionKeys stored credentials' keys
     * @param secrets secrets
     * @param effective effective values
     */
    public RunSettings {
        tcpChecks = List.copyOf(tcpChecks);
        snmpChecks = List.copyOf(snmpChecks);
        secrets = Map.copyOf(secrets);
        effective = List.copyOf(effective);
    }

    /**
     * One setting: its key, environment variable, default and description.
     *
     * @param key the key, also the long flag without {@code --} (secrets have no flag)
     * @param env the environment variable
     * @param defaultValue the default, as text; {@code null} for none
     * @param description what it sets
     * @param secret whether it is a secret: from the environment or a file only, never printed
     */
    public record Key(String key, String env, String defaultValue, String description, boolean secret) {
        /**
         * The environment variable naming a file that holds a secret: {@code env() + "_FILE"}.
         *
         * @return the variable name
         */
        public String fileEnv() {
            return env + "_FILE";
        }
    }

    /**
     * A setting's effective value, for {@code ward config --print}.
     *
     * @param key the key
     * @param value the value as text ({@code ***} for a secret that is set), or {@code null} when unset
     * @param origin where it came from: {@code default}, the file name, an environment variable or a flag
     */
    public record Effective(String key, String value, String origin) {
    }

    /** Every setting, in documentation order. */
    public static final List<Key> KEYS = List.of(
            key("inventory", null, "the CSV inventory (id,name,address required; parent_id, enabled optional; other columns "
                    + "become labels); the bundled 875-device fleet when unset"),
            key("inventory-source", "file", "where the inventory comes from: file (the inventory file, copied into the "
                    + "devices table), database (the devices table alone) or both (the file upserted into the table, "
                    + "every device of the table polled)"),
            key("allow-link-local", "false", "whether devices with link-local addresses (169.254.0.0/16, fe80::/10) are "
                    + "polled; multicast, broadcast and unspecified addresses never are"),
            key("interval", "30s", "the ICMP check interval of every device"),
            key("http", "127.0.0.1:9090", "where the HTTP API listens: HOST:PORT, [V6]:PORT (port 0 = any free port) or off"),
            key("http-allow-insecure", "false", "allow the HTTP API on an address other than loopback without http-token "
                    + "(an open API, with a warning at every start); otherwise such a start is refused"),
            key("http-hosts", null, "Host header values the HTTP API answers besides loopback names and the address a "
                    + "request arrived on: NAME, NAME:PORT or [V6]:PORT, comma-separated, or * for any; others get 421"),
            key("http-max-connections", "256", "the most HTTP connections open at once; more are closed at once"),
            key("http-max-connections-per-address", "32", "the most HTTP connections open at once from one client "
                    + "address (IPv6: one /64); more are closed at once"),
            key("http-max-concurrent-requests", "4", "the most HTTP requests handled at once (/health, /ready and the "
                    + "page excepted); more wait up to 1 s, then get 503"),
            key("http-header-timeout", "10s", "the deadline for an HTTP request's line and headers, from the connection's "
                    + "start (on a kept-alive connection, from the request's first byte)"),
            key("http-body-timeout", "10s", "the deadline for an HTTP request's body, from the end of its headers"),
            key("http-idle-timeout", "30s", "how long a kept-alive HTTP connection may wait for its next request"),
            key("http-write-timeout", "30s", "the deadline for writing one HTTP answer; a client that does not take it "
                    + "is disconnected"),
            key("max-probes-in-flight", "4096", "the most probes running at once"),
            key("icmp-pps", "10000", "the most ICMP echoes sent per second"),
            key("inventory-poll", "2s", "how often the inventory file and the devices table are checked for changes"),
            key("down-after", "3", "failed cycles in a row that confirm a device DOWN"),
            key("up-after", "2", "successful cycles in a row that confirm a DOWN device UP again"),
            key("alert-rules", null, "the alert rule file (JSON, as the fleet's alert-rules.json); the bundled rules when unset"),
            key("alert-tick", "5s", "how often alerting checks time-based conditions (flood guard end)"),
            key("webhook-url", null, "where alert notifications are POSTed as JSON (http or https); none when unset"),
            key("webhook-timeout", "10s", "the webhook request timeout"),
            key("notify-log", "true", "whether alert notifications are also written to the log"),
            key("storage", "postgres", "where results, devices and state are stored: postgres (the embedded server, or "
                    + "db-url when set) or off (nothing stored)"),
            key("db-url", null, "the JDBC URL of an external PostgreSQL (jdbc:postgresql://HOST:PORT/DB); the embedded "
                    + "PostgreSQL in data-dir/pg when unset"),
            key("db-user", null, "the PostgreSQL user for db-url (its password is the db-password secret)"),
            key("data-dir", "ward-data", "the directory of the embedded PostgreSQL (pg/) and of the result spool (spool/)"),
            key("db-retention", "30d", "how long stored results (ping results, SNMP values, interface samples) are kept"),
            key("redis-url", null, "the Redis of the shared cache tier: redis://HOST:PORT or rediss://HOST:PORT (TLS), "
                    + "password from the redis-password secret; an in-process cache only when unset"),
            key("cache-ttl", "5m", "how long a device's cached state lives without being refreshed"),
            key("snmp-port", "161", "the UDP port of the devices' SNMP agents"),
            key("snmp-interval", "60s", "the SNMP check interval (system, interfaces and rates, vendor items)"),
            key("tcp-checks", null, "TCP connect checks chosen by label selectors: SELECTOR => PORT[,PORT]; ... "
                    + "(for example: device_type in (ATM, Paybox) => 443; * => 22); none when unset"),
            key("snmp-checks", DEFAULT_SNMP_CHECKS, "SNMP checks (system, interfaces and rates, vendor template) chosen "
                    + "by label selectors: SELECTOR => v1|v2c|v3|NAME; ..., the first matching rule wins; v1 and v2c use "
                    + "snmp-community, v3 the snmp-v3 settings, NAME the credentials stored with 'ward credentials add'; "
                    + "none turns SNMP off"),
            key("snmp-v3-user", null, "the SNMP v3 user (security name) of the v3 rules"),
            key("snmp-v3-level", null, "the v3 security level: noAuthNoPriv, authNoPriv or authPriv; when unset, "
                    + "authPriv if a privacy passphrase is set, authNoPriv if only an authentication passphrase is"),
            key("snmp-v3-auth-protocol", null, "the v3 authentication protocol: MD5, SHA, SHA-224, SHA-256, SHA-384 or "
                    + "SHA-512; required at authNoPriv and authPriv"),
            key("snmp-v3-priv-protocol", null, "the v3 privacy protocol: DES, AES, AES-192 or AES-256; required at authPriv"),
            secret(HTTP_TOKEN, "the bearer token the HTTP API requires (everything but /health and the page shell at /)"),
            secret(WEBHOOK_SECRET, "the HMAC-SHA256 key that signs webhook requests (header X-Ward-Signature)"),
            secret(DB_PASSWORD, "the PostgreSQL password for db-url"),
            secret(REDIS_PASSWORD, "the Redis password (AUTH) for redis-url"),
            secret(SNMP_COMMUNITY, "the SNMP v1/v2c community of the v1 and v2c rules of snmp-checks; without it those "
                    + "rules are off"),
            secret(SNMP_V3_AUTH_PASSPHRASE, "the SNMP v3 authentication passphrase (8 characters or more)"),
            secret(SNMP_V3_PRIV_PASSPHRASE, "the SNMP v3 privacy passphrase (8 characters or more)"),
            secret(ENCRYPTION_KEY, "the AES-256 key that encrypts SNMP credentials stored with 'ward credentials': one "
                    + "base64 key of 32 bytes, or id=base64 lines, the first current (rotation)"));

    private static Key key(String key, String def, String description) {
        return new Key(key, env(key), def, description, false);
    }

    private static Key secret(String key, String description) {
        return new Key(key, env(key), null, description, true);
    }

    private static String env(String key) {
        return "WARD_" + key.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /**
     * A key by name.
     *
     * @param key the key
     * @return the key, empty when unknown
     */
    public static Optional<Key> find(String key) {
        return KEYS.stream().filter(k -> k.key().equals(key)).findFirst();
    }

    /**
     * Resolves the settings from the environment and the flags, with the configuration file
     * named by the {@code config} flag or {@value #CONFIG_ENV}, else {@code ./ward.yaml} when it
     * exists.
     *
     * @param flags values given on the command line, by key ({@code config} for the file); {@code null} values are ignored
     * @param env the process environment (only {@code WARD_*} variables are read)
     * @return the settings
     * @throws InvalidConfigurationException listing every invalid value
     * @throws IllegalArgumentException for a flag key that is not a setting (a programming error)
     */
    public static RunSettings resolve(Map<String, String> flags, Map<String, String> env) {
        return resolve(flags, env, Path.of(DEFAULT_CONFIG_FILE));
    }

    /**
     * Resolves the settings, layering defaults, the configuration file, the environment and the
     * flags.
     *
     * @param flags values given on the command line, by key ({@code config} for the file); {@code null} values are ignored
     * @param env the process environment (only {@code WARD_*} variables are read)
     * @param defaultConfig the file read when neither the flag nor the environment names one, if it exists
     * @return the settings
     * @throws InvalidConfigurationException listing every invalid value
     * @throws IllegalArgumentException for a flag key that is not a setting (a programming error)
     */
    public static RunSettings resolve(Map<String, String> flags, Map<String, String> env, Path defaultConfig) {
        return resolve(flags, env, defaultConfig, true);
    }

    /**
     * Resolves the settings for a command that only uses the database ({@code ward credentials}):
     * as {@link #resolve(Map, Map)}, but the SNMP polling settings ({@code snmp-checks},
     * {@code snmp-v3-*} and the SNMP secrets) are not checked against each other, and no v3
     * credentials are built: such a command takes its SNMP input from its own flags. Nor is an
     * HTTP address beyond loopback without a token refused: such a command serves no HTTP.
     *
     * @param flags values given on the command line, by key
     * @param env the process environment
     * @return the settings; {@link #snmpV3()} is {@code null}
     * @throws InvalidConfigurationException listing every invalid value of the other settings
     */
    public static RunSettings resolveForDatabase(Map<String, String> flags, Map<String, String> env) {
        return resolve(flags, env, Path.of(DEFAULT_CONFIG_FILE), false);
    }

    private static RunSettings resolve(Map<String, String> flags, Map<String, String> env, Path defaultConfig,
                                       boolean checkSnmp) {
        for (String k : flags.keySet()) {
            if (!k.equals("config") && find(k).filter(x -> !x.secret()).isEmpty()) {
                throw new IllegalArgumentException("unknown setting " + k);
            }
        }
        List<String> problems = new ArrayList<>();
        Path configFile = null;
        String named = flags.get("config");
        String namedOrigin = "--config";
        if (named == null && env.get(CONFIG_ENV) != null && !env.get(CONFIG_ENV).isBlank()) {
            named = env.get(CONFIG_ENV);
            namedOrigin = CONFIG_ENV;
        }
        Map<String, String> fileValues = Map.of();
        if (named != null) {
            if (named.isBlank()) {
                problems.add("config = '" + named + "' (from " + namedOrigin + "): must not be empty");
            } else {
                configFile = Path.of(named.strip());
            }
        } else if (defaultConfig != null && Files.isRegularFile(defaultConfig)) {
            configFile = defaultConfig;
        }
        if (configFile != null) {
            fileValues = ConfigFile.read(configFile, problems);
        }
        String fileOrigin = configFile == null ? null : configFile.toString();

        Map<String, String[]> raw = new LinkedHashMap<>(); // key -> {value, origin}
        Map<String, Secret> secrets = new LinkedHashMap<>();
        List<Effective> effective = new ArrayList<>();
        for (Key k : KEYS) {
            if (k.secret()) {
                Effective e = secret(k, fileValues, fileOrigin, env, secrets, problems);
                effective.add(e);
                continue;
            }
            if (k.defaultValue() != null) {
                raw.put(k.key(), new String[] {k.defaultValue(), "default"});
            }
            String fv = fileValues.get(k.key());
            if (fv != null) {
                raw.put(k.key(), new String[] {fv, fileOrigin});
            }
            String e = env.get(k.env());
            if (e != null && !e.isBlank()) {
                raw.put(k.key(), new String[] {e, k.env()});
            }
            String f = flags.get(k.key());
            if (f != null) {
                raw.put(k.key(), new String[] {f, "--" + k.key()});
            }
            String[] v = raw.get(k.key());
            effective.add(new Effective(k.key(), v == null ? null : masked(k.key(), v[0]), v == null ? "default" : v[1]));
        }
        Path inventory = get(raw, "inventory", problems, RunSettings::path);
        Duration interval = get(raw, "interval", problems, s -> range(Durations.parse(s), Duration.ofSeconds(1), Duration.ofDays(1)));
        HttpAddress http = get(raw, "http", problems, HttpAddress::parse);
        Boolean httpAllowInsecure = get(raw, "http-allow-insecure", problems, RunSettings::bool);
        HttpLimits httpLimits = httpLimits(raw, problems);
        Integer inFlight = get(raw, "max-probes-in-flight", problems, s -> intRange(s, 1, 1_000_000));
        Integer pps = get(raw, "icmp-pps", problems, s -> intRange(s, 1, 1_000_000));
        Duration poll = get(raw, "inventory-poll", problems,
                s -> range(Durations.parse(s), Duration.ofMillis(100), Duration.ofHours(1)));
        Integer downAfter = get(raw, "down-after", problems, s -> intRange(s, 1, 100));
        Integer upAfter = get(raw, "up-after", problems, s -> intRange(s, 1, 100));
        Path rules = get(raw, "alert-rules", problems, RunSettings::path);
        Duration tick = get(raw, "alert-tick", problems, s -> range(Durations.parse(s), Duration.ofSeconds(1), Duration.ofMinutes(1)));
        URI webhook = get(raw, "webhook-url", problems, RunSettings::httpUri);
        Duration webhookTimeout = get(raw, "webhook-timeout", problems,
                s -> range(Durations.parse(s), Duration.ofSeconds(1), Duration.ofMinutes(5)));
        Boolean notifyLog = get(raw, "notify-log", problems, RunSettings::bool);
        Boolean storage = get(raw, "storage", problems, RunSettings::storage);
        String dbUrl = get(raw, "db-url", problems, RunSettings::jdbcUrl);
        String dbUser = get(raw, "db-user", problems, RunSettings::nonEmpty);
        Path dataDir = get(raw, "data-dir", problems, RunSettings::path);
        Duration dbRetention = get(raw, "db-retention", problems,
                s -> range(Durations.parse(s), Duration.ofDays(1), Duration.ofDays(3650)));
        String redisUrl = get(raw, "redis-url", problems, RunSettings::redisUrl);
        Duration cacheTtl = get(raw, "cache-ttl", problems,
                s -> range(Durations.parse(s), Duration.ofSeconds(10), Duration.ofDays(1)));
        Integer snmpPort = get(raw, "snmp-port", problems, s -> intRange(s, 1, 65535));
        Duration snmpInterval = get(raw, "snmp-interval", problems,
                s -> range(Durations.parse(s), Duration.ofSeconds(1), Duration.ofDays(1)));
        List<TcpCheckRule> tcpChecks = get(raw, "tcp-checks", problems, TcpCheckRule::parseAll);
        InventorySource source = get(raw, "inventory-source", problems, InventorySource::parse);
        Boolean allowLinkLocal = get(raw, "allow-link-local", problems, RunSettings::bool);
        if (source != null && source.readsDatabase() && Boolean.FALSE.equals(storage)) {
            problems.add("inventory-source = '" + raw.get("inventory-source")[0] + "' (from " + raw.get("inventory-source")[1]
                    + "): needs the database, but storage is off");
        }
        if (source == InventorySource.DATABASE && raw.containsKey("inventory")) {
            problems.add("inventory = '" + raw.get("inventory")[0] + "' (from " + raw.get("inventory")[1]
                    + "): inventory-source is database, so the file would not be read; use inventory-source both, "
                    + "or import it with 'ward import'");
        }
        SnmpCredentials v3 = checkSnmp ? snmpV3(raw, secrets, problems) : null;
        SecretKeys keys = null;
        if (secrets.containsKey(ENCRYPTION_KEY)) {
            try {
                String origin = effective.stream().filter(x -> x.key().equals(ENCRYPTION_KEY)).map(Effective::origin)
                        .findFirst().orElse("?");
                keys = SecretKeys.parse(secrets.get(ENCRYPTION_KEY).reveal(), ENCRYPTION_KEY + " (from " + origin + ")");
            } catch (InvalidConfigurationException e) {
                problems.addAll(e.problems());
            }
        }
        List<SnmpCheckRule> snmpChecks = get(raw, "snmp-checks", checkSnmp ? problems : new ArrayList<>(),
                SnmpCheckRule::parseAll);
        if (checkSnmp && snmpChecks != null && !"default".equals(raw.get("snmp-checks")[1])) {
            // Rules the operator wrote must have their credentials; the default rules just stay off.
            for (SnmpCheckRule r : snmpChecks) {
                if (r.stored()) {
                    if (Boolean.FALSE.equals(storage)) {
                        problems.add("snmp-checks (from " + raw.get("snmp-checks")[1] + "): rule '" + r.text()
                                + "' uses stored credentials '" + r.profile() + "', but storage is off");
                    } else if (!secrets.containsKey(ENCRYPTION_KEY)) {
                        problems.add("snmp-checks (from " + raw.get("snmp-checks")[1] + "): rule '" + r.text()
                                + "' uses stored credentials '" + r.profile() + "', but encryption-key is not set "
                                + "(WARD_ENCRYPTION_KEY or WARD_ENCRYPTION_KEY_FILE)");
                    }
                    continue;
                }
                String missing = r.profile().equals("v3")
                        ? (v3 == null && !raw.containsKey("snmp-v3-user") ? "snmp-v3-user is not set" : null)
                        : (secrets.containsKey(SNMP_COMMUNITY) ? null : "snmp-community is not set (WARD_SNMP_COMMUNITY or "
                                + "WARD_SNMP_COMMUNITY_FILE)");
                if (missing != null) {
                    problems.add("snmp-checks (from " + raw.get("snmp-checks")[1] + "): rule '" + r.text() + "' uses "
                            + r.profile() + " credentials, but " + missing);
                }
            }
        }
        if (Boolean.FALSE.equals(storage) && raw.containsKey("db-url")) {
            problems.add("db-url is set but storage is off: remove one of them");
        }
        if (secrets.containsKey(DB_PASSWORD) && !raw.containsKey("db-url")) {
            problems.add("db-password is set but db-url is not: the embedded PostgreSQL makes and keeps its own password "
                    + "(data-dir/pg/ward.pgpass); set db-url too");
        }
        if (secrets.containsKey(REDIS_PASSWORD) && !raw.containsKey("redis-url")) {
            problems.add("redis-password is set but redis-url is not: set WARD_REDIS_URL (or redis-url) too");
        }
        if (secrets.containsKey(WEBHOOK_SECRET) && webhook == null && !raw.containsKey("webhook-url")) {
            problems.add("webhook-secret is set but webhook-url is not: set WARD_WEBHOOK_URL (or webhook-url) too");
        }
        httpTokenProblems(secrets, effective, problems);
        if (checkSnmp) {
            // Database-only commands serve no HTTP, so only ward run and ward config check the exposure.
            httpExposureProblems(raw, http, Boolean.TRUE.equals(httpAllowInsecure), secrets, problems);
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException("ward run", problems);
        }
        return new RunSettings(configFile, inventory, source, allowLinkLocal, interval, http, httpLimits, httpAllowInsecure,
                inFlight, pps, poll, downAfter, upAfter, rules, tick,
                webhook, webhookTimeout, notifyLog, storage, dbUrl, dbUser, dataDir, dbRetention, redisUrl, cacheTtl,
                snmpPort, snmpInterval, tcpChecks == null ? List.of() : tcpChecks,
                snmpChecks == null ? List.of() : snmpChecks, v3, keys, secrets, effective);
    }

    /** The shortest bearer token accepted. */
    public static final int MIN_HTTP_TOKEN_CHARS = 16;

    /** The HTTP server's bounds; {@code null} when one of them is invalid (then in {@code problems}). */
    private static HttpLimits httpLimits(Map<String, String[]> raw, List<String> problems) {
        List<String> hosts = get(raw, "http-hosts", problems, HostAllowList::parse);
        Integer max = get(raw, "http-max-connections", problems, s -> intRange(s, 1, 10_000));
        Integer perAddress = get(raw, "http-max-connections-per-address", problems, s -> intRange(s, 1, 10_000));
        Integer requests = get(raw, "http-max-concurrent-requests", problems, s -> intRange(s, 1, 1024));
        Duration header = get(raw, "http-header-timeout", problems,
                s -> range(Durations.parse(s), Duration.ofMillis(100), Duration.ofMinutes(10)));
        Duration body = get(raw, "http-body-timeout", problems,
                s -> range(Durations.parse(s), Duration.ofMillis(100), Duration.ofMinutes(10)));
        Duration idle = get(raw, "http-idle-timeout", problems,
                s -> range(Durations.parse(s), Duration.ofMillis(100), Duration.ofHours(1)));
        Duration write = get(raw, "http-write-timeout", problems,
                s -> range(Durations.parse(s), Duration.ofSeconds(1), Duration.ofHours(1)));
        if (max != null && perAddress != null && perAddress > max) {
            String[] v = raw.get("http-max-connections-per-address");
            problems.add("http-max-connections-per-address = '" + v[0] + "' (from " + v[1]
                    + "): must be at most http-max-connections (" + max + ")");
            return null;
        }
        if (max == null || perAddress == null || requests == null || header == null || body == null || idle == null
                || write == null) {
            return null;
        }
        return new HttpLimits(max, perAddress, requests, header, body, idle, write, hosts == null ? List.of() : hosts);
    }

    /** A bearer token must be one a client can send and no one can guess; the message never holds it. */
    private static void httpTokenProblems(Map<String, Secret> secrets, List<Effective> effective, List<String> problems) {
        Secret token = secrets.get(HTTP_TOKEN);
        if (token == null) {
            return;
        }
        String origin = effective.stream().filter(e -> e.key().equals(HTTP_TOKEN)).map(Effective::origin).findFirst()
                .orElse("?");
        String t = token.reveal();
        String fix = "; make one with: head -c 32 /dev/urandom | base64";
        if (t.isBlank()) {
            problems.add(HTTP_TOKEN + " (from " + origin + "): is blank" + fix);
        } else if (t.codePointCount(0, t.length()) < MIN_HTTP_TOKEN_CHARS) {
            problems.add(HTTP_TOKEN + " (from " + origin + "): is shorter than " + MIN_HTTP_TOKEN_CHARS + " characters" + fix);
        } else if (!t.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            problems.add(HTTP_TOKEN + " (from " + origin + "): may hold only printable ASCII characters without spaces "
                    + "(it is sent in an HTTP header)" + fix);
        }
    }

    /** Beyond loopback, an API without a token is an explicit choice. */
    private static void httpExposureProblems(Map<String, String[]> raw, HttpAddress http, boolean allowInsecure,
                                             Map<String, Secret> secrets, List<String> problems) {
        if (http == null || !http.enabled() || http.address().getAddress().isLoopbackAddress()
                || secrets.containsKey(HTTP_TOKEN) || allowInsecure) {
            return;
        }
        String[] v = raw.get("http");
        problems.add("http = '" + v[0] + "' (from " + v[1] + "): listens beyond loopback, but no bearer token is set, so "
                + "anyone who reaches it could read the fleet and acknowledge alerts. Set a token: "
                + "head -c 32 /dev/urandom | base64 > /etc/ward/http-token; chmod 600 /etc/ward/http-token; then "
                + "WARD_HTTP_TOKEN_FILE=/etc/ward/http-token (or http-token-file in the configuration file). To serve an "
                + "open API on purpose, set http-allow-insecure: true");
    }

    private static final SnmpNames.Names V3_NAMES = new SnmpNames.Names("snmp-v3-user", "snmp-v3-level",
            "snmp-v3-auth-protocol", SNMP_V3_AUTH_PASSPHRASE, "snmp-v3-priv-protocol", SNMP_V3_PRIV_PASSPHRASE);

    /** The v3 credentials, when a v3 user or any other v3 setting is set; problems name the keys, never a passphrase. */
    private static SnmpCredentials snmpV3(Map<String, String[]> raw, Map<String, Secret> secrets, List<String> problems) {
        List<String> keys = List.of("snmp-v3-user", "snmp-v3-level", "snmp-v3-auth-protocol", "snmp-v3-priv-protocol");
        boolean any = keys.stream().anyMatch(raw::containsKey) || secrets.containsKey(SNMP_V3_AUTH_PASSPHRASE)
                || secrets.containsKey(SNMP_V3_PRIV_PASSPHRASE);
        if (!any) {
            return null;
        }
        String user = raw.containsKey("snmp-v3-user") ? raw.get("snmp-v3-user")[0].strip() : null;
        String level = raw.containsKey("snmp-v3-level") ? raw.get("snmp-v3-level")[0] : null;
        String auth = raw.containsKey("snmp-v3-auth-protocol") ? raw.get("snmp-v3-auth-protocol")[0] : null;
        String priv = raw.containsKey("snmp-v3-priv-protocol") ? raw.get("snmp-v3-priv-protocol")[0] : null;
        SnmpCredentials c = SnmpNames.v3(user, level, auth, secrets.get(SNMP_V3_AUTH_PASSPHRASE), priv,
                secrets.get(SNMP_V3_PRIV_PASSPHRASE), null, null, V3_NAMES, problems);
        if (c == null) {
            return null;
        }
        SnmpSecurityLevel l = ((SnmpCredentials.Usm) c).level();
        // A protocol or passphrase the level does not use is a mistake worth saying, not a silent no-op.
        if (l == SnmpSecurityLevel.NO_AUTH_NO_PRIV && (auth != null || secrets.containsKey(SNMP_V3_AUTH_PASSPHRASE))) {
            problems.add("snmp-v3-level is noAuthNoPriv, but an authentication protocol or passphrase is set: remove it or "
                    + "raise the level");
            return null;
        }
        if (l != SnmpSecurityLevel.AUTH_PRIV && (priv != null || secrets.containsKey(SNMP_V3_PRIV_PASSPHRASE))) {
            problems.add("snmp-v3-level is " + SnmpNames.name(l) + ", but a privacy protocol or passphrase is set: remove "
                    + "it or use authPriv");
            return null;
        }
        return c;
    }

    /**
     * The credentials of an snmp-checks profile, when they are configured.
     *
     * @param profile {@code v1}, {@code v2c} or {@code v3}
     * @return the credentials; empty when the community (v1, v2c) or the v3 user is not set
     */
    public Optional<SnmpCredentials> snmpCredentials(String profile) {
        return switch (profile) {
            case "v1" -> secret(SNMP_COMMUNITY).map(SnmpCredentials::v1);
            case "v2c" -> secret(SNMP_COMMUNITY).map(SnmpCredentials::v2c);
            case "v3" -> Optional.ofNullable(snmpV3);
            default -> Optional.empty();
        };
    }

    /** Reads a secret from its variable, its file variable or the file named in the config file. */
    private static Effective secret(Key k, Map<String, String> fileValues, String fileOrigin, Map<String, String> env,
                                    Map<String, Secret> secrets, List<String> problems) {
        if (fileValues.containsKey(k.key())) {
            // The value itself is never echoed.
            problems.add(k.key() + " (in " + fileOrigin + "): secrets are not read from the configuration file; set "
                    + k.env() + ", or name a file holding it with " + k.fileEnv() + " or " + k.key() + "-file");
        }
        String direct = env.get(k.env());
        String file = env.get(k.fileEnv());
        String fileFrom = k.fileEnv();
        if ((file == null || file.isBlank()) && fileValues.get(k.key() + "-file") != null) {
            file = fileValues.get(k.key() + "-file");
            fileFrom = fileOrigin;
        }
        boolean hasDirect = direct != null && !direct.isEmpty();
        boolean hasFile = file != null && !file.isBlank();
        if (hasDirect && hasFile) {
            problems.add(k.key() + ": set by both " + k.env() + " and " + k.key() + "-file = '" + file + "' (from " + fileFrom
                    + "): keep one");
            return new Effective(k.key(), null, "conflict");
        }
        if (hasDirect) {
            secrets.put(k.key(), Secret.of(direct));
            return new Effective(k.key(), "***", k.env());
        }
        if (hasFile) {
            Path p = Path.of(file.strip());
            try {
                if (Files.size(p) > MAX_SECRET_FILE_BYTES) {
                    problems.add(k.key() + "-file = '" + file + "' (from " + fileFrom + "): larger than "
                            + MAX_SECRET_FILE_BYTES + " bytes");
                    return new Effective(k.key(), null, fileFrom);
                }
                byte[] bytes = Files.readAllBytes(p);
                int n = bytes.length;
                while (n > 0 && (bytes[n - 1] == '\n' || bytes[n - 1] == '\r')) {
                    n--;
                }
                if (n == 0) {
                    problems.add(k.key() + "-file = '" + file + "' (from " + fileFrom + "): the file is empty");
                    return new Effective(k.key(), null, fileFrom);
                }
                secrets.put(k.key(), Secret.ofBytes(java.util.Arrays.copyOf(bytes, n)));
                java.util.Arrays.fill(bytes, (byte) 0);
                return new Effective(k.key(), "***", fileFrom + " (file " + p + ")");
            } catch (IOException e) {
                problems.add(k.key() + "-file = '" + file + "' (from " + fileFrom + "): cannot be read ("
                        + e.getClass().getSimpleName() + ")");
                return new Effective(k.key(), null, fileFrom);
            }
        }
        return new Effective(k.key(), null, "default");
    }

    /**
     * The inventory file, if one is set.
     *
     * @return the file; empty means the bundled fleet
     */
    public Optional<Path> inventoryFile() {
        return Optional.ofNullable(inventory);
    }

    /**
     * A secret, if it was set.
     *
     * @param key one of the secret keys, such as {@link #HTTP_TOKEN}
     * @return the secret, empty when unset
     */
    public Optional<Secret> secret(String key) {
        return Optional.ofNullable(secrets.get(key));
    }

    /**
     * The effective configuration as YAML-like text, one {@code key: value  # origin} line per
     * setting; secrets print as {@code ***}. Safe to print and log.
     *
     * @return the text, ending in a newline
     */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append("# ward run: effective configuration");
        sb.append(configFile == null ? " (no configuration file)" : " (configuration file " + configFile + ")").append('\n');
        for (Effective e : effective) {
            String v = e.value() == null ? "~" : quote(e.value());
            sb.append(e.key()).append(": ").append(v).append("  # ").append(e.origin()).append('\n');
        }
        return sb.toString();
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    private static Path path(String s) {
        if (s.isBlank()) {
            throw new IllegalArgumentException("must not be empty");
        }
        return Path.of(s);
    }

    /**
     * A URL setting refused because it holds a secret: the problem names the setting and where it
     * came from, never the value (which {@link #get} then leaves out).
     */
    private static final class HoldsSecret extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        HoldsSecret(String instead) {
            super("holds a password (user information, or a password parameter such as password= or sslpassword=, in any "
                    + "case); the value is not shown. A URL is printed in logs and status pages, so secrets never go in one: "
                    + instead);
        }
    }

    /** A query parameter whose name holds a password, in any case and position: password=, sslpassword=, PWD=. */
    private static final Pattern PASSWORD_PARAMETER =
            Pattern.compile("(?i)(?:^|[?&;])[^=&;?#/]*(?:password|passwd|pwd)[^=&;?#/]*=");

    /** Whether a URL holds user information (anything before an {@code @} in its authority) or a password parameter. */
    static boolean holdsSecret(String url) {
        String u = url.strip();
        int scheme = u.indexOf("://");
        if (scheme >= 0) {
            int from = scheme + 3;
            int end = u.length();
            for (char c : new char[] {'/', '?', '#'}) {
                int i = u.indexOf(c, from);
                if (i >= 0 && i < end) {
                    end = i;
                }
            }
            if (u.substring(from, end).indexOf('@') >= 0) {
                return true;
            }
        }
        return PASSWORD_PARAMETER.matcher(u).find() || PASSWORD_PARAMETER.matcher(percentDecoded(u)).find();
    }

    /** {@code %xx} sequences decoded (bytes as Latin-1, enough to find a name); malformed ones kept. */
    private static String percentDecoded(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length() && Character.digit(s.charAt(i + 1), 16) >= 0
                    && Character.digit(s.charAt(i + 2), 16) >= 0) {
                sb.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static URI httpUri(String s) {
        if (holdsSecret(s)) {
            throw new HoldsSecret("sign requests with " + WEBHOOK_SECRET_ENV + "_FILE (or " + WEBHOOK_SECRET_ENV + ") instead");
        }
        URI u;
        try {
            u = new URI(s);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URI: " + e.getReason());
        }
        if (u.getScheme() == null || u.getHost() == null
                || !List.of("http", "https").contains(u.getScheme().toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("must be an absolute http:// or https:// URL");
        }
        if (u.getRawUserInfo() != null) {
            throw new HoldsSecret("sign requests with " + WEBHOOK_SECRET_ENV + "_FILE (or " + WEBHOOK_SECRET_ENV + ") instead");
        }
        return u;
    }

    private static boolean storage(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "postgres", "postgresql" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException("must be postgres or off");
        };
    }

    private static String nonEmpty(String s) {
        if (s.isEmpty()) {
            throw new IllegalArgumentException("must not be empty");
        }
        return s;
    }

    private static String jdbcUrl(String s) {
        if (holdsSecret(s)) {
            throw new HoldsSecret("set the user with db-user and the password with WARD_DB_PASSWORD_FILE (or WARD_DB_PASSWORD)");
        }
        if (!s.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("must be a PostgreSQL JDBC URL, jdbc:postgresql://HOST:PORT/DATABASE");
        }
        return s;
    }

    private static String redisUrl(String s) {
        if (holdsSecret(s)) {
            throw new HoldsSecret("set the password with WARD_REDIS_PASSWORD_FILE (or WARD_REDIS_PASSWORD)");
        }
        URI u;
        try {
            u = new URI(s);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URI");
        }
        if (u.getScheme() == null || u.getHost() == null
                || !List.of("redis", "rediss").contains(u.getScheme().toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("must be redis://HOST:PORT or rediss://HOST:PORT");
        }
        if (u.getRawUserInfo() != null) {
            throw new HoldsSecret("set the password with WARD_REDIS_PASSWORD_FILE (or WARD_REDIS_PASSWORD)");
        }
        return s;
    }

    private static boolean bool(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new IllegalArgumentException("must be true or false");
        };
    }

    private static <T> T get(Map<String, String[]> raw, String key, List<String> problems, Function<String, T> parse) {
        String[] v = raw.get(key);
        if (v == null) {
            return null;
        }
        try {
            return parse.apply(v[0].strip());
        } catch (HoldsSecret e) {
            problems.add(key + " (from " + v[1] + "): " + e.getMessage());
            return null;
        } catch (IllegalArgumentException e) {
            problems.add(key + " = '" + masked(key, v[0]) + "' (from " + v[1] + "): " + e.getMessage());
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

    /** A URL that holds a secret (user info, a password parameter) never reaches a message: none of it is shown. */
    private static String masked(String key, String value) {
        if (!key.endsWith("-url") || !holdsSecret(value)) {
            return value;
        }
        return "*** (not shown: it holds a password)";
    }
}
