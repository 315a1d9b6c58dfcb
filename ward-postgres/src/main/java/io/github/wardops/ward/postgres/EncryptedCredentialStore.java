package io.github.wardops.ward.postgres;

import static io.github.wardops.ward.postgres.internal.jooq.Tables.SNMP_CREDENTIALS;

import io.github.wardops.ward.Secret;
import io.github.wardops.ward.WardException;
import io.github.wardops.ward.postgres.internal.jooq.tables.records.SnmpCredentialsRecord;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * {@link SnmpCredentialStore} with AES-256-GCM: each secret is a fresh 12-byte nonce followed by
 * the ciphertext and 128-bit tag; the associated data is the row id and the column name. Kept
 * package-private here (not in an internal package) because it reads {@link SecretKeys}' keys.
 * Thread-safe.
 */
final class EncryptedCredentialStore implements SnmpCredentialStore {
    private static final int NONCE = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DSLContext ctx;
    private final SecretKeys keys;

    EncryptedCredentialStore(DSLContext ctx, SecretKeys keys) {
        this.ctx = ctx;
        this.keys = keys;
    }

    static byte[] aad(UUID row, String column) {
        byte[] c = column.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(16 + c.length).putLong(row.getMostSignificantBits())
                .putLong(row.getLeastSignificantBits()).put(c).array();
    }

    private byte[] encrypt(UUID row, String column, Secret secret) {
        if (secret == null) {
            return null;
        }
        SecretKey key = keys.key(keys.currentId());
        byte[] nonce = new byte[NONCE];
        RANDOM.nextBytes(nonce);
        byte[] plain = secret.revealBytes();
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            c.updateAAD(aad(row, column));
            byte[] ct = c.doFinal(plain);
            byte[] out = new byte[NONCE + ct.length];
            System.arraycopy(nonce, 0, out, 0, NONCE);
            System.arraycopy(ct, 0, out, NONCE, ct.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new WardException("cannot encrypt " + column + " of SNMP credentials " + row + " with key '"
                    + keys.currentId() + "': " + e.getClass().getSimpleName());
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    private Secret decrypt(UUID row, String column, String keyId, byte[] data) {
        if (data == null) {
            return null;
        }
        SecretKey key = keyId == null ? null : keys.key(keyId);
        if (key == null) {
            throw new WardException("cannot decrypt " + column + " of SNMP credentials " + row + ": key id '" + keyId
                    + "' is not configured (configured: " + keys.ids() + ")");
        }
        if (data.length < NONCE + 16) {
            throw new WardException("cannot decrypt " + column + " of SNMP credentials " + row + " with key '" + keyId
                    + "': the stored value is too short to be a ciphertext");
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, data, 0, NONCE));
            c.updateAAD(aad(row, column));
            byte[] plain = c.doFinal(data, NONCE, data.length - NONCE);
            try {
                return Secret.ofBytes(plain);
            } finally {
                Arrays.fill(plain, (byte) 0);
            }
        } catch (AEADBadTagException e) {
            throw new WardException("cannot decrypt " + column + " of SNMP credentials " + row + ": key '" + keyId
                    + "' does not match the key that encrypted it, or the value was changed or moved from another row");
        } catch (GeneralSecurityException e) {
            throw new WardException("cannot decrypt " + column + " of SNMP credentials " + row + " with key '" + keyId
                    + "': " + e.getClass().getSimpleName());
        }
    }

    @Override
    public void save(StoredSnmpCredential cr) {
        UUID id = cr.id();
        boolean anySecret = cr.community() != null || cr.authPassphrase() != null || cr.privPassphrase() != null;
        SnmpCredentialsRecord r = ctx.newRecord(SNMP_CREDENTIALS);
        r.setId(id);
        r.setName(cr.name());
        r.setVersion(cr.version());
        r.setKeyId(anySecret ? keys.currentId() : null);
        r.setCommunityEnc(encrypt(id, "community", cr.community()));
        r.setV3User(cr.user());
        r.setV3AuthProtocol(cr.authProtocol());
        r.setV3AuthPassEnc(encrypt(id, "v3_auth_pass", cr.authPassphrase()));
        r.setV3PrivProtocol(cr.privProtocol());
        r.setV3PrivPassEnc(encrypt(id, "v3_priv_pass", cr.privPassphrase()));
        r.setV3Context(cr.context());
        r.setUpdatedAt(Instant.now());
        ctx.insertInto(SNMP_CREDENTIALS).set(r).onConflict(SNMP_CREDENTIALS.ID).doUpdate().set(r).execute();
    }

    private StoredSnmpCredential map(SnmpCredentialsRecord r) {
        UUID id = r.getId();
        String k = r.getKeyId();
        return new StoredSnmpCredential(id, r.getName(), r.getVersion(),
                decrypt(id, "community", k, r.getCommunityEnc()), r.getV3User(), r.getV3AuthProtocol(),
                decrypt(id, "v3_auth_pass", k, r.getV3AuthPassEnc()), r.getV3PrivProtocol(),
                decrypt(id, "v3_priv_pass", k, r.getV3PrivPassEnc()), r.getV3Context());
    }

    @Override
    public Optional<StoredSnmpCredential> load(UUID id) {
        return ctx.selectFrom(SNMP_CREDENTIALS).where(SNMP_CREDENTIALS.ID.eq(id)).fetchOptional().map(this::map);
    }

    @Override
    public List<StoredSnmpCredential> loadAll() {
        return ctx.selectFrom(SNMP_CREDENTIALS).orderBy(SNMP_CREDENTIALS.NAME).fetch(this::map);
    }

    @Override
    public java.util.SequencedMap<String, UUID> names() {
        java.util.SequencedMap<String, UUID> out = new java.util.LinkedHashMap<>();
        for (var r : ctx.select(SNMP_CREDENTIALS.NAME, SNMP_CREDENTIALS.ID).from(SNMP_CREDENTIALS)
                .orderBy(SNMP_CREDENTIALS.NAME).fetch()) {
            out.put(r.value1(), r.value2());
        }
        return out;
    }

    @Override
    public Optional<StoredSnmpCredential> loadByName(String name) {
        Objects.requireNonNull(name, "name");
        return ctx.selectFrom(SNMP_CREDENTIALS).where(SNMP_CREDENTIALS.NAME.eq(name)).fetchOptional().map(this::map);
    }

    @Override
    public boolean delete(UUID id) {
        return ctx.deleteFrom(SNMP_CREDENTIALS).where(SNMP_CREDENTIALS.ID.eq(id)).execute() > 0;
    }

    @Override
    public int reencryptAll() {
        return ctx.transactionResult(cfg -> {
            DSLContext tx = DSL.using(cfg);
            EncryptedCredentialStore inTx = new EncryptedCredentialStore(tx, keys);
            int n = 0;
            for (SnmpCredentialsRecord r : tx.selectFrom(SNMP_CREDENTIALS)
                    .where(SNMP_CREDENTIALS.KEY_ID.ne(keys.currentId())).forUpdate().fetch()) {
                inTx.save(inTx.map(r));
                n++;
            }
            return n;
        });
    }
}
