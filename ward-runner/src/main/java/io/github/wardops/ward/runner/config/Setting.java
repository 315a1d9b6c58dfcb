package io.github.wardops.ward.runner.config;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One setting of {@code ward run}, declared once in {@link Settings}: everything else (the
 * picocli flag, the {@code WARD_*} environment variable, the YAML key, the default, the
 * {@code --help} text and the row of {@code docs/configuration.md}) is derived from it.
 *
 * <p>A plain setting has a flag {@code --KEY}, a variable named after the key ({@code interval}
 * is {@code WARD_INTERVAL}), the YAML key {@code KEY}, and a typed default, usually the library's
 * own constant. A secret setting ({@link #secret()}) has no flag and no default; it comes from its
 * variable or from a file named by {@link #fileEnv()} or by the YAML key {@code KEY-file}.
 * Immutable.
 *
 * @param <T> the type of the parsed value
 */
public final class Setting<T> {
    /** The placeholder that {@link #help()} replaces with the default, as text. */
    static final String DEFAULT_PLACEHOLDER = "{default}";

    private final String key;
    private final Type<T> type;
    private final boolean secret;
    private final String label;
    private final T defaultValue;
    private final String defaultText;
    private final String shownAs;
    private final String help;
    private final String doc;

    private Setting(Builder<T> b) {
        this.key = b.key;
        this.type = b.type;
        this.secret = b.secret;
        this.label = b.label;
        this.defaultValue = b.defaultValue;
        this.defaultText = b.defaultText;
        this.shownAs = b.shownAs;
        this.help = b.help;
        this.doc = Objects.requireNonNull(b.doc, "doc");
    }

    /**
     * How the text of a setting becomes its value, and a default its text.
     *
     * @param parse text (already stripped) to value; throws {@link IllegalArgumentException} saying what is wrong
     * @param format value to the text that {@code parse} reads back, for the default shown in help and docs
     * @param <T> the value type
     */
    public record Type<T>(Function<String, T> parse, Function<T, String> format) {
        /**
         * A type whose default is shown with {@link String#valueOf}.
         *
         * @param parse text to value
         * @param <T> the value type
         * @return the type
         */
        static <T> Type<T> of(Function<String, T> parse) {
            return new Type<>(parse, String::valueOf);
        }
    }

    /**
     * Starts a plain setting.
     *
     * @param key the key: lower case words joined by {@code -}
     * @param type how its text is parsed
     * @param <T> the value type
     * @return a builder
     */
    static <T> Builder<T> of(String key, Type<T> type) {
        return new Builder<>(key, type, false);
    }

    /**
     * Starts a secret setting.
     *
     * @param key the key
     * @return a builder
     */
    static Builder<io.github.wardops.ward.Secret> secret(String key) {
        return new Builder<>(key, null, true);
    }

    /**
     * The key: the flag without {@code --}, the YAML key, and what messages name.
     *
     * @return the key, such as {@code icmp-pps}
     */
    public String key() {
        return key;
    }

    /**
     * The environment variable: {@code WARD_} and the key in upper case, {@code -} as {@code _}.
     *
     * @return the variable, such as {@code WARD_ICMP_PPS}
     */
    public String env() {
        return "WARD_" + key.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /**
     * The environment variable naming a file that holds a secret: {@code env() + "_FILE"}.
     *
     * @return the variable name
     */
    public String fileEnv() {
        return env() + "_FILE";
    }

    /**
     * The command-line flag.
     *
     * @return {@code --KEY}; empty for a secret, which has none
     */
    public Optional<String> flag() {
        return secret ? Optional.empty() : Optional.of("--" + key);
    }

    /**
     * The key of the YAML configuration file.
     *
     * @return the key, or for a secret {@code KEY-file}: a secret's value is never read from the file itself
     */
    public String yamlKey() {
        return secret ? key + "-file" : key;
    }

    /**
     * Whether this is a secret: from the environment or a file only, never printed.
     *
     * @return {@code true} for a secret
     */
    public boolean secret() {
        return secret;
    }

    /**
     * The default.
     *
     * @return the value used when nothing sets it; empty when unset means "none" (see {@link #shownAs()})
     */
    public Optional<T> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    /**
     * The default as text, as {@code ward config --print} shows it and as it is parsed.
     *
     * @return the text, or {@code null} when there is no default
     */
    public String defaultText() {
        return defaultText;
    }

    /**
     * What the docs say when there is no default, such as {@code the bundled fleet}.
     *
     * @return the text (Markdown), or {@code null} when there is a default
     */
    public String shownAs() {
        return shownAs;
    }

    /**
     * The flag's parameter label in {@code --help}, such as {@code DURATION}.
     *
     * @return the label, {@code null} for a secret
     */
    public String label() {
        return label;
    }

    /**
     * The flag's {@code --help} text, with the default filled in.
     *
     * @return the text, {@code null} for a secret
     */
    public String help() {
        return help(defaultText);
    }

    /**
     * The one-line help with another default (a command with defaults of its own, such as
     * {@code ward demo}).
     *
     * @param shownDefault the default to show
     * @return the text, or {@code null} when the setting has no flag help
     */
    public String help(String shownDefault) {
        return help == null ? null : help.replace(DEFAULT_PLACEHOLDER, String.valueOf(shownDefault));
    }

    /**
     * What the setting means, for the Meaning column of {@code docs/configuration.md}.
     *
     * @return Markdown text on one line
     */
    public String doc() {
        return doc;
    }

    /**
     * Parses a value.
     *
     * @param text the text, already stripped
     * @return the value
     * @throws IllegalArgumentException saying why the text is not a value of this setting
     */
    public T parse(String text) {
        if (type == null) {
            throw new UnsupportedOperationException(key + " is a secret");
        }
        return type.parse().apply(text);
    }

    /**
     * The effective value among the layered raw values, or a problem naming the key, the origin
     * and the value (never a URL's password: see {@link RunSettings}).
     *
     * @param raw key to {value, origin}
     * @param problems where a problem is added
     * @return the value; {@code null} when unset or invalid
     */
    T resolve(Map<String, String[]> raw, List<String> problems) {
        String[] v = raw.get(key);
        if (v == null) {
            return null;
        }
        try {
            return parse(v[0].strip());
        } catch (Values.HoldsSecret e) {
            problems.add(key + " (from " + v[1] + "): " + e.getMessage());
            return null;
        } catch (IllegalArgumentException e) {
            problems.add(key + " = '" + Values.masked(key, v[0]) + "' (from " + v[1] + "): " + e.getMessage());
            return null;
        }
    }

    @Override
    public String toString() {
        return key;
    }

    /**
     * Declares a {@link Setting}. Not thread-safe.
     *
     * @param <T> the value type
     */
    static final class Builder<T> {
        private final String key;
        private final Type<T> type;
        private final boolean secret;
        private String label;
        private T defaultValue;
        private String defaultText;
        private String shownAs;
        private String help;
        private String doc;

        private Builder(String key, Type<T> type, boolean secret) {
            if (!key.matches("[a-z][a-z0-9]*(-[a-z0-9]+)*")) {
                throw new IllegalArgumentException("not a setting key: " + key);
            }
            this.key = key;
            this.type = type;
            this.secret = secret;
        }

        Builder<T> label(String l) {
            this.label = l;
            return this;
        }

        /** The default, shown as the type formats it. */
        Builder<T> byDefault(T value) {
            this.defaultValue = Objects.requireNonNull(value);
            this.defaultText = type.format().apply(value);
            return this;
        }

        /** A default whose natural form is its text (a rule list): parsed here, so a bad one fails at class load. */
        Builder<T> byDefaultText(String text) {
            this.defaultValue = type.parse().apply(text);
            this.defaultText = text;
            return this;
        }

        Builder<T> shownAs(String text) {
            this.shownAs = text;
            return this;
        }

        Builder<T> help(String text) {
            this.help = text;
            return this;
        }

        Builder<T> doc(String text) {
            this.doc = text;
            return this;
        }

        Setting<T> build() {
            if (secret != (label == null) || secret != (help == null)) {
                throw new IllegalStateException(key + ": a flag needs a label and help, a secret has neither");
            }
            if (!secret && (defaultText == null) == (shownAs == null)) {
                throw new IllegalStateException(key + ": either a default or what is shown without one");
            }
            if (help != null && help.contains(DEFAULT_PLACEHOLDER) && defaultText == null) {
                throw new IllegalStateException(key + ": the help names a default it does not have");
            }
            return new Setting<>(this);
        }
    }
}
