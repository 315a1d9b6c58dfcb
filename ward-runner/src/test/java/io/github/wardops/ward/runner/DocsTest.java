package io.github.wardops.ward.runner;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.github.wardops.ward.runner.config.RunSettings;
import io.github.wardops.ward.runner.http.DeviceView;
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
        String doc = doc("configuration.md");
        for (RunSettings.Key k : RunSettings.KEYS) {
            assertTrue(doc.contains("`--" + k.key() + " "), "--" + k.key());
            assertTrue(doc.contains("`" + k.env() + "`"), k.env());
            if (k.defaultValue() != null) {
                assertTrue(doc.contains("`" + k.defaultValue() + "`"), k.key() + " default " + k.defaultValue());
            }
        }
    }

    @Test
    void apiDocumentsEveryDeviceField() throws IOException {
        String doc = doc("api.md");
        List<String> fields = Arrays.stream(DeviceView.class.getRecordComponents()).map(RecordComponent::getName).toList();
        for (String f : fields) {
            assertTrue(doc.contains("| `" + f + "`"), f);
        }
        assertTrue(Arrays.asList(DeviceView.class.getAnnotation(JsonPropertyOrder.class).value()).containsAll(fields),
                "every field has a place in the JSON order");
    }
}
