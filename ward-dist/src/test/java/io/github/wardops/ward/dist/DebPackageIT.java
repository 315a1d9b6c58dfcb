package io.github.wardops.ward.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The .deb through dpkg on this machine, as root: install, upgrade to a higher version with an
 * edited conffile and data in /var/lib/ward, remove, purge. The machine is a throwaway in CI; the
 * package is always purged at the end, also when an assertion fails. Skipped (saying why) when
 * not root, without dpkg, or when a package or a user named ward is already here.
 */
class DebPackageIT {
    private static final Path TARGET = Path.of(System.getProperty("ward.dist.dir", "target"));
    private static final String VERSION = System.getProperty("ward.dist.version");
    private static final Map<String, String> ENV = Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin",
            "LANG", "C.UTF-8", "DEBIAN_FRONTEND", "noninteractive");

    @TempDir
    Path tmp;
    private final long started = System.nanoTime();

    /** Where the time goes, in the test's output. */
    private void stage(String done) {
        System.out.printf("DebPackageIT: %-40s at %5.1f s%n", done, (System.nanoTime() - started) / 1e9);
    }

    @Test
    void installUpgradeRemoveAndPurge() throws IOException, InterruptedException {
        assumeTrue("root".equals(System.getProperty("user.name")), "dpkg -i needs root; not root: the .deb is not tested");
        assumeTrue(Proc.which("dpkg") != null && Proc.which("dpkg-deb") != null, "no dpkg here: the .deb is not tested");
        assumeTrue(!packagePresent(), "a package named ward is installed (or its configuration left) on this machine: not touching it");
        assumeTrue(Proc.run(30, ENV, "getent", "passwd", "ward").exit() != 0,
                "a user named ward exists on this machine: a purge would delete it, so the .deb is not tested");
        Path deb;
        try (var s = Files.list(TARGET)) {
            deb = s.filter(p -> p.getFileName().toString().matches("ward_.*_amd64\\.deb")).findFirst().orElseThrow();
        }
        String debVersion = VERSION.replace('-', '~');
        try {
            dpkg("-i", deb.toString());
            stage("installed");
            assertInstalled(debVersion);
            stage("checked");

            // an operator's edit and the service's data, which an upgrade must keep
            Path yaml = Path.of("/etc/ward/ward.yaml");
            Files.writeString(yaml, Files.readString(yaml).replace("interval: 30s", "interval: 60s"));
            Path data = Path.of("/var/lib/ward/pg-marker");
            Files.writeString(data, "kept");
            Proc.run(30, ENV, "chown", "ward:ward", data.toString()).ok("chown");
            Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rw-------"));
            String uid = Proc.run(30, ENV, "id", "-u", "ward").ok("id").out();

            String next = debVersion + "+test1";
            Path upgrade = withVersion(deb, next);
            stage("made the upgrade package");
            dpkg("-i", upgrade.toString());
            stage("upgraded");
            assertInstalled(next);
            stage("checked");
            assertTrue(Files.readString(yaml).contains("interval: 60s"), "the edited conffile is kept");
            assertEquals("kept", Files.readString(data));
            assertEquals(uid, Proc.run(30, ENV, "id", "-u", "ward").ok("id").out(), "the same user");

            runsAsTheServiceWould();
            stage("ran as the service");

            dpkg("-r", "ward");
            assertFalse(Files.exists(Path.of("/opt/ward")), "/opt/ward removed");
            assertFalse(Files.exists(Path.of("/usr/bin/ward"), LinkOption.NOFOLLOW_LINKS), "/usr/bin/ward removed");
            assertFalse(Files.exists(Path.of("/lib/systemd/system/ward.service")), "the unit removed");
            assertTrue(Files.readString(yaml).contains("interval: 60s"), "remove keeps the configuration");
            assertEquals("kept", Files.readString(data), "remove keeps the data");
            assertEquals(0, Proc.run(30, ENV, "getent", "passwd", "ward").exit(), "remove keeps the user");

            stage("removed");
            dpkg("-P", "ward");
            stage("purged");
            assertNothingLeft();
        } finally {
            // also after a failure: a machine with no ward package, user or files
            Proc.run(300, ENV, "dpkg", "--purge", "ward");
        }
        assertNothingLeft();
    }

    private void assertInstalled(String debVersion) throws IOException {
        assertEquals("install ok installed " + debVersion,
                Proc.run(30, ENV, "dpkg-query", "-W", "-f=${Status} ${Version}", "ward").ok("dpkg-query").out());
        // the system user: no login shell, its home the data directory
        String[] pw = Proc.run(30, ENV, "getent", "passwd", "ward").ok("getent passwd ward").out().strip().split(":");
        assertEquals("/var/lib/ward", pw[5]);
        assertEquals("/usr/sbin/nologin", pw[6]);
        assertTrue(Integer.parseInt(pw[2]) < 1000, "a system uid: " + pw[2]);
        assertMode("/var/lib/ward", "rwx------", "ward", "ward");
        assertMode("/etc/ward", "rwxr-x---", "root", "ward");
        assertMode("/etc/ward/ward.yaml", "rw-r-----", "root", "ward");
        assertMode("/etc/ward/devices.csv", "rw-r-----", "root", "ward");
        assertMode("/lib/systemd/system/ward.service", "rw-r--r--", "root", "root");
        assertMode("/opt/ward/runtime/bin/java", "rwxr-xr-x", "root", "root");
        assertEquals(Path.of("/opt/ward/bin/ward"), Files.readSymbolicLink(Path.of("/usr/bin/ward")));
        assertEquals("/etc/ward/devices.csv\n/etc/ward/ward.yaml\n",
                String.join("\n", Files.readAllLines(Path.of("/var/lib/dpkg/info/ward.conffiles")).stream().sorted().toList()) + "\n");

        // runs with no JDK: no JAVA_HOME, and a PATH with nothing but the launcher's two tools
        Path tools = Proc.toolsOnly(Files.createTempDirectory(tmp, "tools"), "readlink", "dirname");
        Proc v = Proc.run(120, Map.of("PATH", tools.toString(), "LANG", "C.UTF-8"), "/usr/bin/ward", "--version")
                .ok("/usr/bin/ward --version");
        assertTrue(v.out().startsWith("ward " + VERSION + "\nJava " + Runtime.version() + " "), v.out());

        // the service's user reads its configuration (through its group); another user cannot
        Proc asWard = Proc.run(120, ENV, Path.of("/"), List.of("setpriv", "--reuid=ward", "--regid=ward", "--init-groups",
                "/usr/bin/ward", "config", "--print", "--config", "/etc/ward/ward.yaml")).ok("ward config --print as ward");
        assertTrue(asWard.out().contains("/var/lib/ward"), asWard.out());
        Proc asNobody = Proc.run(120, ENV, Path.of("/"), List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                "/usr/bin/ward", "config", "--print", "--config", "/etc/ward/ward.yaml"));
        assertEquals(2, asNobody.exit(), asNobody.out());
        assertTrue(asNobody.out().contains("config /etc/ward/ward.yaml: cannot be read"), asNobody.out());

        Path analyze = Proc.which("systemd-analyze");
        if (analyze != null) {
            assertEquals(new Proc(0, ""), Proc.run(60, ENV, analyze.toString(), "--man=no", "verify",
                    "/lib/systemd/system/ward.service"), "the installed unit verifies");
        }
    }

    private static void assertNothingLeft() {
        assertFalse(packagePresent(), "the package is gone");
        for (String p : List.of("/opt/ward", "/etc/ward", "/var/lib/ward", "/usr/bin/ward", "/lib/systemd/system/ward.service",
                "/etc/systemd/system/multi-user.target.wants/ward.service")) {
            assertFalse(Files.exists(Path.of(p), LinkOption.NOFOLLOW_LINKS), p + " is left after purge");
        }
        assertNotEquals(0, Proc.run(30, ENV, "getent", "passwd", "ward").exit(), "the user ward is left after purge");
        assertNotEquals(0, Proc.run(30, ENV, "getent", "group", "ward").exit(), "the group ward is left after purge");
        assertEquals("", Proc.run(30, ENV, "dpkg-statoverride", "--list", "/etc/ward*").out(), "statoverrides left");
    }

    /**
     * The unit's ExecStart, as its user, in its working directory, with its umask and its one
     * capability (no systemd here to start it): the embedded PostgreSQL in /var/lib/ward, a device
     * on loopback polled, /ready 200, and SIGTERM ends it with no process of ward's left.
     */
    private void runsAsTheServiceWould() throws IOException, InterruptedException {
        List<String> unit = Files.readAllLines(Path.of("/lib/systemd/system/ward.service"));
        String exec = unit.stream().filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow().substring("ExecStart=".length());
        String javaOpts = unit.stream().filter(l -> l.startsWith("Environment=WARD_JAVA_OPTS=")).findFirst().orElseThrow()
                .substring("Environment=WARD_JAVA_OPTS=".length());
        int port;
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // free now; 9090 may be taken on a shared machine
        }
        Files.writeString(Path.of("/etc/ward/devices.csv"), "id,name,address\n6f1c2a54-3b7e-4d2a-9c41-0e5b8f7a1d23,lo,127.0.0.1\n");
        List<String> cmd = new java.util.ArrayList<>(List.of("setpriv", "--reuid=ward", "--regid=ward", "--init-groups",
                "--inh-caps=+net_raw", "--ambient-caps=+net_raw", "--"));
        for (String w : exec.split(" ")) {
            cmd.add(w.equals("$WARD_JAVA_OPTS") ? javaOpts : w);
        }
        cmd.addAll(List.of("--http", "127.0.0.1:" + port));
        Path log = Files.createTempFile(tmp, "service", ".log");
        List<String> full = new java.util.ArrayList<>(List.of("sh", "-c", "umask 0077 && exec \"$@\"", "sh"));
        full.addAll(cmd);
        ProcessBuilder pb = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(log.toFile())
                .directory(new java.io.File("/var/lib/ward"));
        pb.environment().clear();
        pb.environment().putAll(Map.of("PATH", "/usr/bin:/bin", "LANG", "C.UTF-8", "HOME", "/var/lib/ward"));
        Process p = pb.start();
        try {
            var http = java.net.http.HttpClient.newHttpClient();
            var ready = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/ready")).build();
            int status = 0;
            for (long end = System.nanoTime() + 180_000_000_000L; System.nanoTime() < end && p.isAlive(); Thread.sleep(500)) {
                try {
                    status = http.send(ready, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
                } catch (IOException notYet) {
                    status = 0;
                }
                if (status == 200) {
                    break;
                }
            }
            assertEquals(200, status, "/ready as the service: " + Files.readString(log));
            stage("/ready 200");
            assertMode("/var/lib/ward/pg", "rwx------", "ward", "ward");
            assertEquals(List.of(), worldReadable(Path.of("/var/lib/ward")), "UMask=0077: nothing readable by others");
        } finally {
            p.destroy(); // SIGTERM, as systemctl stop
            if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("no exit within 60 s of SIGTERM: " + Files.readString(log));
            }
        }
        assertEquals(143, p.exitValue(), Files.readString(log));
        stage("stopped");
        // the embedded PostgreSQL stops with the runner: nothing of ward's runs (a purge needs that);
        // its watchdog's timers end within 40 s
        Proc left = null;
        for (int i = 0; i < 90; i++) {
            left = Proc.run(30, ENV, "pgrep", "-u", "ward", "-a");
            if (left.exit() != 0) {
                break;
            }
            Thread.sleep(500);
        }
        assertNotEquals(0, left.exit(), "processes of ward left: " + left.out());
    }

    private static List<String> worldReadable(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            return s.filter(f -> {
                try {
                    var perms = Files.getPosixFilePermissions(f, LinkOption.NOFOLLOW_LINKS);
                    return !Files.isSymbolicLink(f) && (perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ)
                            || perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE));
                } catch (IOException gone) {
                    return false; // removed while walking (PostgreSQL's temporary files)
                }
            }).map(Path::toString).toList();
        }
    }

    /** Whether dpkg knows a package ward in any state but not-installed (config-files, half-installed...). */
    private static boolean packagePresent() {
        Proc p = Proc.run(30, ENV, "dpkg-query", "-W", "-f=${Status}", "ward");
        return p.exit() == 0 && !p.out().strip().endsWith("not-installed");
    }

    private static void assertMode(String path, String mode, String owner, String group) throws IOException {
        PosixFileAttributes a = Files.readAttributes(Path.of(path), PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        assertEquals(mode + " " + owner + ":" + group,
                PosixFilePermissions.toString(a.permissions()) + " " + a.owner().getName() + ":" + a.group().getName(), path);
    }

    /** The same package with another version: what an upgrade to the next release does to the machine. */
    private Path withVersion(Path deb, String version) throws IOException {
        Path dir = tmp.resolve("pkg");
        Proc.run(300, ENV, "dpkg-deb", "-R", deb.toString(), dir.toString()).ok("dpkg-deb -R");
        Path control = dir.resolve("DEBIAN/control");
        Files.writeString(control, Files.readString(control).replaceFirst("(?m)^Version: .*$", "Version: " + version));
        Path out = tmp.resolve("ward_" + version + "_amd64.deb");
        // no compression: a test copy, built fast
        Proc.run(300, ENV, "dpkg-deb", "-Znone", "-b", dir.toString(), out.toString()).ok("dpkg-deb -b");
        return out;
    }

    /** dpkg, waiting (up to 2 min) while another dpkg or apt holds its lock. */
    private static void dpkg(String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("dpkg"));
        cmd.addAll(List.of(args));
        for (int i = 0; ; i++) {
            Proc p = Proc.run(300, ENV, cmd);
            if (p.exit() == 0) {
                return;
            }
            if (!p.out().contains("lock") || i >= 24) {
                throw new AssertionError(cmd + ": exit " + p.exit() + "\n" + p.out());
            }
            try {
                Thread.sleep(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
