package io.github.wardops.ward.runner;

import io.github.wardops.ward.runner.poll.Poller;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What a command gets from its surroundings: the environment, where output goes, whether to
 * install a shutdown hook, and who to tell when the poller is running. {@link WardCli#main} uses
 * the process's; tests pass their own so they can run commands in-process. Immutable.
 *
 * @param env environment variables (only {@code WARD_*} are read)
 * @param out command output (sweep lines, help)
 * @param err problems and usage errors
 * @param shutdownHook whether {@code run} installs a JVM shutdown hook (SIGTERM, SIGINT)
 * @param onStarted called with the running poller once {@code run} has started
 */
public record CliContext(Map<String, String> env, PrintWriter out, PrintWriter err, boolean shutdownHook,
                         Consumer<Poller> onStarted) {
    /**
     * Checks the components; each is described on the record.
     *
     * @throws NullPointerException if {@code env}, {@code out}, {@code err} or {@code onStarted} is null
     */
    public CliContext {
        Objects.requireNonNull(env, "env");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
        Objects.requireNonNull(onStarted, "onStarted");
    }

    /**
     * The process's context: {@code System.getenv()}, standard output (buffered, not flushed per
     * line: a sweep prints a line per target; {@link WardCli#main} flushes it before exiting) and
     * standard error (flushed per line), a shutdown hook.
     *
     * @return the context
     */
    public static CliContext system() {
        PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out, System.out.charset()), 1 << 16), false);
        return new CliContext(System.getenv(), out, new PrintWriter(System.err, true), true, p -> {
        });
    }
}
