package io.github.wardops.ward.runner.cli;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.postgres.SnmpCredentialStore;
import io.github.wardops.ward.postgres.StoredSnmpCredential;
import io.github.wardops.ward.runner.CliContext;
import io.github.wardops.ward.runner.ExitCodes;
import io.github.wardops.ward.runner.config.RunSettings;
import io.github.wardops.ward.runner.config.SnmpCheckRule;
import io.github.wardops.ward.runner.config.SnmpNames;
import io.github.wardops.ward.runner.poll.Storage;
import io.github.wardops.ward.snmp.SnmpCredentials;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code ward credentials add|list|delete}: SNMP credentials stored in the database, encrypted
 * with the {@code encryption-key} (AES-256-GCM, bound to their row), for {@code snmp-checks} rules
 * to name. Secrets are never printed; {@code list} shows names, versions, users and protocols.
 */
@Command(name = "credentials", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"SNMP credentials stored in the database, encrypted with the encryption-key "
                + "(WARD_ENCRYPTION_KEY or WARD_ENCRYPTION_KEY_FILE), for snmp-checks rules to name: "
                + "'region = Tbilisi => core-v3'. A running 'ward run' picks up changes within inventory-poll.",
            "The database is the one 'ward run' would use with the same settings (--data-dir, --db-url)."},
        subcommands = {CredentialsCommand.Add.class, CredentialsCommand.ListCommand.class, CredentialsCommand.Delete.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:done",
            "1:the database could not be reached, refused the change, a stored secret cannot be decrypted with "
                + "the key, or (delete) no credentials have that name",
            "2:bad usage or invalid settings: every problem is listed; nothing was written"})
public final class CredentialsCommand implements Callable<Integer> {
    /** The credentials commands read the database 'ward run' would use, and nothing else. */
    static final java.util.Set<String> DATABASE_ONLY = RunOptions.Tailored.allBut("storage", "db-url", "db-user", "data-dir");
    private final CliContext ctx;

    /**
     * Creates the command.
     *
     * @param ctx the context
     */
    public CredentialsCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        ctx.err().println("ward credentials: name a subcommand: add, list or delete");
        ctx.err().flush();
        return ExitCodes.USAGE;
    }

    /** What a subcommand does with the store; returns the exit code. */
    @FunctionalInterface
    interface Work {
        int run(SnmpCredentialStore store) throws Exception;
    }

    /** Resolves the settings, checks storage and the key, opens the database and runs the work. */
    int withStore(RunOptions options, String command, List<String> problems, Work work) {
        Logging.rootLevel("WARN");
        RunSettings settings = null;
        try {
            // The WARD_SNMP_* variables are also this command's inputs (the community, the passphrases):
            // the run's SNMP settings are not checked here, only the database's and the key.
            settings = RunSettings.resolveForDatabase(options.flags(), ctx.env());
        } catch (InvalidConfigurationException e) {
            problems.addAll(0, e.problems());
        }
        if (settings != null && !settings.storage()) {
            problems.add("storage is off: credentials are stored in the database");
        }
        if (settings != null && settings.encryptionKeys() == null) {
            problems.add("encryption-key is not set: set WARD_ENCRYPTION_KEY (a base64 key of 32 bytes, such as "
                    + "'head -c 32 /dev/urandom | base64') or WARD_ENCRYPTION_KEY_FILE");
        }
        if (!problems.isEmpty()) {
            return ProbeCommand.usage(ctx, command, problems);
        }
        try (Storage storage = Storage.open(settings, new SimpleMeterRegistry())) {
            return work.run(storage.storage().snmpCredentials(settings.encryptionKeys()));
        } catch (Exception e) {
            // WardException messages name rows and key ids, never a secret.
            ctx.err().println(command + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            ctx.err().flush();
            return ExitCodes.FAILURE;
        }
    }

    static StoredSnmpCredential toStored(UUID id, String name, SnmpCredentials c) {
        return switch (c) {
            case SnmpCredentials.Community k -> StoredSnmpCredential.community(id, name,
                    k.version().name().toLowerCase(Locale.ROOT), k.community());
            case SnmpCredentials.Usm u -> new StoredSnmpCredential(id, name, "v3", null, u.user(),
                    u.auth() == null ? null : SnmpNames.name(u.auth()), u.authPassphrase(),
                    u.priv() == null ? null : SnmpNames.name(u.priv()), u.privPassphrase(), null);
        };
    }

    /** {@code ward credentials add NAME [net-snmp flags]}. */
    @Command(name = "add", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Stores SNMP credentials under NAME, replacing those of the same name. Flags as net-snmp's; "
                    + "the community and passphrases may come from WARD_SNMP_COMMUNITY, WARD_SNMP_V3_AUTH_PASSPHRASE and "
                    + "WARD_SNMP_V3_PRIV_PASSPHRASE instead (flags are visible in the process list).",
                "Examples: ward credentials add branch-v2c -v 2c   (community from WARD_SNMP_COMMUNITY)",
                "          ward credentials add core-v3 -v 3 -u ward -a SHA-256 -x AES   (passphrases from the environment)"})
    static final class Add implements Callable<Integer>, RunOptions.Tailored {
        @Override
        public java.util.Set<String> notTaken() {
            return DATABASE_ONLY;
        }

        @picocli.CommandLine.ParentCommand
        CredentialsCommand parent;

        @Parameters(index = "0", paramLabel = "NAME", description = "1-64 letters, digits or . _ - (not v1, v2c or v3).")
        String name;

        @Mixin
        SnmpCredentialFlags flags = new SnmpCredentialFlags();

        @Mixin
        RunOptions options = new RunOptions();

        @Override
        public Integer call() {
            List<String> problems = new ArrayList<>();
            if (!SnmpCheckRule.STORED_NAME.matcher(name).matches()) {
                problems.add("NAME '" + name + "': must be 1-64 letters, digits or . _ -");
            } else if (SnmpCheckRule.PROFILES.contains(name.toLowerCase(Locale.ROOT))) {
                problems.add("NAME '" + name + "': v1, v2c and v3 are the names of the credentials in the settings");
            }
            SnmpCredentials c = flags.credentials(parent.ctx.env(), false, problems);
            return parent.withStore(options, "ward credentials add", problems, store -> {
                // Found by name without decrypting: a row the key cannot open can still be replaced.
                UUID old = store.names().get(name);
                store.save(toStored(old == null ? UUID.randomUUID() : old, name, c));
                parent.ctx.out().println((old != null ? "replaced" : "stored") + " SNMP credentials '" + name + "' ("
                        + describe(c) + ")");
                parent.ctx.out().flush();
                return ExitCodes.OK;
            });
        }
    }

    static String describe(SnmpCredentials c) {
        return switch (c) {
            case SnmpCredentials.Community k -> k.version().name().toLowerCase(Locale.ROOT) + ", community";
            case SnmpCredentials.Usm u -> "v3, user " + u.user() + ", " + SnmpNames.name(u.level())
                    + (u.auth() == null ? "" : ", " + SnmpNames.name(u.auth()))
                    + (u.priv() == null ? "" : "/" + SnmpNames.name(u.priv()));
        };
    }

    /** {@code ward credentials list}. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Lists the stored credentials: name, version, user, level, protocols and key id; never a secret.")
    static final class ListCommand implements Callable<Integer>, RunOptions.Tailored {
        @Override
        public java.util.Set<String> notTaken() {
            return DATABASE_ONLY;
        }

        @picocli.CommandLine.ParentCommand
        CredentialsCommand parent;

        @Mixin
        RunOptions options = new RunOptions();

        @Override
        public Integer call() {
            return parent.withStore(options, "ward credentials list", new ArrayList<>(), store -> {
                parent.ctx.out().printf(Locale.ROOT, "%-24s %-7s %-16s %-12s %-8s %-8s%n", "NAME", "VERSION", "USER", "LEVEL",
                        "AUTH", "PRIV");
                int shown = 0;
                int unreadable = 0;
                for (String name : store.names().keySet()) {
                    StoredSnmpCredential s;
                    try {
                        s = store.loadByName(name).orElse(null);
                    } catch (io.github.wardops.ward.WardException e) {
                        // One row the key cannot open: say which and why (row and key id, never a secret), list the rest.
                        parent.ctx.out().printf(Locale.ROOT, "%-24s %s%n", name, "(cannot be decrypted; see below)");
                        parent.ctx.err().println("ward credentials list: " + e.getMessage());
                        unreadable++;
                        continue;
                    }
                    if (s == null) {
                        continue;  // deleted meanwhile
                    }
                    shown++;
                    String level = !s.version().equals("v3") ? "-" : s.privPassphrase() != null ? "authPriv"
                            : s.authPassphrase() != null ? "authNoPriv" : "noAuthNoPriv";
                    parent.ctx.out().printf(Locale.ROOT, "%-24s %-7s %-16s %-12s %-8s %-8s%n", s.name(), s.version(),
                            s.user() == null ? "-" : s.user(), level, s.authProtocol() == null ? "-" : s.authProtocol(),
                            s.privProtocol() == null ? "-" : s.privProtocol());
                }
                parent.ctx.out().println(shown + " stored" + (unreadable == 0 ? "" : ", " + unreadable + " unreadable"));
                parent.ctx.out().flush();
                parent.ctx.err().flush();
                return unreadable == 0 ? ExitCodes.OK : ExitCodes.FAILURE;
            });
        }
    }

    /** {@code ward credentials delete NAME}. */
    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Deletes the credentials stored under NAME.")
    static final class Delete implements Callable<Integer>, RunOptions.Tailored {
        @Override
        public java.util.Set<String> notTaken() {
            return DATABASE_ONLY;
        }

        @picocli.CommandLine.ParentCommand
        CredentialsCommand parent;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Mixin
        RunOptions options = new RunOptions();

        @Override
        public Integer call() {
            return parent.withStore(options, "ward credentials delete", new ArrayList<>(), store -> {
                UUID old = store.names().get(name);
                if (old == null || !store.delete(old)) {
                    parent.ctx.err().println("ward credentials delete: no stored credentials named '" + name + "'");
                    parent.ctx.err().flush();
                    return ExitCodes.FAILURE;
                }
                parent.ctx.out().println("deleted SNMP credentials '" + name + "'");
                parent.ctx.out().flush();
                return ExitCodes.OK;
            });
        }
    }
}
