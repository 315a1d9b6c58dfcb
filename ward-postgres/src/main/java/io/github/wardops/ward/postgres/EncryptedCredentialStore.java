package io.github.wardops.ward.postgres;

import static io.github.wardops.ward.postgres.internal.jooq.Tables.SNMP_CREDENTIALS;

import io.github.wardops.ward.Secret;
import io.github.wardops.ward.WardException;
import io.github.wardops.ward.postgres.internal.jooq.tables.records.SnmpCredentialsRecord;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.concurrent.atomic.AtomicBoolean;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SnmpCredentialStore} with AES-256-GCM: each secret is a fresh 12-byte nonce followed by
 * the ciphertext and 128-bit tag. The associated data (column {@code aad_format}):
 * <ol>
 *   <li>format 1, rows written before ward bound more: the row id and the column name;</li>
 *   <li>format 2: a format tag, the row id, the column name, and every column that gives the
 *       secret its meaning: name, version, v3 user, auth and privacy protocols, context, and
 *       which secrets the row holds (its security level). Changing any of them in the table, or
 *       removing one secret of several, makes every secret of the row undecryptable.</li>
 * </ol>
 * The first use of a store re-encrypts the format-1 rows it can decrypt in format 2, in one
 * transaction (rows it cannot decrypt are left for their own reads to report). A format-2
 * ciphertext never decrypts as format 1, so a row cannot be put back into the old format to
 * lift the binding. Kept package-private here (not in an internal package) because it reads
 * {@link SecretKeys}' keys. Thread-safe.
 */
final class EncryptedCredentialStore implements SnmpCredentialStore {
    private static final Logger LOG = LoggerFactory.getLogger(EncryptedCredentialStore.class);
    private static final int NONCE = 12;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The associated data of rows written before format 2. */
    static final short FORMAT_1 = 1;
    /** The associated data that binds every column that gives a secret its meaning. */
    static final short FORMAT_2 = 2;
    private static final byte[] FORMAT_2_TAG = "ward.snmp_credentials.aad.2".getBytes(StandardCharsets.US_ASCII);

    private final DSLContext ctx;
    private final SecretKeys keys;
    private final AtomicBoolean upgraded;

    EncryptedCredentialStore(DSLContext ctx, SecretKeys keys) {
        this(ctx, keys, false);
    }

    private EncryptedCredentialStore(DSLContext ctx, SecretKeys keys, boolean upgraded) {
        this.ctx = ctx;
        this.keys = keys;
        this.upgraded = new AtomicBoolean(upgraded);
    }

    /** Format 1: the row id and the column name. */
    static byte[] aad(UUID row, String column) {
        byte[] c = column.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(16 + c.length).putLong(row.getMostSignificantBits())
                .putLong(row.getLeastSignificantBits()).put(c).array();
    }

    /**
     * Format 2: a tag, the row id, the column, then every column that gives the secret its
     * meaning, each length-prefixed ({@code -1} for null), then one byte of flags: which secrets
     * the row holds (community 1, auth passphrase 2, privacy passphrase 4).
     */
    static byte[] aad(String column, StoredSnmpCredential c) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(FORMAT_2_TAG);
            out.writeLong(c.id().getMostSignificantBits());
            out.writeLong(c.id().getLeastSignificantBits());
            for (String field : new String[] {column, c.name(), c.version(), c.user(), c.authProtocol(), c.privProtocol(),
                c.context()}) {
                if (field == null) {
                    out.writeInt(-1);
                } else {
                    byte[] b = field.getBytes(StandardCharsets.UTF_8);
                    out.writeInt(b.length);
                    out.write(b);
                }
            }
            out.writeByte((c.community() != null ? 1 : 0) | (c.authPassphrase() != null ? 2 : 0)
                    | (c.privPassphrase() != null ? 4 : 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private byte[] encrypt(UUID row, String column, Secret secret, byte[] aad) {
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
            c.updateAAD(aad);
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

    private Secret decrypt(UUID row, String column, String keyId, byte[] data, byte[] aad) {
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
            c.updateAAD(aad);
            byte[] plain = c.doFinal(data, NONCE, data.length - NONCE);
            try {
                return Secret.ofBytes(plain);
            } finally {
                Arrays.fill(plain, (byte) 0);
            }
        } catch (AEADBadTagException e) {
            throw new WardException("cannot decrypt " + column + " of SNMP credentials " + row + ": key '" + keyId
                    + "' does not match the key that encrypted it, or the row was changed (its name, version, user, "
                    + "protocols, context or secrets) or the value moved from another row");
        } catch (GeneralSecurityException e) {
            throw new WardException("cannot decrypt " + column + " of SNMP credentials " + row + " with key '" + keyId
                    + "': " + e.getClass().getSimpleName());
        }
    }

    @Override
    public void save(StoredSnmpCredential cr) {
        upgradeOnce();
        write(cr);
    }

    private void write(StoredSnmpCredential cr) {
        UUID id = cr.id();
        boolean anySecret = cr.community() != null || cr.authPassphrase() != null || cr.privPassphrase() != null;
        SnmpCredentialsRecord r = ctx.newRecord(SNMP_CREDENTIALS);
        r.setId(id);
        r.setName(cr.name());
        r.setVersion(cr.version());
        r.setKeyId(anySecret ? keys.currentId() : null);
        r.setCommunityEnc(encrypt(id, "community", cr.community(), aad("community", cr)));
        r.setV3User(cr.user());
        r.setV3AuthProtocol(cr.authProtocol());
        r.setV3AuthPassEnc(encrypt(id, "v3_auth_pass", cr.authPassphrase(), aad("v3_auth_pass", cr)));
        r.setV3PrivProtocol(cr.privProtocol());
        r.setV3PrivPassEnc(encrypt(id, "v3_priv_pass", cr.privPassphrase(), aad("v3_priv_pass", cr)));
        r.setV3Context(cr.context());
        r.setAadFormat(FORMAT_2);
        r.setUpdatedAt(Instant.now());
        ctx.insertInto(SNMP_CREDENTIALS).set(r).onConflict(SNMP_CREDENTIALS.ID).doUpdate().set(r).execute();
    }

    private StoredSnmpCredential map(SnmpCredentialsRecord r) {
        UUID id = r.getId();
        String k = r.getKeyId();
        short format = r.getAadFormat() == null ? FORMAT_1 : r.getAadFormat();
        if (format == FORMAT_1) {
            return new StoredSnmpCredential(id, r.getName(), r.getVersion(),
                    decrypt(id, "community", k, r.getCommunityEnc(), aad(id, "community")), r.getV3User(),
                    r.getV3AuthProtocol(), decrypt(id, "v3_auth_pass", k, r.getV3AuthPassEnc(), aad(id, "v3_auth_pass")),
                    r.getV3PrivProtocol(), decrypt(id, "v3_priv_pass", k, r.getV3PrivPassEnc(), aad(id, "v3_priv_pass")),
                    r.getV3Context());
        }
        if (format != FORMAT_2) {
            throw new WardException("cannot decrypt SNMP credentials " + id + ": unknown aad_format " + format);
        }
        if (k != null && r.getCommunityEnc() == null && r.getV3AuthPassEnc() == null && r.getV3PrivPassEnc() == null) {
            throw new WardException("cannot use SNMP credentials " + id + ": the row names key '" + k + "' but holds no "
                    + "secret: its secrets were removed");
        }
        // The secrets' presence is part of the associated data: a stand-in marks each one that is there.
        Secret present = Secret.of("-");
        StoredSnmpCredential shape = new StoredSnmpCredential(id, r.getName(), r.getVersion(),
                r.getCommunityEnc() == null ? null : present, r.getV3User(), r.getV3AuthProtocol(),
                r.getV3AuthPassEnc() == null ? null : present, r.getV3PrivProtocol(),
                r.getV3PrivPassEnc() == null ? null : present, r.getV3Context());
        return new StoredSnmpCredential(id, r.getName(), r.getVersion(),
                decrypt(id, "community", k, r.getCommunityEnc(), aad("community", shape)), r.getV3User(),
                r.getV3AuthProtocol(), decrypt(id, "v3_auth_pass", k, r.getV3AuthPassEnc(), aad("v3_auth_pass", shape)),
                r.getV3PrivProtocol(), decrypt(id, "v3_priv_pass", k, r.getV3PrivPassEnc(), aad("v3_priv_pass", shape)),
                r.getV3Context());
    }

    /**
     * Re-encrypts, in format 2 and with the current key, every format-1 row the keys decrypt, in
     * one transaction; once per store, when it is first used. A row that does not decrypt is left
     * as it is: reading it reports why, and the next store tries again.
     *
     * @return the rows rewritten
     */
    int upgradeOnce() {
        if (upgraded.get()) {
            return 0;
        }
        int n = 0;
        if (ctx.fetchExists(SNMP_CREDENTIALS, SNMP_CREDENTIALS.AAD_FORMAT.lt(FORMAT_2))) {
            n = ctx.transactionResult(cfg -> {
                EncryptedCredentialStore inTx = new EncryptedCredentialStore(DSL.using(cfg), keys, true);
                int done = 0;
                for (SnmpCredentialsRecord r : DSL.using(cfg).selectFrom(SNMP_CREDENTIALS)
                        .where(SNMP_CREDENTIALS.AAD_FORMAT.lt(FORMAT_2)).forUpdate().fetch()) {
                    StoredSnmpCredential c;
                    try {
                        c = inTx.map(r);
                    } catch (WardException e) {
                        LOG.debug("SNMP credentials {} stay in the old format for now: {}", r.getId(), e.getMessage());
                        continue;
                    }
                    inTx.write(c);
                    done++;
                }
                return done;
            });
            if (n > 0) {
                LOG.info("re-encrypted {} stored SNMP credential row(s) so that their name, version, user and protocols "
                        + "are bound to their secrets", n);
            }
        }
        upgraded.set(true);
        return n;
    }

    @Override
    public Optional<StoredSnmpCredential> load(UUID id) {
        upgradeOnce();
        return ctx.selectFrom(SNMP_CREDENTIALS).where(SNMP_CREDENTIALS.ID.eq(id)).fetchOptional().map(this::map);
    }

    @Override
    public List<StoredSnmpCredential> loadAll() {
        upgradeOnce();
        return ctx.selectFrom(SNMP_CREDENTIALS).orderBy(SNMP_CREDENTIALS.NAME).fetch(this::map);
    }

    @Override
    public java.util.SequencedMap<String, UUID> names() {
        upgradeOnce();
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
        upgradeOnce();
        return ctx.selectFrom(SNMP_CREDENTIALS).where(SNMP_CREDENTIALS.NAME.eq(name)).fetchOptional().map(this::map);
    }

    @Override
    public boolean delete(UUID id) {
        upgradeOnce();
        return ctx.deleteFrom(SNMP_CREDENTIALS).where(SNMP_CREDENTIALS.ID.eq(id)).execute() > 0;
    }

    @Override
    public int reencryptAll() {
        return ctx.transactionResult(cfg -> {
            DSLContext tx = DSL.using(cfg);
            EncryptedCredentialStore inTx = new EncryptedCredentialStore(tx, keys, true);
            int n = 0;
            for (SnmpCredentialsRecord r : tx.selectFrom(SNMP_CREDENTIALS)
                    .where(SNMP_CREDENTIALS.KEY_ID.ne(keys.currentId()).or(SNMP_CREDENTIALS.AAD_FORMAT.lt(FORMAT_2)))
                    .forUpdate().fetch()) {
                inTx.write(inTx.map(r));
                n++;
            }
            return n;
        });
    }
}
