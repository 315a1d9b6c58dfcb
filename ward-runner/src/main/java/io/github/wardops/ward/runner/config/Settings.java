package io.github.wardops.ward.runner.config;

import io.github.wardops.ward.Secret;
import io.github.wardops.ward.Ward;
import io.github.wardops.ward.alert.WebhookOptions;
import io.github.wardops.ward.inventory.Check;
import io.github.wardops.ward.postgres.EmbeddedDatabase;
import io.github.wardops.ward.postgres.PostgresOptions;
import io.github.wardops.ward.probe.IcmpOptions;
import io.github.wardops.ward.runner.http.server.HttpLimits;
import io.github.wardops.ward.snmp.SnmpTarget;
import io.github.wardops.ward.snmp.poller.SnmpOptions;
import io.github.wardops.ward.state.StateTracker;
import io.github.wardops.ward.victoriametrics.VictoriaMetricsOptions;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Every setting of {@code ward run}, declared once. The picocli flags
 * ({@code cli.RunOptions}), the environment variables and YAML keys {@link RunSettings#resolve}
 * reads, the defaults (the library's constants where the library has one), {@code --help} and
 * the settings tables of {@code docs/configuration.md} all come from {@link #ALL}.
 */
public final class Settings {
    /** How often the inventory file and the devices table are checked for changes, by default: 2 s. */
    public static final Duration DEFAULT_INVENTORY_POLL = Duration.ofSeconds(2);
    /** How often alerting checks time-based conditions, by default: 5 s. */
    public static final Duration DEFAULT_ALERT_TICK = Duration.ofSeconds(5);
    /** How long a device's cached state lives without a refresh, by default: 5 min. */
    public static final Duration DEFAULT_CACHE_TTL = Duration.ofMinutes(5);
    /** The UDP port of the devices' SNMP agents, by default: {@value SnmpTarget#DEFAULT_PORT}. */
    public static final int DEFAULT_SNMP_PORT = SnmpTarget.DEFAULT_PORT;
    /** The SNMP check interval, by default: {@link SnmpOptions#DEFAULT_INTERVAL} (60 s). */
    public static final Duration DEFAULT_SNMP_INTERVAL = SnmpOptions.DEFAULT_INTERVAL;

    private Settings() {
    }

    /** {@code --inventory}, {@code WARD_INVENTORY}, YAML {@code inventory}. */
    public static final Setting<Path> INVENTORY = Setting.of("inventory", Values.PATH)
            .label("FILE.csv")
            .shownAs("the bundled fleet")
            .help("CSV inventory: id,name,address required; enabled, parent_id optional; other columns "
                + "become labels. Default: the bundled fleet.")
            .doc("The CSV inventory. Columns `id` (UUID), `name`, `address` (IP literal) are required; "
                + "`enabled` (`true`/`false`) and `parent_id` (the id of the device this one sits behind, such as its "
                + "branch router) are optional; every other column becomes a label. UTF-8, lines of at most 64 KiB, no "
                + "control characters, no address ward never probes ([what an inventory may "
                + "hold](#what-an-inventory-may-hold)). Bad rows are all reported with line numbers and nothing "
                + "starts. The file is re-read when it changes (see below). Without it, the bundled 875-device fleet "
                + "(addresses remapped into 127.0.0.0/8) is polled.")
            .build();

    /** {@code --inventory-source}, {@code WARD_INVENTORY_SOURCE}, YAML {@code inventory-source}. */
    public static final Setting<InventorySource> INVENTORY_SOURCE = Setting.of("inventory-source", Values.INVENTORY_SOURCE)
            .label("file|database|both")
            .byDefault(InventorySource.FILE)
            .help("Where the inventory comes from: the file (copied into the devices table), the devices "
                + "table alone, or both (the file upserted into the table, every device of the table polled) "
                + "(default: {default}).")
            .doc("Where the inventory comes from (see [Inventory sources](#inventory-sources)): `file` (the "
                + "`inventory` file or the bundled fleet; copied into the `devices` table when storage is on), "
                + "`database` (the `devices` table alone; `inventory` must be unset) or `both` (the file upserted into "
                + "the table, every device of the table polled). `database` and `both` need storage.")
            .build();

    /** {@code --allow-link-local}, {@code WARD_ALLOW_LINK_LOCAL}, YAML {@code allow-link-local}. */
    public static final Setting<Boolean> ALLOW_LINK_LOCAL = Setting.of("allow-link-local", Values.BOOLEAN)
            .label("true|false")
            .byDefault(false)
            .help("Poll devices with link-local addresses (169.254.0.0/16, fe80::/10) (default: {default}). "
                + "Multicast, broadcast and unspecified addresses are never polled.")
            .doc("Poll devices with link-local addresses (`169.254.0.0/16`, `fe80::/10`). Off, such a row "
                + "is rejected with its line number (file) or as a row ward cannot use (`devices` table). A link-local "
                + "address names a different host on every network segment, so polling one is a deliberate choice. "
                + "Multicast, broadcast and unspecified addresses are never polled, whatever this says.")
            .build();

    /** {@code --interval}, {@code WARD_INTERVAL}, YAML {@code interval}. */
    public static final Setting<Duration> INTERVAL = Setting.of("interval", Values.duration(Duration.ofSeconds(1), Duration.ofDays(1)))
            .label("DURATION")
            .byDefault(Check.DEFAULT_INTERVAL)
            .help("ICMP check interval of every device, 1s-1d, such as 30s or 1m (default: {default}).")
            .doc("The ICMP check interval of every device, 1 s to 1 day. Each probe sends 3 echoes 200 ms "
                + "apart and waits up to 1 s for each reply.")
            .build();

    /** {@code --http}, {@code WARD_HTTP}, YAML {@code http}. */
    public static final Setting<HttpAddress> HTTP = Setting.of("http", Values.HTTP_ADDRESS)
            .label("HOST:PORT")
            .byDefault(HttpAddress.DEFAULT)
            .help("HTTP API listen address; port 0 picks a free port; 'off' disables it (default: {default}).")
            .doc("Where the HTTP API listens ([api.md](api.md)): an IP literal or `localhost`, IPv6 in "
                + "brackets (`[::1]:9090`); port `0` picks a free port; `off` turns HTTP off. An address other than "
                + "loopback (`0.0.0.0:9090`, a LAN address) needs `http-token`, or the start is refused (exit 2) with "
                + "how to set one.")
            .build();

    /** {@code --http-allow-insecure}, {@code WARD_HTTP_ALLOW_INSECURE}, YAML {@code http-allow-insecure}. */
    public static final Setting<Boolean> HTTP_ALLOW_INSECURE = Setting.of("http-allow-insecure", Values.BOOLEAN)
            .label("true|false")
            .byDefault(false)
            .help("Allow the HTTP API on a non-loopback address without a bearer token: an open API, with a "
                + "warning at every start (default: {default}: such a start is refused).")
            .doc("`true` serves the API on an address other than loopback **without** a token: an open API "
                + "that anyone who reaches it can read and use to acknowledge alerts. The runner logs a WARN line "
                + "saying so at every start.")
            .build();

    /** {@code --http-hosts}, {@code WARD_HTTP_HOSTS}, YAML {@code http-hosts}. */
    public static final Setting<List<String>> HTTP_HOSTS = Setting.of("http-hosts", Values.HTTP_HOSTS)
            .label("HOSTS")
            .shownAs("none")
            .help("Host header values answered besides loopback names and the address a request arrived on: "
                + "NAME, NAME:PORT, [V6]:PORT, comma-separated, or * (default: none; others get 421).")
            .doc("`Host` header values the API answers besides `localhost`, `127.0.0.1`, `[::1]` and the IP "
                + "address a request arrived on (each with any port): a comma-separated list of `NAME` (any port), "
                + "`NAME:PORT`, `[IPV6]:PORT`, or `*` for any host. Every other `Host` gets `421` (against DNS "
                + "rebinding: a page on another site cannot reach the API through a name of its own). Set it to the "
                + "names clients use, such as `ward.example.org` behind a reverse proxy that passes the `Host` on.")
            .build();

    /** {@code --http-max-connections}, {@code WARD_HTTP_MAX_CONNECTIONS}, YAML {@code http-max-connections}. */
    public static final Setting<Integer> HTTP_MAX_CONNECTIONS = Setting.of("http-max-connections", Values.integer(1, 10_000))
            .label("N")
            .byDefault(HttpLimits.DEFAULTS.maxConnections())
            .help("The most HTTP connections open at once (default: {default}).")
            .doc("The most HTTP connections open at once (1-10,000). When all are taken, the one that has "
                + "waited longest without sending a complete request (else the request that has waited longest for a "
                + "slot) is closed to make room for the new one; when every one is being answered, the new one is "
                + "closed at once. Both are counted. Each open connection has a thread.")
            .build();

    /** {@code --http-max-connections-per-address}, {@code WARD_HTTP_MAX_CONNECTIONS_PER_ADDRESS}, YAML {@code http-max-connections-per-address}. */
    public static final Setting<Integer> HTTP_MAX_CONNECTIONS_PER_ADDRESS = Setting.of("http-max-connections-per-address", Values.integer(1, 10_000))
            .label("N")
            .byDefault(HttpLimits.DEFAULTS.maxConnectionsPerAddress())
            .help("The most HTTP connections open at once from one client address, IPv6 by /64 "
                + "(default: {default}).")
            .doc("The most HTTP connections open at once from one client address (IPv6: from one /64), at "
                + "most `http-max-connections`; one more is closed at once and counted. Behind a reverse proxy every "
                + "connection comes from the proxy's address: raise it to the proxy's pool size.")
            .build();

    /** {@code --http-max-concurrent-requests}, {@code WARD_HTTP_MAX_CONCURRENT_REQUESTS}, YAML {@code http-max-concurrent-requests}. */
    public static final Setting<Integer> HTTP_MAX_CONCURRENT_REQUESTS = Setting.of("http-max-concurrent-requests", Values.integer(1, 1024))
            .label("N")
            .byDefault(HttpLimits.DEFAULTS.maxConcurrentRequests())
            .help("The most HTTP requests handled at once, /health and /ready excepted "
                + "(default: {default}).")
            .doc("The most HTTP requests handled at once (1-1,024); `/health` and `/ready` are answered outside "
                + "this limit (the status page is not: it carries its first data). A request waits up to 1 s for a "
                + "slot, then gets `503` with `Retry-After: 1`.")
            .build();

    /** {@code --http-header-timeout}, {@code WARD_HTTP_HEADER_TIMEOUT}, YAML {@code http-header-timeout}. */
    public static final Setting<Duration> HTTP_HEADER_TIMEOUT = Setting.of("http-header-timeout", Values.duration(Duration.ofMillis(100), Duration.ofMinutes(10)))
            .label("DURATION")
            .byDefault(HttpLimits.DEFAULTS.headerTimeout())
            .help("Deadline for a request's line and headers (default: {default}).")
            .doc("The deadline for a request's line and headers (100 ms to 10 min), counted from the "
                + "connection's accept, or on a kept-alive connection from the request's first byte. A deadline, not "
                + "an idle timeout: sending a byte now and then does not extend it. Late: `408` and the connection is "
                + "closed (without an answer when nothing was sent).")
            .build();

    /** {@code --http-body-timeout}, {@code WARD_HTTP_BODY_TIMEOUT}, YAML {@code http-body-timeout}. */
    public static final Setting<Duration> HTTP_BODY_TIMEOUT = Setting.of("http-body-timeout", Values.duration(Duration.ofMillis(100), Duration.ofMinutes(10)))
            .label("DURATION")
            .byDefault(HttpLimits.DEFAULTS.bodyTimeout())
            .help("Deadline for a request's body, from the end of its headers (default: {default}).")
            .doc("The deadline for a request's body, from the end of its headers (100 ms to 10 min). Late: "
                + "`408`, closed.")
            .build();

    /** {@code --http-idle-timeout}, {@code WARD_HTTP_IDLE_TIMEOUT}, YAML {@code http-idle-timeout}. */
    public static final Setting<Duration> HTTP_IDLE_TIMEOUT = Setting.of("http-idle-timeout", Values.duration(Duration.ofMillis(100), Duration.ofHours(1)))
            .label("DURATION")
            .byDefault(HttpLimits.DEFAULTS.idleTimeout())
            .help("How long a kept-alive HTTP connection may wait for its next request (default: {default}).")
            .doc("How long a kept-alive connection may wait for its next request (100 ms to 1 h); then it "
                + "is closed (counted in `ward_http_idle_closed_total`, not logged).")
            .build();

    /** {@code --http-write-timeout}, {@code WARD_HTTP_WRITE_TIMEOUT}, YAML {@code http-write-timeout}. */
    public static final Setting<Duration> HTTP_WRITE_TIMEOUT = Setting.of("http-write-timeout", Values.duration(Duration.ofSeconds(1), Duration.ofHours(1)))
            .label("DURATION")
            .byDefault(HttpLimits.DEFAULTS.writeTimeout())
            .help("Deadline for writing one HTTP answer (default: {default}).")
            .doc("The deadline for writing one answer (1 s to 1 h); a client that does not take it is "
                + "disconnected.")
            .build();

    /** {@code --max-probes-in-flight}, {@code WARD_MAX_PROBES_IN_FLIGHT}, YAML {@code max-probes-in-flight}. */
    public static final Setting<Integer> MAX_PROBES_IN_FLIGHT = Setting.of("max-probes-in-flight", Values.integer(1, 1_000_000))
            .label("N")
            .byDefault(Ward.DEFAULT_MAX_PROBES_IN_FLIGHT)
            .help("The most probes running at once (default: {default}).")
            .doc("The most probes running at once (1-1,000,000).")
            .build();

    /** {@code --icmp-pps}, {@code WARD_ICMP_PPS}, YAML {@code icmp-pps}. */
    public static final Setting<Integer> ICMP_PPS = Setting.of("icmp-pps", Values.integer(1, 1_000_000))
            .label("N")
            .byDefault(IcmpOptions.DEFAULT_PACKETS_PER_SECOND)
            .help("The most ICMP echoes sent per second (default: {default}).")
            .doc("The most ICMP echoes sent per second (1-1,000,000). ward paces at twice what the inventory's ICMP "
                    + "checks plan (devices × echoes ÷ interval; at least 1,000 a second), never above this cap: 100,000 "
                    + "devices × 3 echoes every 30 s plan 10,000 a second and are paced at 20,000. When the plan alone "
                    + "exceeds the cap, a WARN line says so at start and at every inventory change; an echo that waits "
                    + "more than a second for its turn is counted in `ward_icmp_delayed_total` and logged at WARN (at "
                    + "most once a minute), with the numbers.")
            .build();

    /** {@code --inventory-poll}, {@code WARD_INVENTORY_POLL}, YAML {@code inventory-poll}. */
    public static final Setting<Duration> INVENTORY_POLL = Setting.of("inventory-poll", Values.duration(Duration.ofMillis(100), Duration.ofHours(1)))
            .label("DURATION")
            .byDefault(DEFAULT_INVENTORY_POLL)
            .help("How often the inventory file and the devices table are checked for changes "
                + "(default: {default}).")
            .doc("How often the inventory file (its modification time and size) and the `devices` table "
                + "(its version counter, one single-row query) are checked for changes (100 ms to 1 h).")
            .build();

    /** {@code --down-after}, {@code WARD_DOWN_AFTER}, YAML {@code down-after}. */
    public static final Setting<Integer> DOWN_AFTER = Setting.of("down-after", Values.integer(1, 100))
            .label("N")
            .byDefault(StateTracker.DEFAULT_DOWN_AFTER)
            .help("Failed probes in a row (re-checks included) that confirm a device DOWN, 1-100 (default: {default}).")
            .doc("Failed probes in a row that confirm a device `DOWN` (1-100); re-checks (`recheck-interval`) count, "
                + "so with the defaults a device is confirmed about 8 s after its first failed probe. `downSince` "
                + "is still the first failed probe.")
            .build();

    /** {@code --up-after}, {@code WARD_UP_AFTER}, YAML {@code up-after}. */
    public static final Setting<Integer> UP_AFTER = Setting.of("up-after", Values.integer(1, 100))
            .label("N")
            .byDefault(StateTracker.DEFAULT_UP_AFTER)
            .help("Successful probes in a row that confirm a DOWN device UP again, 1-100 "
                + "(default: {default}).")
            .doc("Successful probes in a row (re-checks included) that confirm a `DOWN` device `UP` again "
                + "(1-100; from `UNKNOWN`, one success is enough).")
            .build();

    /** {@code --recheck-interval}, {@code WARD_RECHECK_INTERVAL}, YAML {@code recheck-interval}. */
    public static final Setting<Duration> RECHECK_INTERVAL = Setting.of("recheck-interval",
                    Values.duration(Duration.ZERO, Duration.ofMinutes(1)))
            .label("DURATION")
            .byDefault(io.github.wardops.ward.Ward.DEFAULT_RECHECK_INTERVAL)
            .help("After a failed probe, re-check the device this soon until down-after failures confirm DOWN "
                + "(likewise for recovery); 0s for none (default: {default}).")
            .doc("After a probe whose outcome is a change (a failure of an `UP` device, a success of a `DOWN` one), "
                + "the device is re-checked this soon, again and again, until `down-after` (or `up-after`) probes "
                + "in a row confirm it or it flips back; then it returns to its interval. Nagios's "
                + "`retry_interval`. `0s` turns re-checks off; otherwise 100 ms to 1 min.")
            .build();

    /** {@code --alert-rules}, {@code WARD_ALERT_RULES}, YAML {@code alert-rules}. */
    public static final Setting<Path> ALERT_RULES = Setting.of("alert-rules", Values.PATH)
            .label("FILE.json")
            .shownAs("the bundled rules")
            .help("Alert rules, in the format of the fleet's alert-rules.json (default: the bundled rules).")
            .doc("Alert rules in the format of the fleet's `alert-rules.json` (a JSON array of rules with "
                + "`name`, `expression`, `severity`, optional `enabled`, `selector`, `group`...; see "
                + "[state-and-alerts.md](state-and-alerts.md)). The bundled file is the fleet's four rules. A rule "
                + "that does not parse is logged at ERROR with its name, the column and what was expected, and the "
                + "others still apply; a file that is missing or not a JSON list of rules is a configuration error "
                + "(exit 2). The file is read again when it changes or on `SIGHUP`; then it is all or nothing: a file "
                + "with any rule that does not parse changes nothing and is logged at ERROR with every problem. Rules "
                + "kept by name keep their open alerts; an alert whose rules are gone resolves.")
            .build();

    /** {@code --alert-tick}, {@code WARD_ALERT_TICK}, YAML {@code alert-tick}. */
    public static final Setting<Duration> ALERT_TICK = Setting.of("alert-tick", Values.duration(Duration.ofSeconds(1), Duration.ofMinutes(1)))
            .label("DURATION")
            .byDefault(DEFAULT_ALERT_TICK)
            .help("How often alerting checks time-based conditions, 1s-1m (default: {default}).")
            .doc("How often alerting checks time-based conditions without a new result (the end of a "
                + "notification flood), 1 s to 1 min.")
            .build();

    /** {@code --alert-group-reachability}, {@code WARD_ALERT_GROUP_REACHABILITY}, YAML {@code alert-group-reachability}. */
    public static final Setting<Boolean> ALERT_GROUP_REACHABILITY = Setting.of("alert-group-reachability", Values.BOOLEAN)
            .label("true|false")
            .byDefault(true)
            .help("Make a device's up/down rules one problem: one alert per outage that escalates as they match "
                + "(default: {default}).")
            .doc("Whether a device's up/down rules (those reading `ping_unreachable` or `status`) without a "
                + "`group` form one problem, group `reachability`: one alert per outage that carries the highest "
                + "severity of the rules that match and escalates, with one notification, as each further rule "
                + "matches (see [state-and-alerts.md](state-and-alerts.md)). `false`: one alert per rule, as "
                + "before. Rules with a `group` keep it either way.")
            .build();

    /** {@code --alert-flood-threshold}, {@code WARD_ALERT_FLOOD_THRESHOLD}, YAML {@code alert-flood-threshold}. */
    public static final Setting<Integer> ALERT_FLOOD_THRESHOLD = Setting.of("alert-flood-threshold", Values.integer(1, 1_000_000))
            .label("N")
            .byDefault(50)
            .help("The flood guard: more than N alerts opened within alert-flood-window send one summary instead "
                + "(default: {default}).")
            .doc("The flood guard's threshold, 1-1,000,000: when more than this many alerts open within "
                + "`alert-flood-window`, notifiers get one `alerts.flood` summary instead of each, until the "
                + "rate falls back (see [state-and-alerts.md](state-and-alerts.md)). Alerts still open and are "
                + "recorded; held notifications are counted (`ward_alerts_flood_suppressed_total`).")
            .build();

    /** {@code --alert-flood-window}, {@code WARD_ALERT_FLOOD_WINDOW}, YAML {@code alert-flood-window}. */
    public static final Setting<Duration> ALERT_FLOOD_WINDOW = Setting.of("alert-flood-window",
                    Values.duration(Duration.ofSeconds(1), Duration.ofDays(1)))
            .label("DURATION")
            .byDefault(Duration.ofMinutes(1))
            .help("The flood guard's window, 1s-1d (default: {default}).")
            .doc("The window of `alert-flood-threshold`, 1 s to 1 day.")
            .build();

    /** {@code --webhook-url}, {@code WARD_WEBHOOK_URL}, YAML {@code webhook-url}. */
    public static final Setting<URI> WEBHOOK_URL = Setting.of("webhook-url", Values.WEBHOOK_URL)
            .label("URL")
            .shownAs("none")
            .help("POST alert notifications as JSON to this http(s) URL; sign them with WARD_WEBHOOK_SECRET "
                + "or WARD_WEBHOOK_SECRET_FILE (default: no webhook).")
            .doc("POST every alert notification as JSON to this `http` or `https` URL (with retries and "
                + "backoff). It must not hold credentials (user information, or a parameter whose name holds "
                + "`password`): such a URL is refused, naming the setting but not the value; sign requests with "
                + "`webhook-secret` instead.")
            .build();

    /** {@code --webhook-timeout}, {@code WARD_WEBHOOK_TIMEOUT}, YAML {@code webhook-timeout}. */
    public static final Setting<Duration> WEBHOOK_TIMEOUT = Setting.of("webhook-timeout", Values.duration(Duration.ofSeconds(1), Duration.ofMinutes(5)))
            .label("DURATION")
            .byDefault(WebhookOptions.DEFAULT_TIMEOUT)
            .help("The webhook request timeout, 1s-5m (default: {default}).")
            .doc("The webhook request timeout, 1 s to 5 min.")
            .build();

    /** {@code --vm-url}, {@code WARD_VM_URL}, YAML {@code vm-url}. */
    public static final Setting<URI> VM_URL = Setting.of("vm-url", Values.VM_URL)
            .label("URL")
            .shownAs("none")
            .help("Also push every result to VictoriaMetrics at this base URL: http://HOST:8428 (single node), "
                + "http://VMINSERT:8480/insert/0/prometheus (cluster) (default: none).")
            .doc("Also push every probe result as time series (the replaced system's `device_ping_status`, "
                + "`device_ping_rtt_ms`, ..., ward's `interface_*`; its interface counters with `vm-compat`) to VictoriaMetrics' "
                + "`/api/v1/import/prometheus` under this `http` or `https` base URL, beside PostgreSQL: "
                + "`http://HOST:8428` for a single node, `http://VMINSERT:8480/insert/0/prometheus` for the "
                + "cluster version (tenant 0), vmagent or vmauth in front alike (see "
                + "[victoriametrics.md](victoriametrics.md)). Samples carry `device_id`, `device_ip`, "
                + "`device_name`, `device_type`, `region` and `branch`, and no runner label, so a device keeps "
                + "its series whichever runner polls it. Bounded: a buffer of 100,000 samples sent in batches of "
                + "10,000 with retries and backoff; what cannot be sent is dropped and counted "
                + "(`ward_export_samples_dropped_total`). Credentials are never "
                + "in the URL (refused, naming the setting but not the value): `vm-user` with `vm-password`, or "
                + "`vm-token`.")
            .build();

    /** {@code --vm-compat}, {@code WARD_VM_COMPAT}, YAML {@code vm-compat}. */
    public static final Setting<VictoriaMetricsOptions.Compat> VM_COMPAT = Setting.of("vm-compat", Values.VM_COMPAT)
            .label("none|v1")
            .byDefault(VictoriaMetricsOptions.Compat.NONE)
            .help("With --vm-url, also write the replaced system's interface series: v1 = raw counters "
                + "(interface_if_hc_in_octets, ...) and interface_type/isp_provider labels (default: {default}).")
            .doc("With `vm-url`, what is written besides ward's own series so that the replaced system's "
                + "dashboards keep working. `none`: ward's series only. `v1`: also the raw interface counters "
                + "under the old names (`interface_if_hc_in_octets`, `interface_if_hc_out_octets`, "
                + "`interface_if_in_errors`, `interface_if_out_errors`, ...; rates at query time with `rate()`), "
                + "and on every interface series the `interface_type` (classification role) and `isp_provider` "
                + "(the rule's `provider` group; `\"\"` when none) labels; up to 11 more samples per interface "
                + "and poll. See [victoriametrics.md](victoriametrics.md#compatibility-with-the-replaced-systems-dashboards-compat-v1).")
            .build();

    /** {@code --vm-user}, {@code WARD_VM_USER}, YAML {@code vm-user}. */
    public static final Setting<String> VM_USER = Setting.of("vm-user", Values.NON_EMPTY)
            .label("USER")
            .shownAs("none")
            .help("The basic-auth user for --vm-url (with WARD_VM_PASSWORD_FILE).")
            .doc("The HTTP basic-auth user for `vm-url` (vmauth or a proxy in front); needs `vm-password`.")
            .build();

    /** {@code --notify-log}, {@code WARD_NOTIFY_LOG}, YAML {@code notify-log}. */
    public static final Setting<Boolean> NOTIFY_LOG = Setting.of("notify-log", Values.BOOLEAN)
            .label("true|false")
            .byDefault(true)
            .help("Also write alert notifications to the log (default: {default}).")
            .doc("Also write every notification as one INFO log line (logger "
                + "`io.github.wardops.ward.alert.notifications`).")
            .build();

    /** {@code --notifications}, {@code WARD_NOTIFICATIONS}, YAML {@code notifications}. */
    public static final Setting<Path> NOTIFICATIONS = Setting.of("notifications", Values.PATH)
            .label("FILE.yaml")
            .shownAs("none")
            .help("Route notifications: receivers, routes, grouping, escalation and maintenance windows from this "
                + "YAML file, reloaded when it changes or on SIGHUP (default: none, every notifier gets everything).")
            .doc("Routes notifications by the receivers, routes and maintenance windows of this YAML file (see "
                + "[notifications.md](notifications.md)): email, Slack, Teams, Telegram and webhook receivers, a tree "
                + "of label matchers with grouping, repeat and escalation, and recurring maintenance windows with a "
                + "time zone. Silences come through the API. The file is checked whole at start (a problem is a "
                + "configuration error, exit 2) and re-read when it changes or on `SIGHUP`: a file with any problem "
                + "changes nothing and is logged at ERROR with every problem. Secrets are never in the file: each "
                + "receiver names files holding them (`password-file`, `token-file`, `url-file`, `secret-file`).")
            .build();

    /** {@code --storage}, {@code WARD_STORAGE}, YAML {@code storage}. */
    public static final Setting<Boolean> STORAGE = Setting.of("storage", Values.STORAGE)
            .label("postgres|off")
            .byDefault(true)
            .help("Store results, devices and state in PostgreSQL, or not at all (default: {default}).")
            .doc("Where results, devices and state are stored. `postgres`: the embedded PostgreSQL in "
                + "`data-dir/pg`, or the server of `db-url` when set (see [Storage](#storage-postgresql)). `off`: "
                + "nothing is stored (the HTTP API still works from memory).")
            .build();

    /** {@code --db-url}, {@code WARD_DB_URL}, YAML {@code db-url}. */
    public static final Setting<String> DB_URL = Setting.of("db-url", Values.JDBC_URL)
            .label("JDBC-URL")
            .shownAs("none: the embedded PostgreSQL")
            .help("An external PostgreSQL, jdbc:postgresql://HOST:PORT/DB; password from WARD_DB_PASSWORD or "
                + "WARD_DB_PASSWORD_FILE (default: the embedded PostgreSQL in DATA-DIR/pg).")
            .doc("An external PostgreSQL, `jdbc:postgresql://HOST:PORT/DATABASE`. It must not hold the "
                + "password: user information (`//user:pw@host`) or a parameter whose name holds `password` "
                + "(`password=`, `PASSWORD=`, `sslpassword=`, anywhere in the query, any case) is refused, naming the "
                + "setting but not the value (use `db-user` and `db-password`). The schema is migrated on start. The "
                + "runner starts even when the server is down: results are spooled to `data-dir/spool` and written "
                + "when it is back.")
            .build();

    /** {@code --db-user}, {@code WARD_DB_USER}, YAML {@code db-user}. */
    public static final Setting<String> DB_USER = Setting.of("db-user", Values.NON_EMPTY)
            .label("USER")
            .shownAs("none")
            .help("The PostgreSQL user for --db-url.")
            .doc("The PostgreSQL user for `db-url`.")
            .build();

    /** {@code --db-claim}, {@code WARD_DB_CLAIM}, YAML {@code db-claim}. */
    public static final Setting<Boolean> DB_CLAIM = Setting.of("db-claim", Values.BOOLEAN)
            .label("true|false")
            .byDefault(true)
            .help("Claim the database for this runner, so that a second runner on it is refused (default: {default}).")
            .doc("Whether the runner claims its database with a session advisory lock, so that a second runner on "
                + "the same database exits at start naming the first (two would poll every device twice and open "
                + "every alert twice; see [operations.md](operations.md#postgresql)). The lock needs a real "
                + "session: behind PgBouncer in transaction mode set `false` (nothing then stops a second runner), "
                + "or point `db-url` at a session-mode pool.")
            .build();

    /** {@code --cluster}, {@code WARD_CLUSTER}, YAML {@code cluster}. */
    public static final Setting<Boolean> CLUSTER = Setting.of("cluster", Values.BOOLEAN)
            .label("true|false")
            .byDefault(true)
            .help("With db-url: share the fleet with the other runners on that database (default: {default}).")
            .doc("With an external `db-url`, runners on the same database share the fleet: each polls and alerts "
                + "for the shards it owns, and takes over a dead runner's within about 20 s (see "
                + "[cluster.md](cluster.md)). `false` keeps one runner per database (`db-claim`). The embedded "
                + "PostgreSQL is always one runner's. Needs a real database session: behind PgBouncer, a session-mode "
                + "pool.")
            .build();

    /** {@code --zone}, {@code WARD_ZONE}, YAML {@code zone}. */
    public static final Setting<String> ZONE = Setting.of("zone", Values.ZONE)
            .label("NAME")
            .shownAs("none")
            .help("This runner's monitoring location: it polls the devices labelled zone=NAME and those without a "
                + "zone (cluster mode only).")
            .doc("This runner's monitoring location (a branch, a data centre), 1-63 letters, digits, `.`, `_`, `-`. "
                + "Devices with a `zone` label are polled only by runners of that zone; devices without one by any "
                + "runner. Needs cluster mode (`db-url`, `cluster` true).")
            .build();

    /** {@code --data-dir}, {@code WARD_DATA_DIR}, YAML {@code data-dir}. */
    public static final Setting<Path> DATA_DIR = Setting.of("data-dir", Values.PATH)
            .label("DIR")
            .byDefault(EmbeddedDatabase.DEFAULT_DATA_DIRECTORY.getParent())
            .help("Directory of the embedded PostgreSQL (pg/) and of the result spool (spool/) "
                + "(default: {default}).")
            .doc("The embedded PostgreSQL's data directory is `DIR/pg` (created and initialised on first "
                + "start, kept across runs; its password in `DIR/pg/ward.pgpass`), its binaries are unpacked into "
                + "`DIR/pg-runtime` (which, like every directory above it, must not be writable by other users); the "
                + "result spool is `DIR/spool`.")
            .build();

    /** {@code --db-retention}, {@code WARD_DB_RETENTION}, YAML {@code db-retention}. */
    public static final Setting<Duration> DB_RETENTION = Setting.of("db-retention", Values.duration(Duration.ofDays(1), Duration.ofDays(3650)))
            .label("DURATION")
            .byDefault(PostgresOptions.DEFAULT_RETENTION)
            .help("How long stored results are kept, 1d-3650d (default: {default}).")
            .doc("How long stored results (`ping_results`, `snmp_values`, `interface_samples`) are kept, 1 "
                + "d to 3650 d. Whole daily partitions are dropped by the hourly maintenance; nothing is deleted row "
                + "by row.")
            .build();

    /** {@code --db-rollup-retention}, {@code WARD_DB_ROLLUP_RETENTION}, YAML {@code db-rollup-retention}. */
    public static final Setting<Duration> DB_ROLLUP_RETENTION = Setting.of("db-rollup-retention",
                    Values.duration(Duration.ofDays(1), Duration.ofDays(3650)))
            .label("DURATION")
            .byDefault(PostgresOptions.DEFAULT_ROLLUP_RETENTION)
            .help("How long the hourly and daily roll-ups are kept, 1d-3650d (default: {default}).")
            .doc("How long the hourly and daily roll-ups (`device_hourly`, `device_daily`, `interface_hourly`, "
                + "`interface_daily`; UTC buckets, built by the hourly maintenance) are kept, 1 d to 3650 d, whole days. "
                + "Older buckets are deleted by the maintenance.")
            .build();

    /** {@code --db-event-retention}, {@code WARD_DB_EVENT_RETENTION}, YAML {@code db-event-retention}. */
    public static final Setting<Duration> DB_EVENT_RETENTION = Setting.of("db-event-retention",
                    Values.duration(Duration.ofDays(1), Duration.ofDays(3650)))
            .label("DURATION")
            .byDefault(PostgresOptions.DEFAULT_EVENT_RETENTION)
            .help("How long state changes, resolved alerts, silences and traps are kept, 1d-3650d (default: {default}).")
            .doc("How long `state_changes`, `alert_silences`, `traps` and resolved `alerts` are kept, 1 d to 3650 d, whole "
                + "days (open alerts are kept however old). Keep it at least as long as `db-retention`: the roll-ups "
                + "take a device's state at the start of an hour from the last change before it.")
            .build();

    /** {@code --redis-url}, {@code WARD_REDIS_URL}, YAML {@code redis-url}. */
    public static final Setting<String> REDIS_URL = Setting.of("redis-url", Values.REDIS_URL)
            .label("URL")
            .shownAs("none: in-process cache only")
            .help("Redis for the shared cache tier, redis://HOST:PORT or rediss://HOST:PORT; password from "
                + "WARD_REDIS_PASSWORD or WARD_REDIS_PASSWORD_FILE (default: in-process cache only).")
            .doc("Redis as the shared (L2) tier of the device state cache: `redis://HOST:PORT` or "
                + "`rediss://HOST:PORT` (TLS), optionally `/DB`. It must not hold the password: user information "
                + "(`redis://:pw@host`, `redis://user:pw@host`) or a `password` parameter is refused, naming the "
                + "setting but not the value (use `redis-password`). The runner starts when Redis is down; the cache "
                + "then works from memory and `/ready` reports `cache` as not ready.")
            .build();

    /** {@code --cache-ttl}, {@code WARD_CACHE_TTL}, YAML {@code cache-ttl}. */
    public static final Setting<Duration> CACHE_TTL = Setting.of("cache-ttl", Values.duration(Duration.ofSeconds(10), Duration.ofDays(1)))
            .label("DURATION")
            .byDefault(DEFAULT_CACHE_TTL)
            .help("How long a device's cached state lives without a refresh, 10s-1d (default: {default}).")
            .doc("How long a device's cached state lives without being refreshed, 10 s to 1 day.")
            .build();

    /** {@code --snmp-port}, {@code WARD_SNMP_PORT}, YAML {@code snmp-port}. */
    public static final Setting<Integer> SNMP_PORT = Setting.of("snmp-port", Values.integer(1, 65535))
            .label("PORT")
            .byDefault(DEFAULT_SNMP_PORT)
            .help("UDP port of the devices' SNMP agents (default: {default}).")
            .doc("The UDP port of the devices' SNMP agents (1-65535).")
            .build();

    /** {@code --snmp-interval}, {@code WARD_SNMP_INTERVAL}, YAML {@code snmp-interval}. */
    public static final Setting<Duration> SNMP_INTERVAL = Setting.of("snmp-interval", Values.durationInSeconds(Duration.ofSeconds(1), Duration.ofDays(1)))
            .label("DURATION")
            .byDefault(DEFAULT_SNMP_INTERVAL)
            .help("SNMP check interval (default: {default}).")
            .doc("The SNMP check interval, 1 s to 1 day. Each poll may take up to 10 s (or the interval, if "
                + "shorter).")
            .build();

    /** {@code --snmp-templates}, {@code WARD_SNMP_TEMPLATES}, YAML {@code snmp-templates}. */
    public static final Setting<Path> SNMP_TEMPLATES = Setting.of("snmp-templates", Values.PATH)
            .label("DIR")
            .shownAs("the built-in templates only")
            .help("Directory of SNMP templates (*.tmpl): items and tables by sysObjectID or device labels "
                + "(default: the built-in templates only).")
            .doc("A directory of SNMP templates: every `*.tmpl` file in it (not its subdirectories) is read at start, "
                + "in name order, at most 1,000 files of at most 1 MiB each. A template adds scalar items and tables "
                + "(a walk of a table's columns, one value per row with its index and label columns as labels) to "
                + "the devices whose sysObjectID it `match`es or whose labels it `select`s; one with a built-in "
                + "template's name (`cisco`, `fortinet`, `juniper`, `hp-aruba`, `mikrotik`, `hikvision`, `net-snmp`, "
                + "`windows`) replaces it. The format is in [snmp.md](snmp.md#vendor-templates). A file that does not "
                + "parse is logged at ERROR with its file, line and problem, listed by `/ready` (check "
                + "`snmp-templates`, which still passes) and counted by `ward_runner_snmp_templates{state=\"failed\"}`; "
                + "the other files are used. A directory that does not exist is a configuration error (exit 2).")
            .build();

    /** {@code --snmp-table-rows}, {@code WARD_SNMP_TABLE_ROWS}, YAML {@code snmp-table-rows}. */
    public static final Setting<Integer> SNMP_TABLE_ROWS = Setting.of("snmp-table-rows", Values.integer(1, 100_000))
            .label("N")
            .byDefault(1_000)
            .help("Most rows read of one SNMP template table per poll, 1-100000 (default: {default}).")
            .doc("The most rows ward reads of one template table per poll, 1 to 100,000; the walk of a longer table "
                + "stops there and `ward_snmp_tables_truncated_total` counts it.")
            .build();

    /** {@code --tcp-checks}, {@code WARD_TCP_CHECKS}, YAML {@code tcp-checks}. */
    public static final Setting<List<TcpCheckRule>> TCP_CHECKS = Setting.of("tcp-checks", Values.TCP_CHECKS)
            .label("RULES")
            .shownAs("none")
            .help("TCP connect checks by label selector: 'SELECTOR => PORT[,PORT]; ...', for example "
                + "'device_type in (ATM, Paybox) => 443; * => 22' (default: none).")
            .doc("TCP connect checks chosen by label selectors: `SELECTOR => PORT[,PORT]; ...`, for example "
                + "`device_type in (ATM, Paybox) => 443; * => 22` (`*` matches every device; selectors as in alert "
                + "rules). Every device matched by a rule gets a check `tcp:PORT` at the ICMP interval; a bad rule is "
                + "reported with the others at start (exit 2).")
            .build();

    /** {@code --snmp-checks}, {@code WARD_SNMP_CHECKS}, YAML {@code snmp-checks}. */
    public static final Setting<List<SnmpCheckRule>> SNMP_CHECKS = Setting.of("snmp-checks", Values.SNMP_CHECKS)
            .label("RULES")
            .byDefaultText(RunSettings.DEFAULT_SNMP_CHECKS)
            .help("SNMP checks by label selector, first match wins: 'SELECTOR => v1|v2c|v3; ...'; v1 and v2c "
                + "use WARD_SNMP_COMMUNITY, v3 the --snmp-v3-* settings; 'none' turns SNMP off (default: {default}).")
            .doc("SNMP checks chosen by label selectors: `SELECTOR => v1/v2c/v3; ...`; the **first** rule "
                + "whose selector matches a device gives it one SNMP check (named `snmp`) with that version's "
                + "credentials: system group, interfaces with their oper status and rates (bits/s, packets/s, "
                + "errors/s, utilisation), the items and tables of its vendor's template (chosen by sysObjectID) and of the templates that select it by its labels (`snmp-templates`). `v1` and `v2c` "
                + "use `snmp-community`; `v3` uses the `snmp-v3-*` settings; any other name is credentials stored with "
                + "`ward credentials add NAME` (needs `encryption-key`). `none` turns SNMP off. The default reads the "
                + "CSV column (label) `snmp_version`; a default rule whose credentials are not set is simply off, "
                + "while a rule you write without its credentials is a configuration error. See [SNMP "
                + "checks](#snmp-checks).")
            .build();

    /** {@code --snmp-interface-rules}, {@code WARD_SNMP_INTERFACE_RULES}, YAML {@code snmp-interface-rules}. */
    public static final Setting<Path> SNMP_INTERFACE_RULES = Setting.of("snmp-interface-rules", Values.PATH)
            .label("FILE")
            .shownAs("none")
            .help("Interface classification rules, one a line: '<role> <alias|descr|name|type|speed> <pattern>' "
                + "(default: none: no interface has a role).")
            .doc("Interface classification rules, one a line: `<role> <field> <pattern>` with the field `alias`, "
                + "`descr`, `name`, `type` or `speed`; the first match wins, and a named group such as "
                + "`(?<provider>...)` of a text rule becomes a label (`uplink alias (?i)isp[-_ ]?(?<provider>\\w+)`). "
                + "Roles and providers reach `GET /api/devices/{id}/interfaces`, the alert rules (`if_role`, "
                + "`if_provider`, `uplinks_down`...), `/api/summary` (uplinks per provider) and `/metrics` "
                + "(`ward_runner_uplinks`). See [Interface roles in the runner](snmp.md#interface-roles-in-the-runner). "
                + "Read at start, at most 1 MiB; every bad line is reported with its number and the runner does not "
                + "start (exit 2). A change needs a restart.")
            .build();

    /** {@code --snmp-v3-user}, {@code WARD_SNMP_V3_USER}, YAML {@code snmp-v3-user}. */
    public static final Setting<String> SNMP_V3_USER = Setting.of("snmp-v3-user", Values.TEXT)
            .label("USER")
            .shownAs("none")
            .help("SNMP v3 user of the v3 rules.")
            .doc("The SNMP v3 user (USM security name) of the `v3` rules.")
            .build();

    /** {@code --snmp-v3-level}, {@code WARD_SNMP_V3_LEVEL}, YAML {@code snmp-v3-level}. */
    public static final Setting<String> SNMP_V3_LEVEL = Setting.of("snmp-v3-level", Values.TEXT)
            .label("LEVEL")
            .shownAs("from the passphrases")
            .help("SNMP v3 security level: noAuthNoPriv, authNoPriv or authPriv (default: from the "
                + "passphrases set).")
            .doc("`noAuthNoPriv`, `authNoPriv` or `authPriv`. Unset: `authPriv` when a privacy passphrase "
                + "is set, `authNoPriv` when only an authentication passphrase is, else `noAuthNoPriv` (as net-snmp). "
                + "A protocol or passphrase the level does not use is an error.")
            .build();

    /** {@code --snmp-v3-auth-protocol}, {@code WARD_SNMP_V3_AUTH_PROTOCOL}, YAML {@code snmp-v3-auth-protocol}. */
    public static final Setting<String> SNMP_V3_AUTH_PROTOCOL = Setting.of("snmp-v3-auth-protocol", Values.TEXT)
            .label("PROTOCOL")
            .shownAs("none (required from `authNoPriv` up)")
            .help("SNMP v3 authentication: MD5, SHA, SHA-224, SHA-256, SHA-384, SHA-512; passphrase from "
                + "WARD_SNMP_V3_AUTH_PASSPHRASE or WARD_SNMP_V3_AUTH_PASSPHRASE_FILE.")
            .doc("`MD5`, `SHA` (SHA-1), `SHA-224`, `SHA-256`, `SHA-384` or `SHA-512`. No default: a wrong "
                + "guess would look like a device that does not answer.")
            .build();

    /** {@code --snmp-v3-priv-protocol}, {@code WARD_SNMP_V3_PRIV_PROTOCOL}, YAML {@code snmp-v3-priv-protocol}. */
    public static final Setting<String> SNMP_V3_PRIV_PROTOCOL = Setting.of("snmp-v3-priv-protocol", Values.TEXT)
            .label("PROTOCOL")
            .shownAs("none (required at `authPriv`)")
            .help("SNMP v3 privacy: DES, AES, AES-192, AES-256; passphrase from WARD_SNMP_V3_PRIV_PASSPHRASE "
                + "or WARD_SNMP_V3_PRIV_PASSPHRASE_FILE.")
            .doc("`DES`, `AES` (AES-128), `AES-192` or `AES-256`.")
            .build();

    /** {@code --snmp-trap-port}, {@code WARD_SNMP_TRAP_PORT}, YAML {@code snmp-trap-port}. */
    public static final Setting<Integer> SNMP_TRAP_PORT = Setting.of("snmp-trap-port", Values.integer(0, 65535))
            .label("PORT")
            .byDefault(0)
            .help("UDP port of the SNMP trap and inform receiver; 0 turns it off (default: {default}: off). 162 is "
                + "the standard port and needs CAP_NET_BIND_SERVICE.")
            .doc("The UDP port on which the runner receives SNMP traps and informs (v1, v2c, v3); `0` (the default) "
                + "turns the receiver off. Needs `snmp-trap-community` or `snmp-v3-user`. `162`, the standard port, is "
                + "privileged: it needs `CAP_NET_BIND_SERVICE` (`setcap cap_net_bind_service=+ep` on the java binary, "
                + "or `AmbientCapabilities=CAP_NET_BIND_SERVICE` in a systemd unit) or a lower `sysctl "
                + "net.ipv4.ip_unprivileged_port_start`; otherwise use a port such as `1162` and point the devices (or "
                + "a firewall redirect) at it. See [SNMP traps](snmp.md#traps-in-the-runner).")
            .build();

    /** {@code --snmp-trap-address}, {@code WARD_SNMP_TRAP_ADDRESS}, YAML {@code snmp-trap-address}. */
    public static final Setting<java.net.InetAddress> SNMP_TRAP_ADDRESS = Setting.of("snmp-trap-address", Values.IP_LITERAL)
            .label("IP")
            .byDefault(java.net.InetAddress.ofLiteral("127.0.0.1"))
            .help("Local address of the SNMP trap receiver, an IP literal (default: {default}).")
            .doc("The local address the trap receiver binds to, an IP literal (`0.0.0.0`, `::` or one interface's "
                + "address). Anything but loopback is an explicit choice: anyone who reaches the port and knows a "
                + "community can send traps; the runner logs a WARN line saying so at every start.")
            .build();

    /** {@code --snmp-trap-probe-gap}, {@code WARD_SNMP_TRAP_PROBE_GAP}, YAML {@code snmp-trap-probe-gap}. */
    public static final Setting<Duration> SNMP_TRAP_PROBE_GAP = Setting.of("snmp-trap-probe-gap",
                    Values.duration(Duration.ofSeconds(1), Duration.ofHours(1)))
            .label("DURATION")
            .byDefault(Duration.ofSeconds(10))
            .help("Least time between two trap-triggered probes of one device, 1s-1h (default: {default}).")
            .doc("A `linkDown`, `linkUp`, `coldStart` or `warmStart` trap probes its device at once (every check); "
                + "a device is probed so at most once in this time, 1 s to 1 hour, so a trap storm does not become a "
                + "probe storm (the traps are still kept; `ward_runner_trap_probes_total{outcome=\"limited\"}` counts "
                + "those that probed nothing).")
            .build();

    /** {@code --snmp-trap-hold}, {@code WARD_SNMP_TRAP_HOLD}, YAML {@code snmp-trap-hold}. */
    public static final Setting<Duration> SNMP_TRAP_HOLD = Setting.of("snmp-trap-hold",
                    Values.duration(Duration.ofSeconds(10), Duration.ofDays(7)))
            .label("DURATION")
            .byDefault(Duration.ofMinutes(15))
            .help("How long a device's latest trap is its rules' variable trap, 10s-7d (default: {default}).")
            .doc("Alert rules read a device's latest trap as the variable `trap` (`trap == linkDown`, "
                + "`trap == coldStart`): it holds from the trap until the next trap of the device replaces it or this "
                + "time passes, 10 s to 7 days. So a `linkDown` opens an alert that the `linkUp` resolves, and an "
                + "event with no counterpart (`coldStart`) resolves by itself. For a lasting condition, use the polled "
                + "state (`if_oper_status != up`), which the trap's immediate probe updates.")
            .build();

    /** {@code --snmp-trap-keep}, {@code WARD_SNMP_TRAP_KEEP}, YAML {@code snmp-trap-keep}. */
    public static final Setting<Integer> SNMP_TRAP_KEEP = Setting.of("snmp-trap-keep", Values.integer(1, 10_000))
            .label("N")
            .byDefault(100)
            .help("With storage off: latest traps kept in memory per device, 1-10000 (default: {default}).")
            .doc("With storage off, how many of a device's latest traps the runner keeps in memory for "
                + "`GET /api/devices/{id}/traps`, 1-10,000; older ones are forgotten, all of a device's when it "
                + "leaves the inventory, and all at a restart. With storage on, traps go to PostgreSQL (`traps`) and "
                + "are kept for `db-event-retention`. Traps of unknown sources are never kept.")
            .build();

    /** {@code --snmp-trap-queue}, {@code WARD_SNMP_TRAP_QUEUE}, YAML {@code snmp-trap-queue}. */
    public static final Setting<Integer> SNMP_TRAP_QUEUE = Setting.of("snmp-trap-queue", Values.integer(100, 1_000_000))
            .label("N")
            .byDefault(10_000)
            .help("Traps waiting to be handled, 100-1000000 (default: {default}); more are dropped and counted.")
            .doc("How many received traps may wait for the runner to handle them (match, store, re-poll), 100 to "
                + "1,000,000; beyond it a trap is dropped and counted (`ward_snmp_traps_total{outcome=\"dropped\"}`). "
                + "A waiting trap holds its bindings (at most 64 of at most 1 KiB each).")
            .build();

    /** {@code --snmp-trap-receive-buffer}, {@code WARD_SNMP_TRAP_RECEIVE_BUFFER}, YAML {@code snmp-trap-receive-buffer}. */
    public static final Setting<Integer> SNMP_TRAP_RECEIVE_BUFFER = Setting.of("snmp-trap-receive-buffer",
                    Values.integer(65_536, 268_435_456))
            .label("BYTES")
            .byDefault(1_048_576)
            .help("The trap socket's receive buffer in bytes, 65536-268435456 (default: {default}).")
            .doc("The receive buffer the trap socket asks the kernel for, in bytes (64 KiB to 256 MiB); the kernel "
                + "caps it at `net.core.rmem_max` (raise that as well). A burst of traps beyond it is dropped by the "
                + "kernel, where only `netstat -su` (`receive buffer errors`) counts it; see "
                + "[the trap benchmark](benchmarks.md#traps-wards-receiver-vs-snmptrapd).")
            .build();

    /** The secret {@code WARD_HTTP_TOKEN}, or a file named by {@code WARD_HTTP_TOKEN_FILE} or YAML {@code http-token-file}. */
    public static final Setting<Secret> HTTP_TOKEN = Setting.secret(RunSettings.HTTP_TOKEN)
            .doc("The bearer token every HTTP request but `/health` and the page shell `/` must "
                + "carry ([api.md](api.md)): at least 16 printable ASCII characters without spaces (`head -c 32 "
                + "/dev/urandom \\| base64` makes one); a blank, shorter or otherwise unusable token is a "
                + "configuration error naming the setting, never the value. No token: the API is open, which is "
                + "allowed on loopback only (or with `http-allow-insecure: true`).")
            .build();

    /** The secret {@code WARD_WEBHOOK_SECRET}, or a file named by {@code WARD_WEBHOOK_SECRET_FILE} or YAML {@code webhook-secret-file}. */
    public static final Setting<Secret> WEBHOOK_SECRET = Setting.secret(RunSettings.WEBHOOK_SECRET)
            .doc("The HMAC-SHA256 key that signs webhook requests (header `X-Ward-Signature: "
                + "sha256=<hex>` over the body). Needs `webhook-url`.")
            .build();

    /** The secret {@code WARD_DB_PASSWORD}, or a file named by {@code WARD_DB_PASSWORD_FILE} or YAML {@code db-password-file}. */
    public static final Setting<Secret> DB_PASSWORD = Setting.secret(RunSettings.DB_PASSWORD)
            .doc("The PostgreSQL password for `db-url` (needs `db-url`; the embedded server makes "
                + "its own, kept in `data-dir/pg/ward.pgpass`).")
            .build();

    /** The secret {@code WARD_REDIS_PASSWORD}, or a file named by {@code WARD_REDIS_PASSWORD_FILE} or YAML {@code redis-password-file}. */
    public static final Setting<Secret> REDIS_PASSWORD = Setting.secret(RunSettings.REDIS_PASSWORD)
            .doc("The Redis password (`AUTH`) for `redis-url` (needs `redis-url`).")
            .build();

    /** The secret {@code WARD_VM_PASSWORD}, or a file named by {@code WARD_VM_PASSWORD_FILE} or YAML {@code vm-password-file}. */
    public static final Setting<Secret> VM_PASSWORD = Setting.secret(RunSettings.VM_PASSWORD)
            .doc("The HTTP basic-auth password for `vm-url` (needs `vm-user` and `vm-url`).")
            .build();

    /** The secret {@code WARD_VM_TOKEN}, or a file named by {@code WARD_VM_TOKEN_FILE} or YAML {@code vm-token-file}. */
    public static final Setting<Secret> VM_TOKEN = Setting.secret(RunSettings.VM_TOKEN)
            .doc("A bearer token for `vm-url` (needs `vm-url`; not with `vm-user`).")
            .build();

    /** The secret {@code WARD_SNMP_COMMUNITY}, or a file named by {@code WARD_SNMP_COMMUNITY_FILE} or YAML {@code snmp-community-file}. */
    public static final Setting<Secret> SNMP_COMMUNITY = Setting.secret(RunSettings.SNMP_COMMUNITY)
            .doc("The SNMP v1/v2c community of the `v1` and `v2c` rules of `snmp-checks`. Unset: "
                + "those rules are off.")
            .build();

    /** The secret {@code WARD_SNMP_V3_AUTH_PASSPHRASE}, or a file named by {@code WARD_SNMP_V3_AUTH_PASSPHRASE_FILE} or YAML {@code snmp-v3-auth-passphrase-file}. */
    public static final Setting<Secret> SNMP_V3_AUTH_PASSPHRASE = Setting.secret(RunSettings.SNMP_V3_AUTH_PASSPHRASE)
            .doc("The SNMP v3 authentication passphrase (8 characters or more).")
            .build();

    /** The secret {@code WARD_SNMP_V3_PRIV_PASSPHRASE}, or a file named by {@code WARD_SNMP_V3_PRIV_PASSPHRASE_FILE} or YAML {@code snmp-v3-priv-passphrase-file}. */
    public static final Setting<Secret> SNMP_V3_PRIV_PASSPHRASE = Setting.secret(RunSettings.SNMP_V3_PRIV_PASSPHRASE)
            .doc("The SNMP v3 privacy passphrase (8 characters or more).")
            .build();

    /** The secret {@code WARD_SNMP_TRAP_COMMUNITY}, or a file named by {@code WARD_SNMP_TRAP_COMMUNITY_FILE} or YAML {@code snmp-trap-community-file}. */
    public static final Setting<Secret> SNMP_TRAP_COMMUNITY = Setting.secret(RunSettings.SNMP_TRAP_COMMUNITY)
            .doc("The SNMP v1/v2c community the trap receiver accepts (`snmp-trap-port`); traps and informs with "
                + "any other community are counted (`ward_snmp_traps_total{outcome=\"bad_community\"}`) and dropped. "
                + "SNMPv3 traps are accepted from the `snmp-v3-user` with its passphrases, when it is set.")
            .build();

    /** The secret {@code WARD_ENCRYPTION_KEY}, or a file named by {@code WARD_ENCRYPTION_KEY_FILE} or YAML {@code encryption-key-file}. */
    public static final Setting<Secret> ENCRYPTION_KEY = Setting.secret(RunSettings.ENCRYPTION_KEY)
            .doc("The AES-256 key that encrypts the SNMP credentials stored with `ward "
                + "credentials` (AES-256-GCM, each value bound to its row and to every column that gives it meaning): "
                + "one base64 key of 32 bytes (`head -c 32 /dev/urandom \\| base64`), or `id=base64` lines with the "
                + "current key first, to rotate (see [Stored SNMP credentials](#stored-snmp-credentials)). Needed by "
                + "`snmp-checks` rules that name stored credentials. A key that does not parse is an error naming the "
                + "line, never the key.")
            .build();

    /** Every setting, in the order of {@code ward config --print} and of the docs. */
    public static final List<Setting<?>> ALL = List.of(
            INVENTORY, INVENTORY_SOURCE, ALLOW_LINK_LOCAL, INTERVAL, HTTP, HTTP_ALLOW_INSECURE, HTTP_HOSTS,
            HTTP_MAX_CONNECTIONS, HTTP_MAX_CONNECTIONS_PER_ADDRESS, HTTP_MAX_CONCURRENT_REQUESTS,
            HTTP_HEADER_TIMEOUT, HTTP_BODY_TIMEOUT, HTTP_IDLE_TIMEOUT, HTTP_WRITE_TIMEOUT, MAX_PROBES_IN_FLIGHT,
            ICMP_PPS, INVENTORY_POLL, DOWN_AFTER, UP_AFTER, RECHECK_INTERVAL, ALERT_RULES, ALERT_TICK,
            ALERT_GROUP_REACHABILITY, ALERT_FLOOD_THRESHOLD, ALERT_FLOOD_WINDOW, WEBHOOK_URL, WEBHOOK_TIMEOUT, VM_URL, VM_COMPAT, VM_USER,
            NOTIFY_LOG, NOTIFICATIONS, STORAGE, DB_URL, DB_USER, DB_CLAIM, CLUSTER, ZONE, DATA_DIR, DB_RETENTION, DB_ROLLUP_RETENTION,
            DB_EVENT_RETENTION, REDIS_URL, CACHE_TTL, SNMP_PORT,
            SNMP_INTERVAL, SNMP_TEMPLATES, SNMP_TABLE_ROWS, TCP_CHECKS, SNMP_CHECKS, SNMP_INTERFACE_RULES, SNMP_V3_USER, SNMP_V3_LEVEL, SNMP_V3_AUTH_PROTOCOL,
            SNMP_V3_PRIV_PROTOCOL, SNMP_TRAP_PORT, SNMP_TRAP_ADDRESS, SNMP_TRAP_PROBE_GAP, SNMP_TRAP_HOLD, SNMP_TRAP_KEEP,
            SNMP_TRAP_QUEUE, SNMP_TRAP_RECEIVE_BUFFER, HTTP_TOKEN, WEBHOOK_SECRET, DB_PASSWORD, REDIS_PASSWORD, VM_PASSWORD, VM_TOKEN,
            SNMP_COMMUNITY,
            SNMP_V3_AUTH_PASSPHRASE, SNMP_V3_PRIV_PASSPHRASE, SNMP_TRAP_COMMUNITY, ENCRYPTION_KEY);

    /**
     * A setting by key.
     *
     * @param key the key, such as {@code interval}
     * @return the setting; empty when unknown
     */
    public static Optional<Setting<?>> find(String key) {
        return ALL.stream().filter(s -> s.key().equals(key)).findFirst();
    }
}
