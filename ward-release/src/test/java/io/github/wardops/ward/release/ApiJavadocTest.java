package io.github.wardops.ward.release;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every public type in a published module's exported packages has a class Javadoc that states
 * its threading contract (thread-safe, immutable, or not thread-safe), and its Javadoc (the
 * type's or its members') states its nullness contract. Enums are exempt from both. Doclint
 * (release profile) checks that every member has Javadoc at all.
 */
class ApiJavadocTest {
    /** Unqualified exports only: a qualified one shares internals with ward's own modules and is no API. */
    private static final Pattern EXPORTS = Pattern.compile("^\\s*exports\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    private static final Pattern TYPE = Pattern.compile(
            "(/\\*\\*(?:(?!\\*/).)*\\*/)\\s*(?:@[\\w.]+(?:\\([^)]*\\))?\\s*)*public\\s+(?:final\\s+|abstract\\s+|sealed\\s+|non-sealed\\s+)*"
                    + "(class|interface|record|enum|@interface)\\s+(\\w+)", Pattern.DOTALL);
    private static final Pattern PUBLIC_TYPE = Pattern.compile(
            "^public\\s+(?:final\\s+|abstract\\s+|sealed\\s+|non-sealed\\s+)*(class|interface|record|enum|@interface)\\s", Pattern.MULTILINE);

    @ParameterizedTest
    @ValueSource(strings = {"ward-core", "ward-snmp", "ward-victoriametrics", "ward-simulator", "ward-redis",
            "ward-postgres", "ward-mail", "ward-testkit"})
    void everyPublicTypeStatesItsThreadingContract(String module) throws Exception {
        Path src = Path.of("..", module, "src/main/java");
        Matcher m = EXPORTS.matcher(Files.readString(src.resolve("module-info.java")));
        List<String> problems = new ArrayList<>();
        int checked = 0;
        while (m.find()) {
            Path dir = src.resolve(m.group(1).replace('.', '/'));
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java") && !p.endsWith("package-info.java")).sorted().toList()) {
                    String s = Files.readString(f);
                    if (!PUBLIC_TYPE.matcher(s).find()) {
                        continue;
                    }
                    checked++;
                    Matcher t = TYPE.matcher(s);
                    if (!t.find()) {
                        problems.add(f + ": the public type has no Javadoc");
                        continue;
                    }
                    String doc = t.group(1).toLowerCase(java.util.Locale.ROOT);
                    if (!t.group(2).equals("enum") && !doc.contains("thread") && !doc.contains("immutable")) {
                        problems.add(f + ": " + t.group(3) + "'s Javadoc does not say whether it is thread-safe or immutable");
                    }
                    if (!t.group(2).equals("enum") && !javadocOf(s).contains("null")) {
                        problems.add(f + ": " + t.group(3) + "'s Javadoc says nothing about null");
                    }
                }
            }
        }
        assertTrue(checked > 0, "no public types found in " + module);
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    /** All Javadoc comments of a source file, concatenated. */
    private static String javadocOf(String source) {
        StringBuilder sb = new StringBuilder();
        Matcher m = Pattern.compile("/\\*\\*(?:(?!\\*/).)*\\*/", Pattern.DOTALL).matcher(source);
        while (m.find()) {
            sb.append(m.group()).append('\n');
        }
        return sb.toString();
    }
}
