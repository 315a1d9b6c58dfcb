package io.github.wardops.ward.postgres.internal.embedded;

import io.github.wardops.ward.Secret;
import io.github.wardops.ward.WardException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data directory: created with {@code initdb} (password authentication, a random superuser
 * password), and on every start brought to what ward expects: the password file
 * {@value #PASSWORD_FILE} (mode {@code 0600}, in the format of a libpq password file, so
 * {@code PGPASSFILE=DATA/ward.pgpass psql ...} works), a {@code pg_hba.conf} that allows password
 * logins only (no {@code trust}), and a superuser whose password is the one in the file. A data
 * directory of an older ward (trust authentication, no password file) is upgraded in place: the
 * password is set in single-user mode ({@code postgres --single}: no network, no socket), then
 * {@code pg_hba.conf} is rewritten. Not thread-safe: called under {@code EmbeddedServer}'s lock.
 */
final class PgCluster {
    /** The superuser. */
    static final String USER = "postgres";
    /** The password file's name in the data directory. */
    static final String PASSWORD_FILE = "ward.pgpass";
    /** The major version of the binaries. */
    static final String MAJOR = "17";
    private static final int PASSWORD_LENGTH = 40;
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final int SCRAM_ITERATIONS = 4096;
    private static final Logger LOG = LoggerFactory.getLogger("io.github.wardops.ward.postgres.EmbeddedDatabase");

    /** ward's pg_hba.conf: password (SCRAM) logins from this host only; never trust. */
    static final String HBA = """
            # Written by ward, checked and rewritten at every start of the embedded server.
            # Password logins (scram-sha-256) only, from this host only; no "trust".
            # The superuser's password is in ward.pgpass in this directory (mode 0600).
            # TYPE  DATABASE     USER  ADDRESS       METHOD
            local   all          all                 scram-sha-256
            host    all          all   127.0.0.1/32  scram-sha-256
            local   replication  all                 scram-sha-256
            host    replication  all   127.0.0.1/32  scram-sha-256
            """;

    private final Path data;
    private final PgRuntime runtime;
    private final Path runtimeRoot;
    private final ServerLog log;

    PgCluster(Path data, PgRuntime runtime, Path runtimeRoot, ServerLog log) {
        this.data = data;
        this.runtime = runtime;
        this.runtimeRoot = runtimeRoot;
        this.log = log;
    }

    /** Whether the data directory holds a cluster. */
    boolean initialised() {
        return Files.isRegularFile(data.resolve("PG_VERSION"));
    }

    /**
     * Creates the cluster when there is none, otherwise brings its authentication to ward's;
     * returns the superuser's password. No server of this data directory may be running.
     *
     * @return the password
     * @throws WardException when initdb or the upgrade fails
     */
    Secret prepare() {
        if (!initialised()) {
            return initdb();
        }
        String version = read(data.resolve("PG_VERSION")).strip();
        if (!version.equals(MAJOR)) {
            throw new WardException("the embedded PostgreSQL's data directory " + data + " is PostgreSQL " + version
                    + ", but ward's binaries are PostgreSQL " + MAJOR + ". Fix: dump it with that version's pg_dump and "
                    + "restore into an empty data-dir, or point db-url at a server of that version");
        }
        Path pwFile = data.resolve(PASSWORD_FILE);
        Secret password = readPassword(pwFile);
        String hba = Files.isRegularFile(data.resolve("pg_hba.conf")) ? read(data.resolve("pg_hba.conf")) : "";
        if (password != null && hba.equals(HBA)) {
            return password;
        }
        boolean trusted = hba.lines().map(String::strip).filter(l -> !l.startsWith("#"))
                .anyMatch(l -> l.matches("(?i).*\\btrust\\b.*"));
        boolean fresh = password == null;
        if (fresh) {
            password = newPassword();
            writePassword(pwFile, password);
        }
        setPassword(password);
        writeAtomically(data.resolve("pg_hba.conf"), HBA.getBytes(StandardCharsets.UTF_8));
        if (trusted) {
            LOG.info("database: the embedded PostgreSQL in {} trusted every local connection (a data directory of an older "
                    + "ward); upgraded it in place to password authentication (scram-sha-256): the superuser {}'s new "
                    + "password is in {} (mode 0600), and pg_hba.conf allows password logins from 127.0.0.1 only", data,
                    USER, pwFile);
        } else if (fresh) {
            LOG.warn("database: the embedded PostgreSQL in {} had no (usable) password file; set a new superuser password, "
                    + "kept in {} (mode 0600)", data, pwFile);
        } else {
            LOG.warn("database: pg_hba.conf of the embedded PostgreSQL in {} was not ward's; rewrote it (password logins "
                    + "from 127.0.0.1 only). Use db-url to run a server with your own settings", data);
        }
        return password;
    }

    /**
     * Sets the superuser's password to the one in the file again (after the server refused it).
     *
     * @param password the password
     */
    void resetPassword(Secret password) {
        setPassword(password);
        LOG.warn("database: the embedded PostgreSQL in {} refused the password in {}; set it again", data,
                data.resolve(PASSWORD_FILE));
    }

    private Secret initdb() {
        try {
            if (Files.exists(data, LinkOption.NOFOLLOW_LINKS)) {
                try (var list = Files.list(data)) {
                    if (list.findAny().isPresent()) {
                        throw new WardException("the embedded PostgreSQL's data directory " + data + " is not empty but "
                                + "holds no PostgreSQL data directory (no PG_VERSION). Fix: point data-dir elsewhere, or "
                                + "empty it");
                    }
                }
            } else if (data.getParent() != null) {
                Files.createDirectories(data.getParent());
            }
        } catch (IOException e) {
            throw new WardException("cannot create the embedded PostgreSQL's data directory " + data + ": " + e.getMessage(), e);
        }
        Secret password = newPassword();
        // named after the data directory, whose lock (held by EmbeddedServer) makes the name ours
        Path pw = runtimeRoot.resolve(".initdb-" + data.getFileName());
        try {
            Files.deleteIfExists(pw);
            createPrivate(pw, (password.reveal() + "\n").getBytes(StandardCharsets.UTF_8));
            List<String> cmd = new ArrayList<>(Launcher.prefix());
            cmd.addAll(List.of(runtime.bin("initdb").toString(), "-D", data.toString(), "-U", USER,
                    "-A", "scram-sha-256", "--pwfile=" + pw, "-E", "UTF8", "--no-locale", "--no-instructions"));
            long t0 = System.nanoTime();
            Launcher.Result r = Launcher.run(cmd, runtimeRoot, null, 300);
            if (r.exitCode() != 0) {
                throw new WardException("initdb failed for the embedded PostgreSQL in " + data + " (exit " + r.exitCode()
                        + "): " + r.tail(8));
            }
            r.output().lines().forEach(log::line);
            writeAtomically(data.resolve("pg_hba.conf"), HBA.getBytes(StandardCharsets.UTF_8));
            writePassword(data.resolve(PASSWORD_FILE), password);
            LOG.info("database: created the embedded PostgreSQL's data directory {} in {} ms: password authentication, "
                    + "the superuser {}'s password in {} (mode 0600)", data, (System.nanoTime() - t0) / 1_000_000, USER,
                    data.resolve(PASSWORD_FILE));
            return password;
        } catch (IOException e) {
            throw new WardException("cannot create the embedded PostgreSQL's data directory " + data + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(pw);
            } catch (IOException e) {
                LOG.warn("database: could not delete the temporary password file {}: {}", pw, e.getMessage());
            }
        }
    }

    /** Sets the superuser's password in single-user mode: no postmaster, no network, no socket. */
    private void setPassword(Secret password) {
        List<String> cmd = new ArrayList<>(Launcher.prefix());
        cmd.addAll(List.of(runtime.bin("postgres").toString(), "--single", "-D", data.toString(),
                "-c", "exit_on_error=on", "-c", "log_min_error_statement=panic", "postgres"));
        // The verifier, not the password, goes to the server: nothing it could log holds the password.
        String sql = "ALTER ROLE " + USER + " WITH LOGIN SUPERUSER PASSWORD '" + scramVerifier(password) + "';\n";
        Launcher.Result r = Launcher.run(cmd, data, sql.getBytes(StandardCharsets.UTF_8), 300);
        r.output().lines().forEach(log::line);
        if (r.exitCode() != 0) {
            throw new WardException("could not set the superuser's password of the embedded PostgreSQL in " + data
                    + " (postgres --single exited " + r.exitCode() + "): " + r.tail(8)
                    + ". Is a server of this data directory still running?");
        }
    }

    /**
     * The password in a password file, or {@code null} when the file is missing, unusable, or
     * readable by others (then it may have leaked: a new one is made).
     */
    private Secret readPassword(Path file) {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                LOG.warn("database: {} is not a regular file; making a new password", file);
                return null;
            }
            int mode = Ownership.mode(file) & 0777;
            int owner = Ownership.owner(file);
            if ((mode & 0077) != 0 || owner != Ownership.currentUid()) {
                LOG.warn("database: {} was readable by others (mode {}, owner uid {}); the password may have leaked, "
                        + "making a new one", file, String.format("%04o", mode), owner);
                return null;
            }
            String text = read(file).strip();
            String prefix = "*:*:*:" + USER + ":";
            if (!text.startsWith(prefix) || text.contains("\n")) {
                LOG.warn("database: {} is not a password file ward wrote; making a new password", file);
                return null;
            }
            String pw = text.substring(prefix.length());
            if (pw.length() < 32 || !pw.chars().allMatch(c -> ALPHABET.indexOf(c) >= 0)) {
                LOG.warn("database: the password in {} is not one ward made; making a new one", file);
                return null;
            }
            return Secret.of(pw);
        } catch (IOException e) {
            LOG.warn("database: cannot read {} ({}); making a new password", file, e.getClass().getSimpleName());
            return null;
        }
    }

    private static void writePassword(Path file, Secret password) {
        String line = "*:*:*:" + USER + ":" + password.reveal() + "\n";
        writeAtomically(file, line.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes a file {@code 0600} from its creation, synced, then moved over the old one. */
    static void writeAtomically(Path file, byte[] content) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.deleteIfExists(tmp);
            createPrivate(tmp, content);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new WardException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Creates a new file, mode {@code 0600} from the start, with the content, synced. */
    private static void createPrivate(Path file, byte[] content) throws IOException {
        try (FileChannel ch = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PgArchive.perms(0600)))) {
            ByteBuffer b = ByteBuffer.wrap(content);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        Files.setPosixFilePermissions(file, PgArchive.perms(0600));
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new WardException("cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    /**
     * A new random password: {@value #PASSWORD_LENGTH} letters and digits from
     * {@link SecureRandom} (about 238 bits).
     */
    static Secret newPassword() {
        SecureRandom r = new SecureRandom();
        char[] c = new char[PASSWORD_LENGTH];
        for (int i = 0; i < c.length; i++) {
            c[i] = ALPHABET.charAt(r.nextInt(ALPHABET.length()));
        }
        return Secret.of(new String(c));
    }

    /**
     * PostgreSQL's SCRAM-SHA-256 verifier of a password
     * ({@code SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>}, RFC 5802 and 7677;
     * ward's passwords are ASCII letters and digits, which SASLprep leaves as they are).
     *
     * @param password the password
     * @return the verifier
     */
    static String scramVerifier(Secret password) {
        try {
            byte[] salt = new byte[16];
            new SecureRandom().nextBytes(salt);
            SecretKeyFactory f = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
            byte[] salted = f.generateSecret(new PBEKeySpec(password.reveal().toCharArray(), salt, SCRAM_ITERATIONS, 256))
                    .getEncoded();
            byte[] clientKey = hmac(salted, "Client Key");
            byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
            byte[] serverKey = hmac(salted, "Server Key");
            Base64.Encoder b64 = Base64.getEncoder();
            return "SCRAM-SHA-256$" + SCRAM_ITERATIONS + ":" + b64.encodeToString(salt) + "$" + b64.encodeToString(storedKey)
                    + ":" + b64.encodeToString(serverKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has PBKDF2WithHmacSHA256 and HmacSHA256", e);
        }
    }

    private static byte[] hmac(byte[] key, String text) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(text.getBytes(StandardCharsets.US_ASCII));
    }
}
