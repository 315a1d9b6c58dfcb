package io.github.wardops.ward.examples.guide;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Follows docs/ten-minutes.md as a newcomer would: writes the files it shows, checks the pom, runs
 * Main.java with the JDK's source launcher and {@code --enable-native-access=ALL-UNNAMED} (what the
 * pom's exec configuration runs), and compares the output with the guide's step 4.
 */
class TenMinutesGuideIT {
    private static final Pattern FILE = Pattern.compile("<!-- file: (\\S+) -->\\n```[a-z]*\\n(.*?)```", Pattern.DOTALL);

    @TempDir
    Path project;

    private static String guide() throws Exception {
        return Files.readString(Path.of(System.getProperty("guide", "../../docs/ten-minutes.md")), StandardCharsets.UTF_8);
    }

    private static Map<String, String> files(String md) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = FILE.matcher(md);
        while (m.find()) {
            assertNull(out.put(m.group(1), m.group(2)), "the guide shows " + m.group(1) + " twice");
        }
        return out;
    }

    @Test
    void theGuidesPomUsesThisBuildsVersionsAndTheNativeAccessFlag() throws Exception {
        String pom = files(guide()).get("pom.xml");
        assertNotNull(pom, "the guide shows no pom.xml");
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(pom.getBytes(StandardCharsets.UTF_8)));
        Map<String, String> managed = new LinkedHashMap<>();
        Map<String, String> deps = new LinkedHashMap<>();
        NodeList all = doc.getElementsByTagName("dependency");
        for (int i = 0; i < all.getLength(); i++) {
            Element d = (Element) all.item(i);
            String artifact = text(d, "artifactId");
            boolean inManagement = d.getParentNode().getParentNode().getNodeName().equals("dependencyManagement");
            (inManagement ? managed : deps).put(artifact, text(d, "version"));
        }
        assertEquals(Map.of("ward-bom", System.getProperty("ward.version")), managed,
                "the BOM, at the version this build makes");
        assertEquals(List.of("ward-core", "slf4j-simple"), List.copyOf(deps.keySet()),
                "the guide's dependencies are this module's: it runs on exactly them");
        assertEquals("", deps.get("ward-core"), "ward-core's version comes from the BOM");
        assertEquals(System.getProperty("slf4j.version"), deps.get("slf4j-simple"));
        assertTrue(pom.contains("<argument>--enable-native-access=ALL-UNNAMED</argument>"), pom);
        assertTrue(pom.contains("<argument>Main</argument>"), "exec runs the guide's Main");
    }

    @Test
    void mainRunsAndPrintsWhatStepFourShows() throws Exception {
        String md = guide();
        Map<String, String> files = files(md);
        assertEquals(List.of("pom.xml", "src/main/java/Main.java"), List.copyOf(files.keySet()));
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path p = project.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.writeString(p, f.getValue(), StandardCharsets.UTF_8);
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path stdout = project.resolve("out.txt");
        Path stderr = project.resolve("err.txt");
        Process p = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "src/main/java/Main.java")
                .directory(project.toFile())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                .start();
        boolean ended = p.waitFor(120, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly().waitFor();
        }
        String out = Files.readString(stdout);
        String err = Files.readString(stderr);
        assertTrue(ended, "Main did not end in 120 s; it prints:\n" + out + err);
        assertEquals(0, p.exitValue(), "Main failed:\n" + out + err);
        assertFalse(err.contains("restricted method"), "the flag the guide gives silences the FFM warning:\n" + err);

        // Step 4's block: every line in it (but "...") is in the output, with any numbers.
        Matcher step4 = Pattern.compile("## 4\\..*?```\\n(.*?)```", Pattern.DOTALL).matcher(md);
        assertTrue(step4.find(), "the guide has no output block in step 4");
        List<String> expected = step4.group(1).lines().filter(l -> !l.equals("...")).toList();
        assertTrue(expected.size() >= 5, "step 4 shows too little to check: " + expected);
        List<String> lines = out.lines().toList();
        for (String e : expected) {
            Pattern like = Pattern.compile(Pattern.quote(e).replaceAll("\\d+", "\\\\E\\\\d+\\\\Q"));
            assertTrue(lines.stream().anyMatch(l -> like.matcher(l).matches()),
                    "step 4 shows '" + e + "', which Main does not print:\n" + out);
        }
        // The order the guide explains: confirmed down, then alerted; the count of probes last.
        int down = index(lines, "STATE atm-7 UNKNOWN -> DOWN");
        int alert = indexStarting(lines, "ALERT CRITICAL 'Device down': atm-7");
        assertTrue(down >= 0 && alert > down, "the alert follows the confirmed DOWN:\n" + out);
        assertTrue(lines.getLast().startsWith("PROBES "), out);
        long probes = Long.parseLong(lines.getLast().substring("PROBES ".length()));
        long results = lines.stream().filter(l -> l.startsWith("RESULT ")).count();
        assertEquals(results, probes, "ward.probes counts every result the sink printed");
        assertFalse(lines.stream().anyMatch(l -> l.startsWith("STATE router-1") && l.endsWith("DOWN")), out);
    }

    private static int index(List<String> lines, String line) {
        return new ArrayList<>(lines).indexOf(line);
    }

    private static int indexStarting(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    private static String text(Element e, String tag) {
        NodeList n = e.getElementsByTagName(tag);
        return n.getLength() == 0 ? "" : n.item(0).getTextContent().strip();
    }
}
