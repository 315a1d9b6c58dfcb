package io.github.wardops.ward.runner.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The settings tables of docs/configuration.md are the ones {@link Settings} writes. */
class SettingsDocTest {
    private static final Path DOC = Path.of("..", "docs", "configuration.md");
    private static final String HOW = "./mvnw -B -o -pl ward-runner -am test -Dtest=SettingsDocTest "
            + "-Dsurefire.failIfNoSpecifiedTests=false -Dward.regenerateDocs=true";

    @Test
    void theGeneratedTablesAreCurrent() throws IOException {
        String doc = Files.readString(DOC);
        String current = SettingsDoc.regenerate(doc);
        if (Boolean.getBoolean("ward.regenerateDocs")) {
            Files.writeString(DOC, current);
            return;
        }
        if (!current.equals(doc)) {
            List<String> want = current.lines().toList();
            List<String> have = doc.lines().toList();
            int i = 0;
            while (i < want.size() && i < have.size() && want.get(i).equals(have.get(i))) {
                i++;
            }
            fail("docs/configuration.md is stale: its settings tables are generated from ward-runner's "
                    + "config/Settings.java. Regenerate them with: " + HOW + "\nFirst difference, line " + (i + 1)
                    + ":\n  doc:       " + (i < have.size() ? have.get(i) : "(end)")
                    + "\n  generated: " + (i < want.size() ? want.get(i) : "(end)"));
        }
    }

    @Test
    void everySettingHasItsOwnRowWithItsVariableAndDefault() {
        String settings = String.join("\n", SettingsDoc.settingsTable());
        String secrets = String.join("\n", SettingsDoc.secretsTable());
        for (Setting<?> s : Settings.ALL) {
            if (s.secret()) {
                assertTrue(secrets.contains("| `" + s.key() + "` | `" + s.env() + "` | `" + s.env() + "_FILE`, `"
                        + s.key() + "-file` |"), s.key());
            } else {
                String def = s.defaultText() == null ? s.shownAs() : "`" + s.defaultText() + "`";
                assertTrue(settings.contains("| `--" + s.key() + " " + s.label().replace('|', '/') + "` | `" + s.env()
                        + "` | " + def + " | "), s.key());
            }
        }
        assertTrue(settings.contains("| `--interval DURATION` | `WARD_INTERVAL` | `30s` | "), settings);
        assertTrue(settings.contains("| `--storage postgres/off` | `WARD_STORAGE` | `postgres` | "), settings);
        assertTrue(settings.contains("| `--snmp-interval DURATION` | `WARD_SNMP_INTERVAL` | `60s` | "), settings);
    }

    @Test
    void regeneratingReplacesOnlyWhatIsBetweenTheMarkers() {
        String doc = "intro\n<!-- generated: settings x -->\nold\n<!-- end generated: settings -->\nmiddle\n"
                + "<!-- generated: secrets x -->\n<!-- end generated: secrets -->\nend\n";
        String out = SettingsDoc.regenerate(doc);
        assertTrue(out.startsWith("intro\n<!-- generated: settings x -->\n| Flag | Environment |"), out);
        assertTrue(out.contains("|\n\n<!-- end generated: settings -->\nmiddle\n<!-- generated: secrets x -->\n| Secret |"), out);
        assertTrue(out.endsWith("|\n\n<!-- end generated: secrets -->\nend\n"), out);
        assertEquals(out, SettingsDoc.regenerate(out), "idempotent");
        assertThrows(IllegalArgumentException.class, () -> SettingsDoc.regenerate("no markers"));
    }
}
