package io.github.wardops.ward.runner.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The settings tables of {@code docs/configuration.md}, written from {@link Settings#ALL}
 * between {@code <!-- generated: NAME -->} and {@code <!-- end generated: NAME -->} lines.
 * Stateless.
 */
final class SettingsDoc {
    /** The table of flags, with the {@code --config} row first. */
    static final String SETTINGS = "settings";
    /** The table of secrets. */
    static final String SECRETS = "secrets";

    private SettingsDoc() {
    }

    /**
     * The Markdown table of the plain settings.
     *
     * @return the lines, header first
     */
    static List<String> settingsTable() {
        List<String> out = new ArrayList<>();
        out.add("| Flag | Environment | Default | Meaning |");
        out.add("|------|-------------|---------|---------|");
        out.add("| `--config FILE.yaml` | `" + RunSettings.CONFIG_ENV + "` | `./" + RunSettings.DEFAULT_CONFIG_FILE
                + "` when present | The YAML configuration file (below). A file that is named but missing is an error. |");
        for (Setting<?> s : Settings.ALL) {
            if (s.secret()) {
                continue;
            }
            // A | inside a table cell would end it: file|database|both reads file/database/both.
            String flag = s.flag().orElseThrow() + " " + s.label().replace('|', '/');
            String def = s.defaultText() != null ? "`" + s.defaultText() + "`" : s.shownAs();
            out.add("| `" + flag + "` | `" + s.env() + "` | " + def + " | " + s.doc() + " |");
        }
        return out;
    }

    /**
     * The Markdown table of the secrets.
     *
     * @return the lines, header first
     */
    static List<String> secretsTable() {
        List<String> out = new ArrayList<>();
        out.add("| Secret | Environment | File | Meaning |");
        out.add("|--------|-------------|------|---------|");
        for (Setting<?> s : Settings.ALL) {
            if (s.secret()) {
                out.add("| `" + s.key() + "` | `" + s.env() + "` | `" + s.fileEnv() + "`, `" + s.yamlKey() + "` | "
                        + s.doc() + " |");
            }
        }
        return out;
    }

    /**
     * The document with both tables written between their markers.
     *
     * @param doc the document
     * @return the document regenerated; equal to {@code doc} when it is current
     * @throws IllegalArgumentException when a pair of markers is missing
     */
    static String regenerate(String doc) {
        return replace(replace(doc, SETTINGS, settingsTable()), SECRETS, secretsTable());
    }

    private static String replace(String doc, String name, List<String> lines) {
        String begin = "<!-- generated: " + name + " ";
        String end = "<!-- end generated: " + name + " -->";
        int b = doc.indexOf(begin);
        int e = doc.indexOf(end);
        if (b < 0 || e < b) {
            throw new IllegalArgumentException("no '" + begin + "...-->' line followed by '" + end + "'");
        }
        int from = doc.indexOf('\n', b) + 1;
        // The blank line ends the table before the end marker in every Markdown renderer.
        return doc.substring(0, from) + String.join("\n", lines) + "\n\n" + doc.substring(e);
    }
}
