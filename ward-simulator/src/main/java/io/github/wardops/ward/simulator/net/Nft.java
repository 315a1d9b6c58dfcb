package io.github.wardops.ward.simulator.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code nft} command, and the names of ward's own tables: {@code ward_<kind>_<pid>_<hex>}.
 * A process killed before its {@code close()} leaves its table behind, still dropping echoes; the
 * next installation removes every ward table whose process is gone, so a crash never blocks a
 * restart (a demo killed with {@code kill -9} would otherwise leave devices silent for the next).
 */
final class Nft {
    private static final Pattern OURS = Pattern.compile("(?m)^table inet (ward_[a-z]+_(\\d+)_[0-9a-f]+)\\s*$");

    private Nft() {
    }

    /** A fresh table name for this process. */
    static String tableName(String kind) {
        return "ward_" + kind + "_" + ProcessHandle.current().pid() + "_" + Long.toHexString(System.nanoTime() & 0xffffff);
    }

    /**
     * Deletes the ward tables of processes that no longer run. Best effort: a table that cannot
     * be listed or deleted is left, and the caller's own installation decides the outcome.
     *
     * @return the names deleted
     */
    static List<String> reapStale() {
        List<String> reaped = new ArrayList<>();
        String tables;
        try {
            tables = run(null, "list", "tables");
        } catch (IllegalStateException e) {
            return reaped;
        }
        Matcher m = OURS.matcher(tables);
        while (m.find()) {
            long pid = Long.parseLong(m.group(2));
            if (ProcessHandle.of(pid).isEmpty()) {
                try {
                    run(null, "delete", "table", "inet", m.group(1));
                    reaped.add(m.group(1));
                } catch (IllegalStateException e) {
                    // deleted by another process meanwhile
                }
            }
        }
        return reaped;
    }

    /** Runs {@code nft} with the arguments, feeding stdin; returns its output or throws with it. */
    static String run(String stdin, String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "nft";
        System.arraycopy(args, 0, cmd, 1, args.length);
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().put("PATH", pb.environment().getOrDefault("PATH", "/usr/bin:/bin") + ":/usr/sbin:/sbin");
            Process p = pb.start();
            if (stdin != null) {
                p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("nft " + String.join(" ", args) + " failed: " + out.strip());
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run nft (install the nftables package): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
