package io.github.wardops.ward.runner.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The status page's data block: JSON written through {@link StatusPage.ScriptData} cannot end its
 * {@code <script>} element nor open a comment, parses back to the same values, and leaves other
 * text (multi-byte included) alone; the page in the jar has exactly one place for the block,
 * before its script.
 */
class StatusPageTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String through(byte[] in, boolean byteByByte) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (StatusPage.ScriptData s = new StatusPage.ScriptData(out)) {
            if (byteByByte) {
                for (byte b : in) {
                    s.write(b);
                }
            } else {
                s.write(in, 0, in.length);
            }
        }
        out.write('!');
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void markupInAValueCannotEndTheBlockAndParsesBackUnchanged() throws Exception {
        Map<String, String> value = Map.of("name", "</script><img src=x onerror=alert(1)><!-- & </SCRIPT >", "city", "თბილისი");
        byte[] json = JSON.writeValueAsBytes(value);
        for (boolean byteByByte : new boolean[] {false, true}) {
            String text = through(json, byteByByte);
            assertTrue(text.endsWith("!"), "closing it leaves the stream open");
            String block = text.substring(0, text.length() - 1);
            assertFalse(block.contains("<") || block.contains(">") || block.contains("&"), block);
            assertTrue(block.contains("\\u003c/script\\u003e\\u003cimg"), block);
            assertTrue(block.contains("თბილისი"), "other text as it was");
            assertEquals(value, JSON.readValue(block, Map.class), "the same values");
        }
    }

    @Test
    void thePageHasOnePlaceForItsDataBeforeItsScript() throws Exception {
        String page;
        try (InputStream in = StatusPage.class.getResourceAsStream("/status/index.html")) {
            page = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int at = page.indexOf(StatusPage.MARK);
        assertTrue(at > 0, "the mark is in the page");
        assertEquals(at, page.lastIndexOf(StatusPage.MARK), "once");
        assertTrue(page.indexOf("<script>") > at, "before the script that reads it");
        assertTrue(page.indexOf("</main>") < at, "after the elements it fills");
    }
}
