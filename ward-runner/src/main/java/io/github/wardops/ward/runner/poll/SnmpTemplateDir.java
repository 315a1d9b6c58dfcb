package io.github.wardops.ward.runner.poll;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.snmp.poller.VendorTemplate;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The SNMP templates of the {@code snmp-templates} directory: every {@code *.tmpl} file in it, in
 * name order. A file that cannot be read or does not parse is left out with its problems (file,
 * line, what is wrong); the others are used. Immutable once loaded.
 *
 * @param dir the directory
 * @param templates the templates that parsed, in file-name order
 * @param files the names of the files they came from, in the same order
 * @param failed the names of the files left out
 * @param problems every problem of the files left out, each {@code file:line: problem} or {@code file: problem}
 */
public record SnmpTemplateDir(Path dir, List<VendorTemplate> templates, List<String> files, List<String> failed,
                              List<String> problems) {
    /** The most template files read from the directory. */
    public static final int MAX_FILES = 1_000;
    /** The largest template file read. */
    public static final long MAX_FILE_BYTES = 1024 * 1024;

    /**
     * Copies the lists.
     */
    public SnmpTemplateDir {
        Objects.requireNonNull(dir, "dir");
        templates = List.copyOf(templates);
        files = List.copyOf(files);
        failed = List.copyOf(failed);
        problems = List.copyOf(problems);
    }

    /**
     * Reads the directory.
     *
     * @param dir the directory
     * @return what was read
     * @throws InvalidConfigurationException when {@code dir} is not a readable directory, or holds more than
     *     {@value #MAX_FILES} template files
     */
    public static SnmpTemplateDir load(Path dir) {
        String setting = "snmp-templates " + dir;
        if (!Files.isDirectory(dir)) {
            throw new InvalidConfigurationException(setting, List.of(Files.exists(dir) ? "is not a directory"
                    : "no such directory"));
        }
        List<Path> paths = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.tmpl")) {
            for (Path p : ds) {
                if (Files.isRegularFile(p)) {
                    paths.add(p);
                    if (paths.size() > MAX_FILES) {
                        throw new InvalidConfigurationException(setting, List.of("more than " + MAX_FILES + " *.tmpl files"));
                    }
                }
            }
        } catch (IOException e) {
            throw new InvalidConfigurationException(setting, List.of("cannot be listed: " + e.getClass().getSimpleName()));
        }
        paths.sort(null);
        List<VendorTemplate> templates = new ArrayList<>();
        List<String> files = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Map<String, String> byName = new HashMap<>();
        for (Path p : paths) {
            String file = p.getFileName().toString();
            try {
                long size = Files.size(p);
                if (size > MAX_FILE_BYTES) {
                    throw new InvalidConfigurationException(file, List.of(file + ": " + size + " bytes, more than 1 MiB"));
                }
                String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(p))).toString();
                VendorTemplate t = VendorTemplate.parse(file, text);
                String other = byName.putIfAbsent(t.vendor(), file);
                if (other != null) {
                    throw new InvalidConfigurationException(file, List.of(file + ": template '" + t.vendor()
                            + "' is already defined by " + other));
                }
                templates.add(t);
                files.add(file);
            } catch (InvalidConfigurationException e) {
                failed.add(file);
                problems.addAll(e.problems());
            } catch (CharacterCodingException e) {
                failed.add(file);
                problems.add(file + ": not UTF-8 text");
            } catch (IOException e) {
                failed.add(file);
                problems.add(file + ": cannot be read: " + e.getClass().getSimpleName());
            }
        }
        return new SnmpTemplateDir(dir, templates, files, failed, problems);
    }

    /**
     * A one-line summary for {@code /ready} and the start-up log.
     *
     * @return such as {@code "3 templates from /etc/ward/templates; 1 file not used: bad.tmpl:4: ..."}
     */
    public String summary() {
        StringBuilder b = new StringBuilder();
        b.append(templates.size()).append(templates.size() == 1 ? " template" : " templates").append(" from ").append(dir);
        if (!templates.isEmpty()) {
            b.append(" (").append(String.join(", ", templates.stream().map(VendorTemplate::vendor).toList())).append(')');
        }
        if (!failed.isEmpty()) {
            b.append("; ").append(failed.size()).append(failed.size() == 1 ? " file" : " files").append(" not used: ");
            int shown = Math.min(problems.size(), 5);
            b.append(String.join("; ", problems.subList(0, shown)));
            if (problems.size() > shown) {
                b.append("; and ").append(problems.size() - shown).append(" more (see the log)");
            }
        }
        return b.toString();
    }
}
