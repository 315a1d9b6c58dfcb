package io.github.wardops.ward.runner.poll;

import io.github.wardops.ward.inventory.Check;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.runner.config.RunSettings;
import io.github.wardops.ward.runner.config.SnmpCheckRule;
import io.github.wardops.ward.runner.config.TcpCheckRule;
import io.github.wardops.ward.snmp.SnmpSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Chooses each device's checks from the settings and its labels: ICMP for every device; one SNMP
 * check (system group, interfaces with rates, vendor template items) from the first
 * {@code snmp-checks} rule whose label selector matches the device, with the credentials of that
 * rule's version (rules whose credentials are not configured are skipped); TCP connect checks on
 * the ports of every {@code tcp-checks} rule whose selector matches (a port named by several rules
 * is checked once). Stateless.
 */
public final class Checks {
    /** The name of every SNMP check. */
    public static final String SNMP_CHECK = SnmpSettings.TYPE;
    /** The longest one SNMP poll may take. */
    public static final Duration SNMP_TIMEOUT = Duration.ofSeconds(10);

    private Checks() {
    }

    /**
     * The snmp-checks rules that are on: those whose credentials are configured.
     *
     * @param settings the settings
     * @return the rules, in order
     */
    public static List<SnmpCheckRule> activeSnmpRules(RunSettings settings) {
        return settings.snmpChecks().stream()
                .filter(r -> r.stored() ? settings.encryptionKeys() != null : settings.snmpCredentials(r.profile()).isPresent())
                .toList();
    }

    /**
     * The check chooser for these settings, without stored credentials (rules naming them are skipped).
     *
     * @param settings the settings
     * @return a function giving each device its checks; never {@code null}
     */
    public static Function<Device, List<Check>> of(RunSettings settings) {
        return of(settings, null);
    }

    /**
     * The check chooser for these settings. A rule naming stored credentials that are not (or not
     * yet) stored is skipped, so the next matching rule decides.
     *
     * @param settings the settings
     * @param stored the stored credentials, or {@code null} when no rule names any
     * @return a function giving each device its checks; never {@code null}
     */
    static Function<Device, List<Check>> of(RunSettings settings, StoredCredentials stored) {
        Check icmp = Check.icmp(settings.interval());
        Duration timeout = settings.snmpInterval().compareTo(SNMP_TIMEOUT) < 0 ? settings.snmpInterval() : SNMP_TIMEOUT;
        Map<String, Check> snmpByProfile = new LinkedHashMap<>();
        List<SnmpCheckRule> snmp = activeSnmpRules(settings);
        for (SnmpCheckRule r : snmp) {
            if (!r.stored()) {
                // The rule's version names the shared credentials, registered under the same name in Wiring.
                snmpByProfile.computeIfAbsent(r.profile(), p -> new Check(SNMP_CHECK,
                        SnmpSettings.builder().credentialsRef(p).port(settings.snmpPort()).build(), settings.snmpInterval(),
                        timeout));
            }
        }
        // Stored credentials travel inline in the check; one check per name and credentials, rebuilt when they change.
        Map<String, Check> storedChecks = new java.util.concurrent.ConcurrentHashMap<>();
        Function<SnmpCheckRule, Check> checkOf = r -> {
            if (!r.stored()) {
                return snmpByProfile.get(r.profile());
            }
            io.github.wardops.ward.snmp.SnmpCredentials c = stored == null ? null : stored.get(r.profile());
            if (c == null) {
                return null;
            }
            Check cached = storedChecks.get(r.profile());
            if (cached != null && c.equals(((SnmpSettings) cached.settings()).credentials())) {
                return cached;
            }
            Check fresh = new Check(SNMP_CHECK, SnmpSettings.builder().credentials(c).port(settings.snmpPort()).build(),
                    settings.snmpInterval(), timeout);
            storedChecks.put(r.profile(), fresh);
            return fresh;
        };
        List<TcpCheckRule> tcp = settings.tcpChecks();
        return d -> {
            Map<String, String> labels = io.github.wardops.ward.alert.LabelSelector.labelsOf(d);  // with id and name
            List<Check> checks = new ArrayList<>(2);
            checks.add(icmp);
            for (SnmpCheckRule r : snmp) {
                if (r.selector().matches(labels)) {
                    Check c = checkOf.apply(r);
                    if (c != null) {
                        checks.add(c);
                        break;
                    }
                }
            }
            Set<Integer> ports = new LinkedHashSet<>();
            for (TcpCheckRule r : tcp) {
                if (r.selector().matches(labels)) {
                    ports.addAll(r.ports());
                }
            }
            for (int port : ports) {
                checks.add(Check.tcp(port, settings.interval()));
            }
            return List.copyOf(checks);
        };
    }

    /**
     * Whether the device has an SNMP check.
     *
     * @param d the device, with its checks
     * @return whether one of its checks is SNMP
     */
    public static boolean hasSnmp(Device d) {
        return d.checks().stream().anyMatch(c -> c.name().equals(SNMP_CHECK));
    }

    /**
     * The SNMP credentials of a device's SNMP check, for messages.
     *
     * @param d the device, with its checks
     * @return {@code v1}, {@code v2c}, {@code v3} or {@code stored}; {@code null} when it has no SNMP check
     */
    public static String snmpProfile(Device d) {
        for (Check c : d.checks()) {
            if (c.settings() instanceof SnmpSettings s) {
                return s.credentialsRef() != null ? s.credentialsRef() : "stored";
            }
        }
        return null;
    }
}
