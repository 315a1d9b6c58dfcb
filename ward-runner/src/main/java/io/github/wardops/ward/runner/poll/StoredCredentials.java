package io.github.wardops.ward.runner.poll;

import io.github.wardops.ward.WardException;
import io.github.wardops.ward.postgres.SecretKeys;
import io.github.wardops.ward.postgres.SnmpCredentialStore;
import io.github.wardops.ward.postgres.StoredSnmpCredential;
import io.github.wardops.ward.runner.config.SnmpNames;
import io.github.wardops.ward.snmp.SnmpCredentials;
import java.util.HashMap;
import java.util.Optional;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SNMP credentials stored (encrypted) in the {@code snmp_credentials} table that
 * {@code snmp-checks} rules name, decrypted in memory with the {@code encryption-key}. Read at
 * start and again every {@code inventory-poll}, one name at a time, so {@code ward credentials add}
 * (or another program) changes what the next polls use without a restart. When the table cannot
 * be read, or one name's row cannot be decrypted or used, the last good credentials stay in use
 * (for that name only); each problem is logged when it starts and when it ends, not every poll.
 * Bounded by the names the rules use. Thread-safe: {@link #get} from any thread, {@link #refresh}
 * from one.
 */
final class StoredCredentials {
    private static final Logger LOG = LoggerFactory.getLogger(StoredCredentials.class);

    private final SecretKeys keys;
    private final Set<String> wanted;
    private volatile Map<String, SnmpCredentials> byName = Map.of();
    private String lastProblem;
    private Set<String> lastMissing = Set.of();
    /** The last problem of each name's row, so a row that stays broken is logged once, not every poll. */
    private final Map<String, String> rowProblems = new HashMap<>();

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
     * Reads the credentials the rules name, one name at a time, so a row that cannot be
     * decrypted or used affects only its own rules (they keep its last good credentials).
     *
     * @param storage the database
     * @return whether the credentials the rules use changed
     */
    boolean refresh(Storage storage) {
        SnmpCredentialStore store = storage.storage().snmpCredentials(keys);
        Map<String, SnmpCredentials> next = new HashMap<>();
        Set<String> missing = new TreeSet<>();
        for (String name : wanted) {
            try {
                Optional<StoredSnmpCredential> row = store.loadByName(name);
                if (row.isEmpty()) {
                    missing.add(name);
                    rowProblems.remove(name);
                    continue;
                }
                next.put(name, toCredentials(row.get()));
                if (rowProblems.remove(name) != null) {
                    LOG.info("snmp: stored credentials '{}' are usable again", name);
                }
            } catch (WardException | IllegalArgumentException e) {
                // This row: it does not decrypt (WardException names the row and key id, never a secret) or convert.
                String problem = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                if (!problem.equals(rowProblems.put(name, problem))) {
                    LOG.error("snmp: stored credentials '{}' are not usable ({}); {}", name, problem,
                            byName.containsKey(name) ? "the last good ones stay in use" : "their rules are skipped");
                }
                SnmpCredentials old = byName.get(name);
                if (old != null) {
                    next.put(name, old);
                }
            } catch (RuntimeException e) {
                // The database: keep everything as it is and try again at the next poll.
                String problem = e.getClass().getSimpleName();
                if (!problem.equals(lastProblem)) {
                    LOG.error("snmp: the stored credentials cannot be read ({}); the last good ones stay in use", problem);
                    lastProblem = problem;
                }
                return false;
            }
        }
        if (lastProblem != null) {
            LOG.info("snmp: the stored credentials can be read again");
            lastProblem = null;
        }
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
