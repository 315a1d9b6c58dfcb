package io.github.wardops.ward.runner.config;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.Secret;
import io.github.wardops.ward.postgres.SecretKeys;
import io.github.wardops.ward.runner.http.server.HttpLimits;
import io.github.wardops.ward.snmp.SnmpCredentials;
import io.github.wardops.ward.snmp.SnmpSecurityLevel;
import io.github.wardops.ward.victoriametrics.VictoriaMetricsOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The effective settings of {@code ward run}, each declared in {@link Settings}: a key (the flag
 * without its dashes, such as {@code interval}), an environment variable ({@code WARD_INTERVAL})
 * and a default. {@link #resolve} layers them: defaults, then the YAML configuration file
 * ({@link ConfigFile}), then the environment, then flags; and it reports every invalid value at
 * once, naming the key, where the value came from, and the value.
 *
 * <p>Secret settings ({@link Setting#secret()}) have no flag and are never read from the YAML file
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
 * @param downAfter failed probes in a row that confirm DOWN, 1-100
 * @param upAfter successful probes in a row that confirm UP again, 1-100
 * @param recheckInterval the time from a changed outcome to its re-check, zero for none
 * @param alertRules the alert rule file (JSON), or {@code null} for the bundled rules
 * @param alertTick how often alerting checks time-based conditions, 1 s to 1 min
 * @param alertGroupReachability whether a device's up/down rules without a group form one problem (one alert)
 * @param webhookUrl where alert notifications are POSTed, or {@code null} for no webhook
 * @param alertFloodThreshold the flood guard's threshold: more alerts than this within the window send one summary
 * @param alertFloodWindow the flood guard's window, 1 s to 1 day
 * @param vmUrl the VictoriaMetrics base URL results are also pushed to, or {@code null} for none
 * @param vmUser the basic-auth user for {@code vmUrl}, or {@code null}
 * @param vmCompat the compatibility series written to {@code vmUrl} besides ward's own ({@code vm-compat})
 * @param webhookTimeout the webhook request timeout, 1 s to 5 min
 * @param notifyLog whether notifications are also written to the log
 * @param notifications the notifications file (receivers, routes, maintenance), or {@code null} for none
 * @param storage whether results are stored in PostgreSQL ({@code storage: postgres}, the default) or not ({@code off})
 * @param dbUrl the JDBC URL of an external PostgreSQL, or {@code null} for the embedded one
 * @param dbUser the PostgreSQL user for {@code dbUrl}, or {@code null} for the URL's or the driver's default
 * @param dbClaim whether the runner claims its database, so that a second runner on it is refused
 * @param cluster whether runners on the same external database share the fleet ({@link #clustered()})
 * @param zone this runner's zone, or {@code null} for none
 * @param dataDir where the embedded PostgreSQL ({@code pg/}) and the result spool ({@code spool/}) live
 * @param dbRetention how long stored results are kept, 1 day to 10 years
 * @param dbRollupRetention how long the hourly and daily roll-ups are kept, 1 day to 10 years
 * @param dbEventRetention how long state changes, resolved alerts and silences are kept, 1 day to 10 years
 * @param redisUrl the Redis URL of the shared cache tier ({@code redis://} or {@code rediss://}), or {@code null} for an L1-only cache
 * @param cacheTtl how long a device's cached state lives without being refreshed, 10 s to 1 day
 * @param snmpPort the UDP port of the devices' SNMP agents, 1-65535
 * @param snmpInterval the SNMP check interval, 1 s to 1 day
 * @param tcpChecks the TCP connect checks chosen by label selectors; never {@code null}
 * @param snmpChecks the SNMP checks chosen by label selectors, first match wins; never {@code null}
 * @param snmpV3 the SNMP v3 credentials of the {@code v3} rules, or {@code null} when no v3 user is set
 * @param snmpTraps the SNMP trap receiver's settings; never {@code null}
 * @param interfaceRoles the interface classification rules ({@code snmp-interface-rules}); never {@code null}
 * @param snmpTemplates the SNMP template directory and table bound; never {@code null}
 * @param encryptionKeys the keys of the SNMP credentials stored in the database, or {@code null} when {@code encryption-key} is unset
 * @param secrets the secrets that were set, by key; never {@code null}
 * @param effective every setting's effective value and origin, secrets masked, in table order
 */
public record RunSettings(Path configFile, Path inventory, InventorySource inventorySource, boolean allowLinkLocal,
                          Duration interval, HttpAddress http, HttpLimits httpLimits, boolean httpAllowInsecure,
                          int maxProbesInFlight,
                          int icmpPacketsPerSecond, Duration inventoryPoll, int downAfter, int upAfter, Duration recheckInterval,
                          Path alertRules,
                          Duration alertTick, boolean alertGroupReachability, URI webhookUrl, Duration webhookTimeout, int alertFloodThreshold, Duration alertFloodWindow,
                          URI vmUrl, String vmUser, VictoriaMetricsOptions.Compat vmCompat,
                          boolean notifyLog, Path notifications,
                          boolean storage, String dbUrl, String dbUser, boolean dbClaim, boolean cluster, String zone, Path dataDir, Duration dbRetention,
                          Duration dbRollupRetention, Duration dbEventRetention,
                          String redisUrl, Duration cacheTtl, int snmpPort, Duration snmpInterval,
                          List<TcpCheckRule> tcpChecks, List<SnmpCheckRule> snmpChecks, SnmpCredentials snmpV3, SnmpTraps snmpTraps,
                          InterfaceRoles interfaceRoles, SnmpTemplates snmpTemplates,
                          SecretKeys encryptionKeys, Map<String, Secret> secrets, List<Effective> effective) {

    /** The configuration file read when no other is named and it exists, in the working directory. */
    public static final String DEFAULT_CONFIG_FILE = "ward.yaml";
    /** The environment variable naming the configuration file. */
    public static final String CONFIG_ENV = "WARD_CONFIG";
    /** The key of the bearer token of the HTTP API. */
    public static final String HTTP_TOKEN = "http-token";
    /** The key of the webhook's HMAC secret. */
    public static final String WEBHOOK_SECRET = "webhook-secret";
    /** The key of the database password (reserved for the PostgreSQL storage). */
    public static final String DB_PASSWORD = "db-password";
    /** The key of the VictoriaMetrics basic-auth password. */
    public static final String VM_PASSWORD = "vm-password";
    /** The key of the VictoriaMetrics bearer token. */
    public static final String VM_TOKEN = "vm-token";
    /** The key of the Redis password (reserved for the Redis cache). */
    public static final String REDIS_PASSWORD = "redis-password";
    /** The key of the SNMP v1/v2c community of the {@code v1} and {@code v2c} rules of snmp-checks. */
    public static final String SNMP_COMMUNITY = "snmp-community";
    /** The key of the SNMP v1/v2c community the trap receiver accepts. */
    public static final String SNMP_TRAP_COMMUNITY = "snmp-trap-community";
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
     * Checks the components (each is described on the record) and copies its collections, so the
     * caller's later changes do not reach it.
     */
    public RunSettings {
        java.util.Objects.requireNonNull(snmpTraps, "snmpTraps");
        java.util.Objects.requireNonNull(interfaceRoles, "interfaceRoles");
        java.util.Objects.requireNonNull(snmpTemplates, "snmpTemplates");
        tcpChecks = List.copyOf(tcpChecks);
        snmpChecks = List.copyOf(snmpChecks);
        secrets = Map.copyOf(secrets);
        effective = List.copyOf(effective);
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
            if (!k.equals("config") && Settings.find(k).filter(x -> !x.secret()).isEmpty()) {
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
        for (Setting<?> k : Settings.ALL) {
            if (k.secret()) {
                Effective e = secret(k, fileValues, fileOrigin, env, secrets, problems);
                effective.add(e);
                continue;
            }
            if (k.defaultText() != null) {
                raw.put(k.key(), new String[] {k.defaultText(), "default"});
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
            effective.add(new Effective(k.key(), v == null ? null : Values.masked(k.key(), v[0]), v == null ? "default" : v[1]));
        }
        Path inventory = Settings.INVENTORY.resolve(raw, problems);
        Duration interval = Settings.INTERVAL.resolve(raw, problems);
        HttpAddress http = Settings.HTTP.resolve(raw, problems);
        Boolean httpAllowInsecure = Settings.HTTP_ALLOW_INSECURE.resolve(raw, problems);
        HttpLimits httpLimits = httpLimits(raw, problems);
        Integer inFlight = Settings.MAX_PROBES_IN_FLIGHT.resolve(raw, problems);
        Integer pps = Settings.ICMP_PPS.resolve(raw, problems);
        Duration poll = Settings.INVENTORY_POLL.resolve(raw, problems);
        Integer downAfter = Settings.DOWN_AFTER.resolve(raw, problems);
        Integer upAfter = Settings.UP_AFTER.resolve(raw, problems);
        Duration recheck = Settings.RECHECK_INTERVAL.resolve(raw, problems);
        if (recheck != null && !recheck.isZero() && recheck.compareTo(Duration.ofMillis(100)) < 0) {
            problems.add("recheck-interval = " + recheck.toMillis() + " ms: must be 0s (no re-checks) or 100 ms - 1 min");
        }
        Path rules = Settings.ALERT_RULES.resolve(raw, problems);
        Duration tick = Settings.ALERT_TICK.resolve(raw, problems);
        Boolean groupReachability = Settings.ALERT_GROUP_REACHABILITY.resolve(raw, problems);
        Integer floodThreshold = Settings.ALERT_FLOOD_THRESHOLD.resolve(raw, problems);
        Duration floodWindow = Settings.ALERT_FLOOD_WINDOW.resolve(raw, problems);
        URI webhook = Settings.WEBHOOK_URL.resolve(raw, problems);
        Duration webhookTimeout = Settings.WEBHOOK_TIMEOUT.resolve(raw, problems);
        URI vmUrl = Settings.VM_URL.resolve(raw, problems);
        String vmUser = Settings.VM_USER.resolve(raw, problems);
        VictoriaMetricsOptions.Compat vmCompat = Settings.VM_COMPAT.resolve(raw, problems);
        Boolean notifyLog = Settings.NOTIFY_LOG.resolve(raw, problems);
        Path notifications = Settings.NOTIFICATIONS.resolve(raw, problems);
        Boolean storage = Settings.STORAGE.resolve(raw, problems);
        String dbUrl = Settings.DB_URL.resolve(raw, problems);
        String dbUser = Settings.DB_USER.resolve(raw, problems);
        Boolean dbClaim = Settings.DB_CLAIM.resolve(raw, problems);
        Boolean cluster = Settings.CLUSTER.resolve(raw, problems);
        String zone = Settings.ZONE.resolve(raw, problems);
        if (zone != null && (!raw.containsKey("db-url") || Boolean.FALSE.equals(cluster) || Boolean.FALSE.equals(storage))) {
            problems.add("zone = '" + zone + "' (from " + raw.get("zone")[1] + "): needs cluster mode, that is db-url set, "
                    + "storage on and cluster true");
        }
        Path dataDir = Settings.DATA_DIR.resolve(raw, problems);
        Duration dbRetention = Settings.DB_RETENTION.resolve(raw, problems);
        Duration dbRollupRetention = Settings.DB_ROLLUP_RETENTION.resolve(raw, problems);
        Duration dbEventRetention = Settings.DB_EVENT_RETENTION.resolve(raw, problems);
        String redisUrl = Settings.REDIS_URL.resolve(raw, problems);
        Duration cacheTtl = Settings.CACHE_TTL.resolve(raw, problems);
        Integer snmpPort = Settings.SNMP_PORT.resolve(raw, problems);
        Duration snmpInterval = Settings.SNMP_INTERVAL.resolve(raw, problems);
        List<TcpCheckRule> tcpChecks = Settings.TCP_CHECKS.resolve(raw, problems);
        // only ward run and ward config poll SNMP, so only they read the rules file
        InterfaceRoles roles = checkSnmp ? InterfaceRoles.read(Settings.SNMP_INTERFACE_RULES.resolve(raw, problems), problems)
                : InterfaceRoles.NONE;
        Integer trapPort = Settings.SNMP_TRAP_PORT.resolve(raw, problems);
        java.net.InetAddress trapAddress = Settings.SNMP_TRAP_ADDRESS.resolve(raw, problems);
        Duration trapProbeGap = Settings.SNMP_TRAP_PROBE_GAP.resolve(raw, problems);
        Integer trapKeep = Settings.SNMP_TRAP_KEEP.resolve(raw, problems);
        Duration trapHold = Settings.SNMP_TRAP_HOLD.resolve(raw, problems);
        Integer trapQueue = Settings.SNMP_TRAP_QUEUE.resolve(raw, problems);
        Integer trapBuffer = Settings.SNMP_TRAP_RECEIVE_BUFFER.resolve(raw, problems);
        Path templatesDir = Settings.SNMP_TEMPLATES.resolve(raw, problems);
        Integer tableRows = Settings.SNMP_TABLE_ROWS.resolve(raw, problems);
        InventorySource source = Settings.INVENTORY_SOURCE.resolve(raw, problems);
        Boolean allowLinkLocal = Settings.ALLOW_LINK_LOCAL.resolve(raw, problems);
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
        List<SnmpCheckRule> snmpChecks = Settings.SNMP_CHECKS.resolve(raw, checkSnmp ? problems : new ArrayList<>());
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
        if (!raw.containsKey("vm-url") && (raw.containsKey("vm-user") || secrets.containsKey(VM_PASSWORD)
                || secrets.containsKey(VM_TOKEN))) {
            problems.add("vm-user, vm-password or vm-token is set but vm-url is not: set WARD_VM_URL (or vm-url) too");
        }
        if (vmUrl == null && vmCompat != null && vmCompat != VictoriaMetricsOptions.Compat.NONE) {
            problems.add("vm-compat is set but vm-url is not: set WARD_VM_URL (or vm-url) too");
        }
        if (raw.containsKey("vm-user") != secrets.containsKey(VM_PASSWORD)) {
            problems.add(raw.containsKey("vm-user") ? "vm-user is set but vm-password is not (WARD_VM_PASSWORD_FILE or "
                    + "WARD_VM_PASSWORD)" : "vm-password is set but vm-user is not");
        }
        if (raw.containsKey("vm-user") && secrets.containsKey(VM_TOKEN)) {
            problems.add("vm-user and vm-token are both set: VictoriaMetrics takes one kind of credentials, choose one");
        }
        if (secrets.containsKey(WEBHOOK_SECRET) && webhook == null && !raw.containsKey("webhook-url")) {
            problems.add("webhook-secret is set but webhook-url is not: set WARD_WEBHOOK_URL (or webhook-url) too");
        }
        if (checkSnmp) {
            // only ward run and ward config start the receiver, so only they check its settings
            snmpTrapProblems(raw, trapPort, v3, secrets, problems);
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
                inFlight, pps, poll, downAfter, upAfter, recheck, rules, tick, groupReachability,
                webhook, webhookTimeout, floodThreshold, floodWindow, vmUrl, vmUser, vmCompat, notifyLog, notifications, storage, dbUrl, dbUser, !Boolean.FALSE.equals(dbClaim), !Boolean.FALSE.equals(cluster), zone, dataDir, dbRetention, dbRollupRetention, dbEventRetention,
                redisUrl, cacheTtl,
                snmpPort, snmpInterval, tcpChecks == null ? List.of() : tcpChecks,
                snmpChecks == null ? List.of() : snmpChecks, v3,
                new SnmpTraps(trapPort, trapAddress, trapProbeGap, trapKeep, trapHold, trapQueue, trapBuffer), roles,
                new SnmpTemplates(templatesDir, tableRows), keys, secrets, effective);
    }

    /**
     * The interface classification rules of {@code snmp-interface-rules}.
     *
     * @param file the rules file, or {@code null} for none
     * @param rules the rules, first match wins; never {@code null}
     */
    public record InterfaceRoles(Path file, List<io.github.wardops.ward.snmp.poller.InterfaceRule> rules) {
        /** No rules file. */
        public static final InterfaceRoles NONE = new InterfaceRoles(null, List.of());
        /** The largest rules file read, 1 MiB. */
        public static final long MAX_BYTES = 1024 * 1024;

        /** Copies the rules. */
        public InterfaceRoles {
            rules = List.copyOf(rules);
        }

        /**
         * Reads and parses a rules file; every problem (each bad line with its number) is added.
         *
         * @param file the file, or {@code null} for none
         * @param problems where problems go
         * @return the rules; {@link #NONE} when there is no file or it has problems
         */
        static InterfaceRoles read(Path file, List<String> problems) {
            if (file == null) {
                return NONE;
            }
            String text;
            try {
                if (Files.size(file) > MAX_BYTES) {
                    problems.add("snmp-interface-rules " + file + ": larger than " + MAX_BYTES + " bytes");
                    return NONE;
                }
                text = Files.readString(file, java.nio.charset.StandardCharsets.UTF_8);
            } catch (java.nio.file.NoSuchFileException e) {
                problems.add("snmp-interface-rules " + file + ": no such file");
                return NONE;
            } catch (IOException | java.io.UncheckedIOException e) {
                problems.add("snmp-interface-rules " + file + ": cannot be read (" + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
                return NONE;
            }
            try {
                return new InterfaceRoles(file, io.github.wardops.ward.snmp.poller.InterfaceRule.parseAll(file.toString(), text));
            } catch (io.github.wardops.ward.InvalidConfigurationException e) {
                problems.add("snmp-interface-rules " + file + " has " + e.problems().size()
                        + (e.problems().size() == 1 ? " problem" : " problems") + ":");
                problems.addAll(e.problems());
                return NONE;
            }
        }
    }

    /**
     * The SNMP trap receiver's settings ({@code snmp-trap-*}).
     *
     * @param port the UDP port, 0 when the receiver is off
     * @param address the local address it binds to
     * @param probeGap the least time between two trap-triggered probes of one device
     * @param keep the latest traps kept in memory per device
     * @param hold how long a device's latest trap is its rules' variable {@code trap}
     * @param queue how many received traps may wait for the runner to handle them
     * @param receiveBufferBytes the receive buffer the trap socket asks for
     */
    public record SnmpTraps(int port, java.net.InetAddress address, Duration probeGap, int keep, Duration hold, int queue,
                            int receiveBufferBytes) {
        /** @return whether the receiver is on */
        public boolean on() {
            return port != 0;
        }
    }

    /**
     * The SNMP templates' settings ({@code snmp-templates}, {@code snmp-table-rows}).
     *
     * @param dir the directory of {@code *.tmpl} files, or {@code null} for the built-in templates only
     * @param maxTableRows the most rows read of one table per poll
     */
    public record SnmpTemplates(Path dir, int maxTableRows) {
    }

    /**
     * The credentials the trap receiver accepts: {@code snmp-trap-community}, and the
     * {@code snmp-v3-user} with its passphrases when it is set.
     *
     * @return the community, or empty
     */
    public Optional<Secret> snmpTrapCommunity() {
        return secret(SNMP_TRAP_COMMUNITY);
    }

    /**
     * Whether this runner shares the fleet with the other runners on its database: storage on, an
     * external {@code db-url} and {@code cluster} true. The embedded database is always one runner's.
     *
     * @return whether it does
     */
    public boolean clustered() {
        return storage && dbUrl != null && cluster;
    }

    /** The shortest bearer token accepted. */
    public static final int MIN_HTTP_TOKEN_CHARS = 16;

    /** The HTTP server's bounds; {@code null} when one of them is invalid (then in {@code problems}). */
    private static HttpLimits httpLimits(Map<String, String[]> raw, List<String> problems) {
        List<String> hosts = Settings.HTTP_HOSTS.resolve(raw, problems);
        Integer max = Settings.HTTP_MAX_CONNECTIONS.resolve(raw, problems);
        Integer perAddress = Settings.HTTP_MAX_CONNECTIONS_PER_ADDRESS.resolve(raw, problems);
        Integer requests = Settings.HTTP_MAX_CONCURRENT_REQUESTS.resolve(raw, problems);
        Duration header = Settings.HTTP_HEADER_TIMEOUT.resolve(raw, problems);
        Duration body = Settings.HTTP_BODY_TIMEOUT.resolve(raw, problems);
        Duration idle = Settings.HTTP_IDLE_TIMEOUT.resolve(raw, problems);
        Duration write = Settings.HTTP_WRITE_TIMEOUT.resolve(raw, problems);
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

    /** The trap receiver must accept something; its community needs its port. */
    private static void snmpTrapProblems(Map<String, String[]> raw, Integer trapPort, SnmpCredentials v3,
                                         Map<String, Secret> secrets, List<String> problems) {
        if (trapPort != null && trapPort != 0 && !secrets.containsKey(SNMP_TRAP_COMMUNITY)
                && !(v3 instanceof SnmpCredentials.Usm)) {
            problems.add("snmp-trap-port = " + trapPort + " (from " + raw.get("snmp-trap-port")[1] + "): the trap receiver "
                    + "would accept nothing: set snmp-trap-community (WARD_SNMP_TRAP_COMMUNITY or "
                    + "WARD_SNMP_TRAP_COMMUNITY_FILE) or snmp-v3-user");
        }
        if (Integer.valueOf(0).equals(trapPort) && secrets.containsKey(SNMP_TRAP_COMMUNITY)) {
            problems.add("snmp-trap-community is set but snmp-trap-port is not: set WARD_SNMP_TRAP_PORT (or "
                    + "snmp-trap-port) too");
        }
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
    private static Effective secret(Setting<?> k, Map<String, String> fileValues, String fileOrigin, Map<String, String> env,
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

}
