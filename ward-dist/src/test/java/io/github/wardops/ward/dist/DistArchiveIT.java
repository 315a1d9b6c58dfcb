package io.github.wardops.ward.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The x86_64 archive as a user gets it: unpacked with GNU tar into what would be /opt/ward, run
 * with no JDK anywhere on PATH, its runtime holding what the jar needs, its unit accepted by
 * {@code systemd-analyze verify}.
 */
class DistArchiveIT {
    private static final Path TARGET = Path.of(System.getProperty("ward.dist.dir", "target"));
    private static final String VERSION = System.getProperty("ward.dist.version");
    private static final Path ARCHIVE = TARGET.resolve("ward-" + VERSION + "-linux-x86_64.tar.gz");

    @TempDir
    static Path root;
    /** root/opt/ward: the archive's top directory, moved where the unit expects it. */
    static Path home;

    /** jdeps takes 20-50 s on the jar: started first, so it runs while the other tests do. */
    static Process jdeps;
    static Path jdepsOut;

    @BeforeAll
    static void unpack() throws IOException {
        jdepsOut = Files.createTempFile(root, "jdeps", ".txt");
        jdeps = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jdeps").toString(),
                "--multi-release", "25", "--ignore-missing-deps", "--print-module-deps", System.getProperty("ward.runner.jar"))
                .redirectErrorStream(true).redirectOutput(jdepsOut.toFile()).start();
        assertTrue(Files.isRegularFile(ARCHIVE), "built by the package phase: " + ARCHIVE);
        Path opt = Files.createDirectories(root.resolve("opt"));
        Proc.run(120, null, "tar", "-xzf", ARCHIVE.toString(), "-C", opt.toString()).ok("tar -x");
        home = Files.move(opt.resolve("ward-" + VERSION), opt.resolve("ward"));
    }

    @Test
    void theLayoutHasItsFilesWithTheirModes() throws IOException {
        Map<String, String> modes = Map.of(
                "bin/ward", "rwxr-xr-x",
                "lib/ward-runner.jar", "rw-r--r--",
                "runtime/bin/java", "rwxr-xr-x",
                "runtime/lib/jspawnhelper", "rwxr-xr-x",
                "runtime/lib/modules", "rw-r--r--",
                "etc/ward.yaml", "rw-r-----",
                "etc/devices.csv", "rw-r-----",
                "lib/systemd/ward.service", "rw-r--r--",
                "LICENSE", "rw-r--r--",
                "README.md", "rw-r--r--");
        modes.forEach((file, mode) -> {
            try {
                assertEquals(mode, PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve(file))), file);
            } catch (IOException e) {
                throw new AssertionError(file + " missing: " + e);
            }
        });
        assertEquals("id,name,address\n", Files.readString(home.resolve("etc/devices.csv")));
        assertTrue(Files.readString(home.resolve("LICENSE")).contains("Apache License"));
        assertTrue(Files.readString(home.resolve("runtime/release")).contains("JAVA_VERSION=\"" + Runtime.version().toString().replaceAll("[+-].*", "") + "\""));
        // an x86_64 ELF executable: e_machine (offset 18, little-endian) 0x3e
        byte[] elf = Files.readAllBytes(home.resolve("runtime/bin/java"));
        assertEquals(0x3e, elf[18] & 0xff, "runtime/bin/java is x86_64");
    }

    @Test
    void wardRunsWithNoJdkOnPathNorJavaHome() throws IOException {
        Path tools = Proc.toolsOnly(root.resolve("tools"), "readlink", "dirname");
        // the launcher through a symlink, as /usr/bin/ward is
        Path link = Files.createSymbolicLink(root.resolve("ward-link"), home.resolve("bin/ward"));
        Proc p = Proc.run(120, Map.of("PATH", tools.toString(), "LANG", "C.UTF-8"), link.toString(), "--version").ok("ward --version");
        // made by jlink from the JDK that runs this test: the same version
        String runtimeVersion = Runtime.version().toString();
        assertTrue(p.out().startsWith("ward " + VERSION + "\n"), p.out());
        assertTrue(p.out().contains("Java " + runtimeVersion + " "), "the bundled runtime ran: " + p.out());
        assertFalse(p.out().contains("WARNING"), p.out());
    }

    @Test
    void theBundledRuntimePingsThroughTheFfmApiWithoutWarnings() {
        // raw ICMP sockets as root; otherwise only where ping_group_range lets this user in
        assumeTrue("root".equals(System.getProperty("user.name")), "ICMP needs root (CAP_NET_RAW) here; not root");
        Proc p = Proc.run(120, Map.of("PATH", "/usr/bin:/bin", "LANG", "C.UTF-8"),
                home.resolve("bin/ward").toString(), "sweep", "-t", "2000", "127.0.0.1").ok("ward sweep");
        assertTrue(p.out().contains("127.0.0.1 : xmt/rcv/%loss = 1/1/0%"), p.out());
        assertFalse(p.out().contains("restricted method"), "--enable-native-access is passed: " + p.out());
    }

    @AfterAll
    static void stopJdeps() {
        jdeps.destroyForcibly();
    }

    @Test
    void theRuntimeHoldsEveryModuleJdepsFindsInTheJar() throws IOException, InterruptedException {
        Set<String> listed = new TreeSet<>(Arrays.asList(System.getProperty("ward.jlink.modules").split(",")));
        Proc mods = Proc.run(60, null, home.resolve("runtime/bin/java").toString(), "--list-modules").ok("java --list-modules");
        Set<String> inRuntime = new TreeSet<>();
        mods.out().lines().map(l -> l.replaceAll("@.*", "").strip()).filter(l -> !l.isEmpty()).forEach(inRuntime::add);
        assertTrue(inRuntime.containsAll(listed), "runtime " + inRuntime + " lacks some of " + listed);
        // jdeps of the JDK that built it: a new dependency needing another JDK module fails here
        assertTrue(jdeps.waitFor(300, java.util.concurrent.TimeUnit.SECONDS), "jdeps within 300 s");
        String out = Files.readString(jdepsOut);
        assertEquals(0, jdeps.exitValue(), out);
        List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
        Set<String> needed = new TreeSet<>(Arrays.asList(lines.getLast().strip().split(",")));
        needed.removeAll(listed);
        assertEquals(Set.of(), needed, "modules the jar needs that ward.jlink.modules (ward-dist/pom.xml) lacks");
    }

    @Test
    void theUnitPassesSystemdAnalyzeVerify() throws IOException {
        Path analyze = Proc.which("systemd-analyze");
        assumeTrue(analyze != null, "systemd-analyze is not installed (Debian package systemd): the unit is not verified");
        // a root with systemd's own units, the unit where the .deb puts it and the runtime in /opt/ward
        Path units = Path.of("/usr/lib/systemd/system");
        Path rootUnits = Files.createDirectories(root.resolve("usr/lib/systemd/system"));
        try (var s = Files.list(units)) {
            for (Path u : s.filter(Files::isRegularFile).toList()) {
                Files.copy(u, rootUnits.resolve(u.getFileName()));
            }
        }
        Files.copy(home.resolve("lib/systemd/ward.service"), rootUnits.resolve("ward.service"));
        Proc ok = Proc.run(60, null, analyze.toString(), "--root=" + root, "--man=no", "verify", "ward.service");
        assertEquals(new Proc(0, ""), ok, "systemd-analyze verify: no error, no warning");
        // and it does catch a mistake: a misspelt directive is a warning (exit 0), a missing binary an error
        String unit = Files.readString(home.resolve("lib/systemd/ward.service"));
        Files.writeString(rootUnits.resolve("ward-typo.service"), unit.replace("NoNewPrivileges=", "NoNewPrivilege="));
        Proc typo = Proc.run(60, null, analyze.toString(), "--root=" + root, "--man=no", "verify", "ward-typo.service");
        assertTrue(typo.out().contains("Unknown key 'NoNewPrivilege'"), typo.out());
        Files.writeString(rootUnits.resolve("ward-nojava.service"), unit.replace("/opt/ward/runtime/", "/opt/nowhere/"));
        Proc nojava = Proc.run(60, null, analyze.toString(), "--root=" + root, "--man=no", "verify", "ward-nojava.service");
        assertTrue(nojava.exit() != 0 && nojava.out().contains("/opt/nowhere/bin/java"), nojava.toString());
    }
}
