package io.github.wardops.ward.runner.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The setting flags shared by {@code ward run} and {@code ward config --print}. Values are kept
 * as text and validated together by
 * {@link io.github.wardops.ward.runner.config.RunSettings#resolve}. Secrets have no flag. Not
 * thread-safe (filled by picocli).
 */
public final class RunOptions {
    @Option(names = "--config", paramLabel = "FILE.yaml",
            description = "YAML configuration file (WARD_CONFIG). Default: ./ward.yaml when it exists. "
                    + "Environment variables override it, flags override both.")
    String config;

    @Option(names = "--inventory", paramLabel = "FILE.csv",
            description = "CSV inventory: id,name,address required; enabled, parent_id optional; other columns become labels. "
                    + "Default: the bundled fleet.")
    String inventory;

    @Option(names = "--inventory-source", paramLabel = "file|database|both",
            description = "Where the inventory comes from: the file (copied into the devices table), the devices table "
                    + "alone, or both (the file upserted into the table, every device of the table polled) (default: file).")
    String inventorySource;

    @Option(names = "--allow-link-local", paramLabel = "true|false",
            description = "Poll devices with link-local addresses (169.254.0.0/16, fe80::/10) (default: false). "
                    + "Multicast, broadcast and unspecified addresses are never polled.")
    String allowLinkLocal;

    @Option(names = "--interval", paramLabel = "DURATION",
            description = "ICMP check interval of every device, 1s-1d, such as 30s or 1m (default: 30s).")
    String interval;

    @Option(names = "--http", paramLabel = "HOST:PORT",
            description = "HTTP API listen address; port 0 picks a free port; 'off' disables it (default: 127.0.0.1:9090).")
    String http;

    @Option(names = "--http-allow-insecure", paramLabel = "true|false",
            description = "Allow the HTTP API on a non-loopback address without a bearer token: an open API, with a "
                    + "warning at every start (default: false: such a start is refused).")
    String httpAllowInsecure;

    @Option(names = "--http-hosts", paramLabel = "HOSTS",
            description = "Host header values answered besides loopback names and the address a request arrived on: "
                    + "NAME, NAME:PORT, [V6]:PORT, comma-separated, or * (default: none; others get 421).")
    String httpHosts;

    @Option(names = "--http-max-connections", paramLabel = "N",
            description = "The most HTTP connections open at once (default: 256).")
    String httpMaxConnections;

    @Option(names = "--http-max-connections-per-address", paramLabel = "N",
            description = "The most HTTP connections open at once from one client address, IPv6 by /64 (default: 32).")
    String httpMaxConnectionsPerAddress;

    @Option(names = "--http-max-concurrent-requests", paramLabel = "N",
            description = "The most HTTP requests handled at once, /health, /ready and the page excepted (default: 4).")
    String httpMaxConcurrentRequests;

    @Option(names = "--http-header-timeout", paramLabel = "DURATION",
            description = "Deadline for a request's line and headers (default: 10s).")
    String httpHeaderTimeout;

    @Option(names = "--http-body-timeout", paramLabel = "DURATION",
            description = "Deadline for a request's body, from the end of its headers (default: 10s).")
    String httpBodyTimeout;

    @Option(names = "--http-idle-timeout", paramLabel = "DURATION",
            description = "How long a kept-alive HTTP connection may wait for its next request (default: 30s).")
    String httpIdleTimeout;

    @Option(names = "--http-write-timeout", paramLabel = "DURATION",
            description = "Deadline for writing one HTTP answer (default: 30s).")
    String httpWriteTimeout;

    @Option(names = "--max-probes-in-flight", paramLabel = "N",
            description = "The most probes running at once (default: 4096).")
    String maxProbesInFlight;

    @Option(names = "--icmp-pps", paramLabel = "N",
            description = "The most ICMP echoes sent per second (default: 10000).")
    String icmpPps;

    @Option(names = "--inventory-poll", paramLabel = "DURATION",
            description = "How often the inventory file and the devices table are checked for changes (default: 2s).")
    String inventoryPoll;

    @Option(names = "--down-after", paramLabel = "N",
            description = "Failed cycles in a row that confirm a device DOWN, 1-100 (default: 3).")
    String downAfter;

    @Option(names = "--up-after", paramLabel = "N",
            description = "Successful cycles in a row that confirm a DOWN device UP again, 1-100 (default: 2).")
    String upAfter;

    @Option(names = "--alert-rules", paramLabel = "FILE.json",
            description = "Alert rules, in the format of the fleet's alert-rules.json (default: the bundled rules).")
    String alertRules;

    @Option(names = "--alert-tick", paramLabel = "DURATION",
            description = "How often alerting checks time-based conditions, 1s-1m (default: 5s).")
    String alertTick;

    @Option(names = "--webhook-url", paramLabel = "URL",
            description = "POST alert notifications as JSON to this http(s) URL; sign them with WARD_WEBHOOK_SECRET "
                    + "or WARD_WEBHOOK_SECRET_FILE (default: no webhook).")
    String webhookUrl;

    @Option(names = "--webhook-timeout", paramLabel = "DURATION",
            description = "The webhook request timeout, 1s-5m (default: 10s).")
    String webhookTimeout;

    @Option(names = "--notify-log", paramLabel = "true|false",
            description = "Also write alert notifications to the log (default: true).")
    String notifyLog;

    @Option(names = "--storage", paramLabel = "postgres|off",
            description = "Store results, devices and state in PostgreSQL, or not at all (default: postgres).")
    String storage;

    @Option(names = "--db-url", paramLabel = "JDBC-URL",
            description = "An external PostgreSQL, jdbc:postgresql://HOST:PORT/DB; password from WARD_DB_PASSWORD or "
                    + "WARD_DB_PASSWORD_FILE (default: the embedded PostgreSQL in DATA-DIR/pg).")
    String dbUrl;

    @Option(names = "--db-user", paramLabel = "USER", description = "The PostgreSQL user for --db-url.")
    String dbUser;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Directory of the embedded PostgreSQL (pg/) and of the result spool (spool/) (default: ward-data).")
    String dataDir;

    @Option(names = "--db-retention", paramLabel = "DURATION",
            description = "How long stored results are kept, 1d-3650d (default: 30d).")
    String dbRetention;

    @Option(names = "--redis-url", paramLabel = "URL",
            description = "Redis for the shared cache tier, redis://HOST:PORT or rediss://HOST:PORT; password from "
                    + "WARD_REDIS_PASSWORD or WARD_REDIS_PASSWORD_FILE (default: in-process cache only).")
    String redisUrl;

    @Option(names = "--cache-ttl", paramLabel = "DURATION",
            description = "How long a device's cached state lives without a refresh, 10s-1d (default: 5m).")
    String cacheTtl;

    @Option(names = "--snmp-port", paramLabel = "PORT",
            description = "UDP port of the devices' SNMP agents (default: 161).")
    String snmpPort;

    @Option(names = "--tcp-checks", paramLabel = "RULES",
            description = "TCP connect checks by label selector: 'SELECTOR => PORT[,PORT]; ...', for example "
                    + "'device_type in (ATM, Paybox) => 443; * => 22' (default: none).")
    String tcpChecks;

    @Option(names = "--snmp-interval", paramLabel = "DURATION",
            description = "SNMP check interval (default: 60s).")
    String snmpInterval;

    @Option(names = "--snmp-checks", paramLabel = "RULES",
            description = "SNMP checks by label selector, first match wins: 'SELECTOR => v1|v2c|v3; ...'; v1 and v2c use "
                    + "WARD_SNMP_COMMUNITY, v3 the --snmp-v3-* settings; 'none' turns SNMP off "
                    + "(default: snmp_version = 1 => v1; snmp_version in (2c, 2C) => v2c; snmp_version = 3 => v3).")
    String snmpChecks;

    @Option(names = "--snmp-v3-user", paramLabel = "USER", description = "SNMP v3 user of the v3 rules.")
    String snmpV3User;

    @Option(names = "--snmp-v3-level", paramLabel = "LEVEL",
            description = "SNMP v3 security level: noAuthNoPriv, authNoPriv or authPriv (default: from the passphrases set).")
    String snmpV3Level;

    @Option(names = "--snmp-v3-auth-protocol", paramLabel = "PROTOCOL",
            description = "SNMP v3 authentication: MD5, SHA, SHA-224, SHA-256, SHA-384, SHA-512; passphrase from "
                    + "WARD_SNMP_V3_AUTH_PASSPHRASE or WARD_SNMP_V3_AUTH_PASSPHRASE_FILE.")
    String snmpV3AuthProtocol;

    @Option(names = "--snmp-v3-priv-protocol", paramLabel = "PROTOCOL",
            description = "SNMP v3 privacy: DES, AES, AES-192, AES-256; passphrase from WARD_SNMP_V3_PRIV_PASSPHRASE or "
                    + "WARD_SNMP_V3_PRIV_PASSPHRASE_FILE.")
    String snmpV3PrivProtocol;

    /** Creates empty options. */
    public RunOptions() {
    }

    /**
     * The flags given, by setting key ({@code config} for the file).
     *
     * @return key to value; unset flags are left out
     */
    public Map<String, String> flags() {
        Map<String, String> f = new LinkedHashMap<>();
        put(f, "config", config);
        put(f, "inventory", inventory);
        put(f, "inventory-source", inventorySource);
        put(f, "allow-link-local", allowLinkLocal);
        put(f, "interval", interval);
        put(f, "http", http);
        put(f, "http-allow-insecure", httpAllowInsecure);
        put(f, "http-hosts", httpHosts);
        put(f, "http-max-connections", httpMaxConnections);
        put(f, "http-max-connections-per-address", httpMaxConnectionsPerAddress);
        put(f, "http-max-concurrent-requests", httpMaxConcurrentRequests);
        put(f, "http-header-timeout", httpHeaderTimeout);
        put(f, "http-body-timeout", httpBodyTimeout);
        put(f, "http-idle-timeout", httpIdleTimeout);
        put(f, "http-write-timeout", httpWriteTimeout);
        put(f, "max-probes-in-flight", maxProbesInFlight);
        put(f, "icmp-pps", icmpPps);
        put(f, "inventory-poll", inventoryPoll);
        put(f, "down-after", downAfter);
        put(f, "up-after", upAfter);
        put(f, "alert-rules", alertRules);
        put(f, "alert-tick", alertTick);
        put(f, "webhook-url", webhookUrl);
        put(f, "webhook-timeout", webhookTimeout);
        put(f, "notify-log", notifyLog);
        put(f, "storage", storage);
        put(f, "db-url", dbUrl);
        put(f, "db-user", dbUser);
        put(f, "data-dir", dataDir);
        put(f, "db-retention", dbRetention);
        put(f, "redis-url", redisUrl);
        put(f, "cache-ttl", cacheTtl);
        put(f, "snmp-port", snmpPort);
        put(f, "tcp-checks", tcpChecks);
        put(f, "snmp-interval", snmpInterval);
        put(f, "snmp-checks", snmpChecks);
        put(f, "snmp-v3-user", snmpV3User);
        put(f, "snmp-v3-level", snmpV3Level);
        put(f, "snmp-v3-auth-protocol", snmpV3AuthProtocol);
        put(f, "snmp-v3-priv-protocol", snmpV3PrivProtocol);
        return f;
    }

    private static void put(Map<String, String> m, String k, String v) {
        if (v != null) {
            m.put(k, v);
        }
    }
}
