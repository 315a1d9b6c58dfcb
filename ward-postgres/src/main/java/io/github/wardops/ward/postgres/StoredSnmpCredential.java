package io.github.wardops.ward.postgres;

import io.github.wardops.ward.Secret;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * SNMP credentials as stored in {@code snmp_credentials}: v1/v2c use the community, v3 the user,
 * protocols and passphrases. Secrets print as {@code ***}. Immutable.
 *
 * @param id the row id (bound to the ciphertexts); never {@code null}
 * @param name a unique display name; never {@code null}
 * @param version {@code v1}, {@code v2c} or {@code v3}
 * @param community the community (v1/v2c), or {@code null}
 * @param user the v3 security name, or {@code null}
 * @param authProtocol the v3 authentication protocol name (such as {@code SHA-256}), or {@code null}
 * @param authPassphrase the v3 authentication passphrase, or {@code null}
 * @param privProtocol the v3 privacy protocol name (such as {@code AES-128}), or {@code null}
 * @param privPassphrase the v3 privacy passphrase, or {@code null}
 * @param context the v3 context name, or {@code null}
 */
public record StoredSnmpCredential(UUID id, String name, String version, Secret community, String user,
                                   String authProtocol, Secret authPassphrase, String privProtocol,
                                   Secret privPassphrase, String context) {
    private static final Set<String> VERSIONS = Set.of("v1", "v2c", "v3");

    /**
     * Checks the components; each is described on the record.
     *
     * @throws NullPointerException if {@code id} or {@code name} is null
     * @throws IllegalArgumentException if a component is out of its range; the message names it
     */
    public StoredSnmpCredential {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        if (!VERSIONS.contains(version)) {
            throw new IllegalArgumentException("version '" + version + "' must be v1, v2c or v3");
        }
    }

    /**
     * v1/v2c credentials.
     *
     * @param id id
     * @param name name
     * @param version v1 or v2c
     * @param community community
     * @return the credentials
     */
    public static StoredSnmpCredential community(UUID id, String name, String version, Secret community) {
        return new StoredSnmpCredential(id, name, version, community, null, null, null, null, null, null);
    }
}
