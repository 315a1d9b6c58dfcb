package io.github.wardops.ward.postgres;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.Secret;
import io.github.wardops.ward.WardException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stored SNMP credentials bind every column that gives them meaning (issue 12): changing the user,
 * a protocol, the name, the version, the context or the level in the table makes that row, and
 * only that row, undecryptable; rows written in the old format (row id and column only) are
 * re-encrypted in the new one the first time the store is opened with the key.
 */
class CredentialBindingIT {
    private static final byte[] K1 = key(1);
    private static final byte[] K9 = key(9);
    private static final SecretKeys KEYS = SecretKeys.of("k1", Map.of("k1", K1));
    private static EmbeddedDatabase db;
    private PostgresStorage storage;

    @BeforeAll
    static void startDatabase() {
        db = PgSupport.startDatabase(PgSupport.tempDir("ward-pg-aad"));
    }

    @AfterAll
    static void stopDatabase() {
        db.close();
    }

    @BeforeEach
    void open(@TempDir Path spool) throws Exception {
        PgSupport.reset(db);
        storage = PostgresStorage.open(PgSupport.options(db, spool, new SimpleMeterRegistry()).build());
    }

    @AfterEach
    void close() {
        storage.close();
    }

    private static byte[] key(int b) {
        byte[] k = new byte[32];
        java.util.Arrays.fill(k, (byte) b);
        return k;
    }

    private static void sql(String statement) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }

    private static String text(String query) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static byte[] bytes(String query) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getBytes(1);
        }
    }

    /** A v3 authPriv row and a v2c row, saved by the store (the current format). */
    private SnmpCredentialStore twoRows(UUID v3, UUID v2c) {
        SnmpCredentialStore store = storage.snmpCredentials(KEYS);
        store.save(new StoredSnmpCredential(v3, "core-v3", "v3", null, "ward", "SHA-256", Secret.of("auth-pass-phrase"),
                "AES-256", Secret.of("priv-pass-phrase"), "ctx"));
        store.save(StoredSnmpCredential.community(v2c, "branch-v2c", "v2c", Secret.of("branch-community")));
        return store;
    }

    @Test
    void changingAnyColumnThatGivesTheSecretsTheirMeaningIsDetectedForThatRowOnly() throws Exception {
        UUID v3 = UUID.randomUUID();
        UUID v2c = UUID.randomUUID();
        twoRows(v3, v2c);
        assertEquals("2", text("SELECT aad_format FROM snmp_credentials WHERE id = '" + v3 + "'"));
        List<String> tampering = List.of(
                "v3_user = 'admin'",
                "v3_auth_protocol = 'MD5'",
                "v3_priv_protocol = 'DES'",
                "v3_context = ''",
                "name = 'renamed'",
                // the level: drop the privacy passphrase, so ward would poll authNoPriv, in the clear
                "v3_priv_pass_enc = NULL, v3_priv_protocol = NULL",
                // the old format for a new row: its ciphertexts were not made for it
                "aad_format = 1");
        for (String change : tampering) {
            sql("UPDATE snmp_credentials SET " + change + " WHERE id = '" + v3 + "'");
            SnmpCredentialStore fresh = storage.snmpCredentials(KEYS);
            WardException e = assertThrows(WardException.class, () -> fresh.load(v3), change);
            assertTrue(e.getMessage().contains("SNMP credentials " + v3) && e.getMessage().contains("row was changed"),
                    change + ": " + e.getMessage());
            assertFalse(e.getMessage().contains("pass-phrase"), e.getMessage());
            assertEquals(Secret.of("branch-community"), fresh.load(v2c).orElseThrow().community(), "the other row: " + change);
            // Put the row back as it was and check it reads again, so each change is tested alone.
            sql("DELETE FROM snmp_credentials WHERE id = '" + v3 + "'");
            storage.snmpCredentials(KEYS).save(new StoredSnmpCredential(v3, "core-v3", "v3", null, "ward", "SHA-256",
                    Secret.of("auth-pass-phrase"), "AES-256", Secret.of("priv-pass-phrase"), "ctx"));
            assertEquals(Secret.of("priv-pass-phrase"), storage.snmpCredentials(KEYS).load(v3).orElseThrow().privPassphrase());
        }
        // The version of a community row, and removing every secret but keeping the key id.
        sql("UPDATE snmp_credentials SET version = 'v1' WHERE id = '" + v2c + "'");
        assertThrows(WardException.class, () -> storage.snmpCredentials(KEYS).load(v2c));
        sql("UPDATE snmp_credentials SET version = 'v2c', community_enc = NULL WHERE id = '" + v2c + "'");
        WardException stripped = assertThrows(WardException.class, () -> storage.snmpCredentials(KEYS).load(v2c));
        assertTrue(stripped.getMessage().contains("its secrets were removed"), stripped.getMessage());
    }

    /** Encrypts the way ward did before the format column: associated data = row id and column name. */
    private static byte[] oldFormat(UUID row, String column, String secret) throws Exception {
        byte[] nonce = new byte[12];
        new SecureRandom().nextBytes(nonce);
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(K1, "AES"), new GCMParameterSpec(128, nonce));
        c.updateAAD(EncryptedCredentialStore.aad(row, column));
        byte[] ct = c.doFinal(secret.getBytes(StandardCharsets.UTF_8));
        byte[] out = new byte[12 + ct.length];
        System.arraycopy(nonce, 0, out, 0, 12);
        System.arraycopy(ct, 0, out, 12, ct.length);
        return out;
    }

    private static void insertOldRow(UUID id, String name, String keyId, byte[] auth, byte[] priv) throws Exception {
        // Written as the previous ward wrote them: no aad_format, so the column's default (1).
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO snmp_credentials (id, name, version, key_id, v3_user, v3_auth_protocol, v3_auth_pass_enc, "
                        + "v3_priv_protocol, v3_priv_pass_enc) VALUES (?, ?, 'v3', ?, 'ward', 'SHA-256', ?, 'AES-256', ?)")) {
            ps.setObject(1, id);
            ps.setString(2, name);
            ps.setString(3, keyId);
            ps.setBytes(4, auth);
            ps.setBytes(5, priv);
            ps.executeUpdate();
        }
    }

    @Test
    void oldFormatRowsAreReEncryptedWhenTheStoreIsOpenedWithTheKeyAndThenBound() throws Exception {
        UUID old = UUID.randomUUID();
        UUID foreign = UUID.randomUUID();
        insertOldRow(old, "legacy-v3", "k1", oldFormat(old, "v3_auth_pass", "legacy-auth-phrase"),
                oldFormat(old, "v3_priv_pass", "legacy-priv-phrase"));
        // A row under a key this store does not hold: it cannot be re-encrypted, and must not block the other.
        insertOldRow(foreign, "foreign-v3", "k9", oldFormat(foreign, "v3_auth_pass", "x-auth-phrase"),
                oldFormat(foreign, "v3_priv_pass", "x-priv-phrase"));
        assertEquals("1", text("SELECT aad_format FROM snmp_credentials WHERE id = '" + old + "'"));
        byte[] before = bytes("SELECT v3_auth_pass_enc FROM snmp_credentials WHERE id = '" + old + "'");

        // Opened with the key: the first use rewrites the row in the new format, under the current key.
        SnmpCredentialStore store = storage.snmpCredentials(KEYS);
        assertEquals(List.of("foreign-v3", "legacy-v3"), List.copyOf(store.names().keySet()));
        assertEquals("2", text("SELECT aad_format FROM snmp_credentials WHERE id = '" + old + "'"));
        assertEquals("1", text("SELECT aad_format FROM snmp_credentials WHERE id = '" + foreign + "'"), "left as it was");
        assertFalse(java.util.Arrays.equals(before, bytes("SELECT v3_auth_pass_enc FROM snmp_credentials WHERE id = '"
                + old + "'")), "re-encrypted");
        StoredSnmpCredential read = store.load(old).orElseThrow();
        assertEquals(Secret.of("legacy-auth-phrase"), read.authPassphrase());
        assertEquals(Secret.of("legacy-priv-phrase"), read.privPassphrase());
        assertEquals("ward", read.user());
        WardException notHeld = assertThrows(WardException.class, () -> store.load(foreign));
        assertTrue(notHeld.getMessage().contains("key id 'k9' is not configured"), notHeld.getMessage());

        // From now on the user and the protocols are bound: a change is detected, for that row only.
        sql("UPDATE snmp_credentials SET v3_user = 'admin' WHERE id = '" + old + "'");
        assertThrows(WardException.class, () -> storage.snmpCredentials(KEYS).load(old));
        sql("UPDATE snmp_credentials SET v3_user = 'ward', v3_auth_protocol = 'MD5' WHERE id = '" + old + "'");
        assertThrows(WardException.class, () -> storage.snmpCredentials(KEYS).load(old));
        sql("UPDATE snmp_credentials SET v3_auth_protocol = 'SHA-256' WHERE id = '" + old + "'");
        assertEquals(Secret.of("legacy-auth-phrase"), storage.snmpCredentials(KEYS).load(old).orElseThrow().authPassphrase());

        // The foreign row is upgraded by a store that holds its key, leaving the ciphertext of the other alone.
        byte[] upgraded = bytes("SELECT v3_auth_pass_enc FROM snmp_credentials WHERE id = '" + old + "'");
        SnmpCredentialStore both = storage.snmpCredentials(SecretKeys.of("k1", Map.of("k1", K1, "k9", K1)));
        assertEquals(Secret.of("x-auth-phrase"), both.load(foreign).orElseThrow().authPassphrase());
        assertEquals("2", text("SELECT aad_format FROM snmp_credentials WHERE id = '" + foreign + "'"));
        assertEquals("k1", text("SELECT key_id FROM snmp_credentials WHERE id = '" + foreign + "'"), "under the current key");
        assertArrayEquals(upgraded, bytes("SELECT v3_auth_pass_enc FROM snmp_credentials WHERE id = '" + old + "'"));
    }

    @Test
    void oldFormatRowsAreRewrittenByKeyRotationToo() throws Exception {
        UUID old = UUID.randomUUID();
        insertOldRow(old, "legacy", "k1", oldFormat(old, "v3_auth_pass", "legacy-auth-phrase"),
                oldFormat(old, "v3_priv_pass", "legacy-priv-phrase"));
        SnmpCredentialStore rotated = storage.snmpCredentials(SecretKeys.of("k9", Map.of("k1", K1, "k9", K9)));
        assertEquals(1, rotated.reencryptAll());
        assertEquals("2", text("SELECT aad_format FROM snmp_credentials WHERE id = '" + old + "'"));
        assertEquals("k9", text("SELECT key_id FROM snmp_credentials WHERE id = '" + old + "'"));
        assertEquals(0, rotated.reencryptAll(), "nothing left to do");
    }
}
