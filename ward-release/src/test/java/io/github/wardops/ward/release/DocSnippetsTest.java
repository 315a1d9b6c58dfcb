package io.github.wardops.ward.release;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compiles every Java snippet in docs/*.md and README.md against ward's published API, so the
 * docs cannot drift from the code. A snippet starts with {@code // snippet: NAME}; a line
 * {@code // given: Type name; Type name} declares what the snippet assumes (they become method
 * parameters), and a line {@code ...} stands for code the reader writes. Type declarations
 * become top-level types; statements become a method body.
 */
class DocSnippetsTest {
    private static final Pattern BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final String IMPORTS = """
            import io.github.wardops.ward.*;
            import io.github.wardops.ward.alert.*;
            import io.github.wardops.ward.cache.*;
            import io.github.wardops.ward.examples.prober.*;
            import io.github.wardops.ward.inventory.*;
            import io.github.wardops.ward.mail.*;
            import io.github.wardops.ward.notify.AlertSource;
            import io.github.wardops.ward.notify.Dispatcher;
            import io.github.wardops.ward.notify.NotificationLog;
            import io.github.wardops.ward.notify.Route;
            import io.github.wardops.ward.notify.SilenceStore;
            import io.github.wardops.ward.notify.MessageTemplate;
            import io.github.wardops.ward.notify.Receivers;
            import io.github.wardops.ward.notify.SlackOptions;
            import io.github.wardops.ward.notify.TeamsOptions;
            import io.github.wardops.ward.notify.TelegramOptions;
            import io.github.wardops.ward.postgres.*;
            import io.github.wardops.ward.postgres.cluster.*;
            import io.github.wardops.ward.probe.*;
            import io.github.wardops.ward.redis.*;
            import io.github.wardops.ward.sink.*;
            import io.github.wardops.ward.simulator.net.*;
            import io.github.wardops.ward.simulator.snmp.*;
            import io.github.wardops.ward.snmp.*;
            import io.github.wardops.ward.snmp.poller.*;
            import io.github.wardops.ward.state.*;
            import io.github.wardops.ward.testkit.*;
            import io.github.wardops.ward.testkit.contract.*;
            import io.github.wardops.ward.victoriametrics.*;
            import io.micrometer.core.instrument.MeterRegistry;
            import java.net.InetAddress;
            import java.net.URI;
            import java.net.http.*;
            import java.nio.file.Files;
            import java.nio.file.Path;
            import java.time.*;
            import java.util.*;
            import java.util.concurrent.atomic.AtomicReference;
            """;

    static Stream<Path> docs() throws IOException {
        Path dir = Path.of("..", "docs");
        List<Path> withSnippets = new ArrayList<>();
        List<Path> all = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            all.addAll(s.filter(f -> f.toString().endsWith(".md")).sorted().toList());
        }
        all.add(Path.of("..", "README.md"));
        for (Path p : all) {
            if (Files.readString(p).contains("```java")) {
                withSnippets.add(p);
            }
        }
        assertFalse(withSnippets.isEmpty(), "no doc has snippets: the test would prove nothing");
        return withSnippets.stream();
    }

    @ParameterizedTest
    @MethodSource("docs")
    void snippetsCompile(Path doc) throws IOException {
        String md = Files.readString(doc, StandardCharsets.UTF_8);
        Matcher m = BLOCK.matcher(md);
        StringBuilder types = new StringBuilder();
        StringBuilder body = new StringBuilder();
        int n = 0;
        int wholeFiles = 0;
        while (m.find()) {
            String raw = m.group(1);
            if (raw.startsWith("// file: ")) {
                wholeFiles++;
                continue;   // a whole source file of a guide, compiled and run by the guide's own test (TenMinutesGuideIT)
            }
            assertTrue(raw.startsWith("// snippet: "), doc + ": a Java block without '// snippet: NAME' cannot be compiled:\n" + raw);
            StringBuilder params = new StringBuilder();
            StringBuilder codeSb = new StringBuilder();
            for (String line : raw.lines().toList()) {
                String t = line.strip();
                if (t.startsWith("// given:")) {
                    for (String decl : t.substring("// given:".length()).split(";")) {
                        if (!decl.isBlank()) {
                            params.append(params.length() == 0 ? "" : ", ").append(decl.strip());
                        }
                    }
                } else if (t.equals("...")) {
                    codeSb.append("// (the reader's code)\n");
                } else {
                    codeSb.append(line.replace("{ ... }", "{ }")).append('\n');
                }
            }
            String code = codeSb.toString();
            String first = code.lines().skip(1).filter(l -> !l.isBlank() && !l.strip().startsWith("//")).findFirst().orElse("").strip();
            if (first.matches("(public |final |abstract )*(record|class|interface|enum) .*")) {
                types.append(code).append('\n');
            } else {
                body.append("    void snippet").append(n).append("(").append(params).append(") throws Exception {\n")
                        .append(code).append("\n    }\n");
            }
            n++;
        }
        assertTrue(n > 0 || wholeFiles > 0, doc + " has no snippets");
        if (n == 0) {
            return;
        }
        String className = "Snippets_" + doc.getFileName().toString().replaceAll("[^A-Za-z0-9]", "_");
        String source = IMPORTS + types + "\nclass " + className + " {\n" + body + "}\n";
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diags = new DiagnosticCollector<>();
        JavaFileObject file = new SimpleJavaFileObject(java.net.URI.create("string:///" + className + ".java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        Path out = Files.createTempDirectory("snippets");
        boolean ok = javac.getTask(null, null, diags,
                List.of("-proc:none", "-d", out.toString(), "-cp", System.getProperty("java.class.path")), null, List.of(file)).call();
        StringBuilder report = new StringBuilder();
        diags.getDiagnostics().forEach(d -> report.append(d.getKind()).append(" line ").append(d.getLineNumber()).append(": ")
                .append(d.getMessage(Locale.ROOT)).append('\n'));
        assertTrue(ok, doc + ": snippets do not compile:\n" + report + "\n--- source ---\n" + source);
    }
}
