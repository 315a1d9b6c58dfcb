package io.github.wardops.ward.runner.cli;

import io.github.wardops.ward.runner.config.Setting;
import io.github.wardops.ward.runner.config.Settings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * The setting flags shared by {@code ward run}, {@code config}, {@code demo}, {@code import} and
 * {@code credentials}: a picocli mixin whose flags, one per plain setting of {@link Settings},
 * are added by {@link #addSettings(CommandLine)}. Values are kept as text and validated together
 * by {@link io.github.wardops.ward.runner.config.RunSettings#resolve}. Secrets have no flag. Not
 * thread-safe (filled by picocli).
 */
public final class RunOptions {
    /**
     * A command whose settings differ from {@code ward run}'s: its own defaults (shown in its
     * {@code --help} and applied when the flag is not given) and settings it does not take (no
     * flag for them, so picocli refuses them as unknown options).
     */
    public interface Tailored {
        /**
         * The command's own defaults, by setting key; none unless the command says otherwise.
         *
         * @return key to value
         */
        default Map<String, String> ownDefaults() {
            return Map.of();
        }

        /**
         * Settings the command does not take, by key.
         *
         * @return the keys
         */
        java.util.Set<String> notTaken();

        /**
         * Every plain setting but the given ones: for a command that reads only a few.
         *
         * @param taken the keys the command reads
         * @return the keys of the others
         */
        static java.util.Set<String> allBut(String... taken) {
            java.util.Set<String> keep = java.util.Set.of(taken);
            java.util.Set<String> out = new java.util.HashSet<>();
            for (Setting<?> s : Settings.ALL) {
                if (!keep.contains(s.key())) {
                    out.add(s.key());
                }
            }
            return java.util.Set.copyOf(out);
        }
    }

    @Option(names = "--config", paramLabel = "FILE.yaml",
            description = "YAML configuration file (WARD_CONFIG). Default: ./ward.yaml when it exists. "
                    + "Environment variables override it, flags override both.")
    String config;

    private final Map<String, String> values = new LinkedHashMap<>();

    /** Creates empty options. */
    public RunOptions() {
    }

    /**
     * Adds the flag of every plain setting to each command, at any depth, that mixes in
     * {@link RunOptions}; each command's values land in its own instance. Call once, after the
     * subcommands are added and before parsing.
     *
     * @param commandLine the root command line
     */
    public static void addSettings(CommandLine commandLine) {
        CommandSpec spec = commandLine.getCommandSpec();
        for (CommandSpec mixin : spec.mixins().values()) {
            if (mixin.userObject() instanceof RunOptions options) {
                options.addTo(spec);
            }
        }
        for (CommandLine sub : commandLine.getSubcommands().values()) {
            addSettings(sub);
        }
    }

    private void addTo(CommandSpec spec) {
        // Where options keep their declaration order (sortOptions = false), the flags go where the
        // mixin is declared, as annotated fields would: the options after --config move behind them.
        List<OptionSpec> after = new ArrayList<>();
        boolean seen = false;
        for (OptionSpec o : spec.options()) {
            if (seen) {
                after.add(o);
            }
            seen |= o.longestName().equals("--config");
        }
        after.forEach(spec::remove);
        Tailored tailored = spec.userObject() instanceof Tailored t ? t : null;
        for (Setting<?> s : Settings.ALL) {
            if (s.secret() || tailored != null && tailored.notTaken().contains(s.key())) {
                continue;
            }
            String key = s.key();
            String own = tailored == null ? null : tailored.ownDefaults().get(key);
            spec.addOption(OptionSpec.builder(s.flag().orElseThrow())
                    .paramLabel(s.label())
                    .description(own == null ? s.help() : s.help(own))
                    .type(String.class)
                    .setter(new ISetter() {
                        @Override
                        public <T> T set(T value) {
                            @SuppressWarnings("unchecked")
                            T old = (T) (value == null ? values.remove(key) : values.put(key, (String) value));
                            return old;
                        }
                    })
                    .getter(new IGetter() {
                        @Override
                        @SuppressWarnings("unchecked")
                        public <T> T get() {
                            return (T) values.get(key);
                        }
                    })
                    .build());
        }
        after.forEach(spec::addOption);
    }

    /**
     * The flags given, by setting key ({@code config} for the file).
     *
     * @return key to value; unset flags are left out
     */
    public Map<String, String> flags() {
        Map<String, String> f = new LinkedHashMap<>();
        if (config != null) {
            f.put("config", config);
        }
        f.putAll(values);
        return f;
    }
}
