package io.github.wardops.ward.runner.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.snmp.poller.VendorTemplate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The snmp-templates directory: every bad file left out with its problems, the others used. */
class SnmpTemplateDirTest {
    @TempDir
    Path dir;

    private static final String GOOD = "vendor %s\nmatch 1.3.6.1.4.1.9\ntable t 1.3.6.1.2.1.2.2.1 1m\ncolumn t c 10 counter octets\n";

    @Test
    void everyBadFileIsLeftOutWithItsProblemsAndTheOthersAreUsed() throws Exception {
        Files.writeString(dir.resolve("a-good.tmpl"), GOOD.formatted("cisco"));
        Files.writeString(dir.resolve("b-same-name.tmpl"), GOOD.formatted("cisco"));
        Files.writeString(dir.resolve("c-bad.tmpl"), "vendor bad\nmatch 1.3.6.1.4.1.9\nitem x 1.3.6 gauge - 10q\nfrob\n");
        Files.write(dir.resolve("d-latin1.tmpl"), new byte[] {'v', 'e', 'n', (byte) 0xE9, '\n'});
        Files.write(dir.resolve("e-huge.tmpl"), new byte[(int) SnmpTemplateDir.MAX_FILE_BYTES + 1]);
        Files.writeString(dir.resolve("f-good.tmpl"), GOOD.formatted("other"));
        Files.writeString(dir.resolve("readme.md"), "ignored");
        Files.createDirectories(dir.resolve("sub.tmpl"));
        SnmpTemplateDir t = SnmpTemplateDir.load(dir);
        assertEquals(List.of("cisco", "other"), t.templates().stream().map(VendorTemplate::vendor).toList());
        assertEquals(List.of("a-good.tmpl", "f-good.tmpl"), t.files());
        assertEquals(List.of("b-same-name.tmpl", "c-bad.tmpl", "d-latin1.tmpl", "e-huge.tmpl"), t.failed());
        assertEquals(List.of(
                "b-same-name.tmpl: template 'cisco' is already defined by a-good.tmpl",
                "c-bad.tmpl:3: interval '10q' must look like 30s, 5m or 1h",
                "c-bad.tmpl:4: unknown directive 'frob' (expected vendor, match, select, item, table, label, column or trap)",
                "d-latin1.tmpl: not UTF-8 text",
                "e-huge.tmpl: 1048577 bytes, more than 1 MiB"), t.problems());
        String summary = t.summary();
        assertTrue(summary.startsWith("2 templates from " + dir + " (cisco, other); 4 files not used: b-same-name.tmpl: "),
                summary);
        assertTrue(summary.endsWith("d-latin1.tmpl: not UTF-8 text; e-huge.tmpl: 1048577 bytes, more than 1 MiB"), summary);
    }

    @Test
    void aMissingDirectoryOrAFileInsteadIsAConfigurationError() throws Exception {
        InvalidConfigurationException none = assertThrows(InvalidConfigurationException.class,
                () -> SnmpTemplateDir.load(dir.resolve("nowhere")));
        assertEquals(List.of("no such directory"), none.problems());
        Path file = Files.writeString(dir.resolve("x.tmpl"), GOOD.formatted("x"));
        InvalidConfigurationException notDir = assertThrows(InvalidConfigurationException.class,
                () -> SnmpTemplateDir.load(file));
        assertEquals(List.of("is not a directory"), notDir.problems());
        assertEquals("0 templates from " + dir.resolve("empty"),
                SnmpTemplateDir.load(Files.createDirectories(dir.resolve("empty"))).summary());
    }
}
