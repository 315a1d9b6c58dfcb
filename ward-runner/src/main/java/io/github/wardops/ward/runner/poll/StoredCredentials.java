package io.github.wardops.ward.runner.poll;

import io.github.wardops.ward.postgres.SecretKeys;
import io.github.wardops.ward.postgres.StoredSnmpCredential;
import io.github.wardops.ward.runner.config.SnmpNames;
import io.github.wardops.ward.snmp.SnmpCredentials;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SNMP credentials stored (encrypted) in the {@code snmp_credentials} table that
 * {@code snmp-checks} rules name, decrypted in memory with the {@code encryption-key}. Read at
 * start and again every {@code inventory-poll}, so {@code ward credentials add} (or another
 * program) changes what the next polls use without a restart. When the table cannot be read or a
 * row cannot be decrypted, the last good credentials stay in use. Thread-safe: {@link #get} from
 * any thread, {@link #refresh} from one.
 */
final class StoredCredentials {
    private static final Logger LOG = LoggerFactory.getLogger(StoredCredentials.class);

    private final SecretKeys keys;
    private final Set<String> wanted;
    private volatile Map<String, SnmpCredentials> byName = Map.of();
    private String lastProblem;
    private Set<String> lastMissing = Set.of();

    /**
     * Creates the holder; nothing is read yet, so {@link #get} answers {@code null} until the first
     * {@link #refresh}.
     *
     * @param keys the keys
     * @param wanted the names the rules use
     */
    StoredCredentials(SecretKeys keys, Set<String> wanted) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.wanted = Set.copyOf(wanted);
    }

    /**
     * The credentials stored under a name.
     *
     * @param name the name
     * @return the credentials, or {@code null} when not stored (or not readable)
     */
    SnmpCredentials get(String name) {
        return byName.get(name);
    }

    /**
     * Reads the table again.
     *
     * @param storage the database
     * @return whether the credentials the rules use changed
     */
    boolean refresh(Storage storage) {
        List<StoredSnmpCredential> rows;
        try {
            rows = storage.storage().snmpCredentials(keys).loadAll();
        } catch (RuntimeException e) {
            // WardException messages name the row and the key id, never a secret.
            String problem = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (!problem.equals(lastProblem)) {
                LOG.error("snmp: the stored credentials cannot be read ({}); the last good ones stay in use", problem);
                lastProblem = problem;
            }
            return false;
        }
        if (lastProblem != null) {
            LOG.info("snmp: the stored credentials can be read again");
            lastProblem = null;
        }
        Map<String, SnmpCredentials> next = new HashMap<>();
        for (StoredSnmpCredential row : rows) {
            if (!wanted.contains(row.name())) {
                continue;
            }
            try {
                next.put(row.name(), toCredentials(row));
            } catch (RuntimeException e) {
                LOG.error("snmp: stored credentials '{}' are not usable: {}", row.name(), e.getMessage());
                SnmpCredentials old = byName.get(row.name());
                if (old != null) {
                    next.put(row.name(), old);
                }
            }
        }
        Set<String> missing = new HashSet<>(wanted);
        missing.removeAll(next.keySet());
        if (!missing.equals(lastMissing) && !missing.isEmpty()) {
            LOG.warn("snmp: snmp-checks names stored credentials that do not exist: {}; their rules are skipped until "
                    + "they are added with 'ward credentials add NAME ...'", missing);
        }
        lastMissing = missing;
        boolean changed = !next.equals(byName);
        byName = Map.copyOf(next);
        return changed;
    }

    /**
     * Converts a stored row.
     *
     * @param row the row
     * @return the credentials
     * @throws IllegalArgumentException when a field is not usable (an unknown protocol name, a short passphrase)
     */
    static SnmpCredentials toCredentials(StoredSnmpCredential row) {
        return switch (row.version()) {
            case "v1" -> SnmpCredentials.v1(Objects.requireNonNull(row.community(), "community"));
            case "v2c" -> SnmpCredentials.v2c(Objects.requireNonNull(row.community(), "community"));
            default -> {
                if (row.authPassphrase() == null) {
                    yield SnmpCredentials.v3(row.user());
                }
                if (row.privPassphrase() == null) {
                    yield SnmpCredentials.v3(row.user(), SnmpNames.auth(row.authProtocol()), row.authPassphrase());
                }
                yield SnmpCredentials.v3(row.user(), SnmpNames.auth(row.authProtocol()), row.authPassphrase(),
                        SnmpNames.priv(row.privProtocol()), row.privPassphrase());
            }
        };
    }
}
