package io.github.wardops.ward.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs host commands for tests (nft, ip netns). In CI (env CI set) a missing tool fails the
 * test, so CI cannot pass by skipping; elsewhere it skips.
 */
public final class Host {
    private Host() {
    }

    /** Requires a command on PATH. */
    public static void require(String tool) {
        boolean found = false;
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin:/usr/sbin:/sbin").split(":")) {
            if (new java.io.File(dir, tool).canExecute()) {
                found = true;
                break;
            }
        }
        for (String dir : List.of("/usr/sbin", "/sbin")) {
            found |= new java.io.File(dir, tool).canExecute();
        }
        if (System.getenv("CI") != null) {
            Assertions.assertTrue(found, tool + " is required in CI: .ci/run installs it");
        } else {
            Assumptions.assumeTrue(found, tool + " is not installed");
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            Assumptions.assumeTrue(System.getenv("CI") == null, "needs root");
        }
    }

    /** Runs a command, feeding stdin, and returns stdout; fails on a non-zero exit. */
    public static String run(String stdin, String... cmd) {
        Result r = exec(stdin, cmd);
        if (r.exit != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " exited " + r.exit + ": " + r.out);
        }
        return r.out;
    }

    /** A command's exit code and combined output. */
    public record Result(int exit, String out) {
    }

    /** Runs a command and returns its exit code and combined output. */
    public static Result exec(String stdin, String... cmd) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
            pb.environment().put("PATH", path + ":/usr/sbin:/sbin");
            Process p = pb.start();
            if (stdin != null) {
                p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", cmd) + " did not finish");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
