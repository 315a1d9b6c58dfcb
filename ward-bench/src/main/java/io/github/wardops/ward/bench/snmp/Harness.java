package io.github.wardops.ward.bench.snmp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Shared bits of the SNMP harnesses: starting the simulator JVM, CPU and heap readings. */
final class Harness {
    private Harness() {
    }

    /** A simulator in a child JVM; closing stops it. */
    static final class Sim implements AutoCloseable {
        final Process process;

        Sim(int devices, int interfaces, int port, int second) throws IOException {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> cmd = new ArrayList<>(List.of(java, "-Xss256k", "-XX:+UseSerialGC",
                    "-Dward.sim.tableRows=" + Integer.getInteger("ward.sim.tableRows", 0), "-cp",
                    System.getProperty("java.class.path"), SimulatorMain.class.getName(), Integer.toString(devices),
                    Integer.toString(interfaces), Integer.toString(port), Integer.toString(second)));
            process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line = r.readLine();
            if (line == null || !line.startsWith("READY")) {
                process.destroyForcibly();
                throw new IOException("simulator did not start: " + line);
            }
        }

        Duration cpu() {
            return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
        }

        @Override
        public void close() throws IOException {
            process.getOutputStream().close();
            try {
                if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Runs net-snmp's {@code snmpbulkwalk -v2c -On} of one subtree (community {@code public}, 2 s
     * timeout, 1 retry, no MIBs) and counts the varbinds it prints under that subtree: the output is
     * read, not shown, and the end-of-view line after the last varbind is not counted.
     *
     * @param addr the agent
     * @param port its port
     * @param reps max-repetitions ({@code -Cr})
     * @param root the subtree, numeric without a leading dot
     * @return the varbinds printed
     * @throws Exception when snmpbulkwalk cannot run or fails
     */
    static long snmpbulkwalk(java.net.InetAddress addr, int port, int reps, String root) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("snmpbulkwalk", "-v2c", "-c", "public", "-On", "-Cr" + reps,
                "-t", "2", "-r", "1", addr.getHostAddress() + ":" + port, root)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("MIBS", "");
        Process p = pb.start();
        long n = 0;
        String prefix = "." + root + ".";
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith(prefix) && !line.contains("No more variables")) {
                    n++;
                }
            }
        }
        if (p.waitFor() != 0) {
            throw new IllegalStateException("snmpbulkwalk failed");
        }
        return n;
    }

    static double median(List<Double> l) {
        List<Double> s = new ArrayList<>(l);
        s.sort(null);
        return s.get(s.size() / 2);
    }

    static Duration processCpu() {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return Duration.ofNanos(os.getProcessCpuTime());
    }

    static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static String mib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / 1024.0 / 1024.0);
    }
}
