package io.github.wardops.ward.postgres;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@code snmp_credentials} table, with communities and passphrases encrypted with
 * AES-256-GCM under {@link SecretKeys}. Every column that gives a secret its meaning is bound as
 * associated data: the row id, the column, the name, version, v3 user, protocols and context, and
 * which secrets the row holds. So a ciphertext copied to another row (or column) does not
 * decrypt, and neither does a row whose user, protocols or level were changed in the table. A
 * row encrypted with a key that is not held, or with another key under the same id, or changed,
 * fails with a {@link io.github.wardops.ward.WardException} naming the row and the key id, never
 * the secret; other rows are not affected.
 *
 * <p>Rows written before this binding (which held the row id and column only) are re-encrypted
 * with it, under the current key, the first time a store opened with the keys is used; a row the
 * keys cannot decrypt is left as it is. Thread-safe.
 *
 * <p>Arguments must not be {@code null}; a missing credential is an empty {@code Optional}, never {@code null}.
 */
public interface SnmpCredentialStore {

    /**
     * Inserts or replaces credentials, encrypting secrets with the current key.
     *
     * @param credential the credentials
     */
    void save(StoredSnmpCredential credential);

    /**
     * Reads and decrypts credentials.
     *
     * @param id the row id
     * @return the credentials, if the row exists
     * @throws io.github.wardops.ward.WardException when they cannot be decrypted
     */
    Optional<StoredSnmpCredential> load(UUID id);

    /**
     * Reads and decrypts every row.
     *
     * @return the credentials, ordered by name
     * @throws io.github.wardops.ward.WardException when a row cannot be decrypted
     */
    List<StoredSnmpCredential> loadAll();

    /**
     * The names and ids of every row, ordered by name, without decrypting anything: a row that
     * cannot be decrypted can still be found and deleted.
     *
     * @return name to row id, in name order
     */
    java.util.SequencedMap<String, UUID> names();

    /**
     * Reads and decrypts the credentials of one name; other rows are not touched.
     *
     * @param name the unique name
     * @return the credentials, if a row has that name
     * @throws io.github.wardops.ward.WardException when they cannot be decrypted
     */
    Optional<StoredSnmpCredential> loadByName(String name);

    /**
     * Deletes credentials (devices using them lose the reference).
     *
     * @param id the row id
     * @return whether the row existed
     */
    boolean delete(UUID id);

    /**
     * Re-encrypts every row not under the current key (key rotation), or not yet bound to all its
     * columns, in one transaction.
     *
     * @return the rows re-encrypted
     */
    int reencryptAll();
}
