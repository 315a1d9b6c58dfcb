package io.github.wardops.ward.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.github.wardops.ward.runner.config.RunSettings;
import io.github.wardops.ward.runner.config.Setting;
import io.github.wardops.ward.runner.config.Settings;
import io.github.wardops.ward.runner.http.AlertView;
import io.github.wardops.ward.runner.http.CheckView;
import io.github.wardops.ward.runner.http.DeviceDetail;
import io.github.wardops.ward.runner.http.DeviceView;
import io.github.wardops.ward.runner.http.StateView;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The docs name every setting and every JSON field, so they cannot silently fall behind the code. */
class DocsTest {
    private static String doc(String name) throws IOException {
        return Files.readString(Path.of("..", "docs", name));
    }

    @Test
    void configurationDocumentsEveryRunSettingWithItsEnvironmentVariableAndDefault() throws IOException {
        List<String> rows = doc("configuration.md").lines().filter(l -> l.startsWith("| `")).toList();
        for (Setting<?> k : Settings.ALL) {
            // The key's own table row: its columns are flag (or key), environment, default (or file), meaning.
            String start = k.secret() ? "| `" + k.key() + "` |" : "| `--" + k.key() + " ";
            List<String> own = rows.stream().filter(l -> l.startsWith(start)).toList();
            assertEquals(1, own.size(), k.key() + ": one table row starting with " + start);
            String row = own.getFirst();
            if (k.secret()) {
                assertTrue(row.startsWith(start + " `" + k.env() + "` | `" + k.fileEnv() + "`, `" + k.key() + "-file` |"),
                        k.key() + ": environment and file columns of " + row);
            } else {
                assertTrue(row.contains("` | `" + k.env() + "` | "), k.key() + ": environment column of " + row);
                if (k.defaultText() != null) {
                    assertTrue(row.contains("` | `" + k.env() + "` | `" + k.defaultText() + "` | "),
                            k.key() + ": default column should be `" + k.defaultText() + "` in " + row);
                }
            }
        }
    }

    @Test
    void configurationDocumentsTheConfigFileAndTheCommand() throws IOException {
        String doc = doc("configuration.md");
        assertTrue(doc.contains("`--config FILE.yaml`"));
        assertTrue(doc.contains("`" + RunSettings.CONFIG_ENV + "`"));
        assertTrue(doc.contains("ward config --print"));
    }

    @Test
    void apiDocumentsEveryFieldOfEveryJsonObject() throws IOException {
        String doc = doc("api.md");
        for (Class<?> type : List.of(DeviceView.class, AlertView.class, DeviceDetail.class, CheckView.class, StateView.class)) {
            // Each object has its own table, headed by its name.
            String heading = "<!-- fields: " + type.getSimpleName() + " -->";
            int at = doc.indexOf(heading);
            assertTrue(at >= 0, heading);
            int end = doc.indexOf("<!-- fields:", at + heading.length());
            String table = doc.substring(at, end < 0 ? doc.length() : end);
            List<String> fields = Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList();
            for (String f : fields) {
                assertTrue(table.contains("| `" + f + "`"), type.getSimpleName() + "." + f);
            }
            assertTrue(Arrays.asList(type.getAnnotation(JsonPropertyOrder.class).value()).containsAll(fields),
                    type.getSimpleName() + ": every field has a place in the JSON order");
        }
        for (String route : List.of("`GET /ready`", "`GET /api/devices/{id}`", "`GET /api/status`", "`GET /api/alerts`", "`POST /api/alerts/{id}/ack`",
                "`GET /`")) {
            assertTrue(doc.contains(route), route);
        }
    }
}
