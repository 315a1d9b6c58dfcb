package io.github.wardops.ward.runner.http;

import java.util.function.Supplier;

/**
 * One check behind {@code GET /ready}: the runner is ready when all pass. The runner adds its
 * own (ICMP socket, engine started); storage and cache add theirs (database reachable, Redis
 * reachable). Implementations must be thread-safe, quick (they run per request) and must not
 * put secrets in their detail.
 */
public interface ReadinessCheck {

    /**
     * The check's name, such as {@code icmp}.
     *
     * @return the name; never {@code null}
     */
    String name();

    /**
     * Runs the check. An exception counts as a failure, with the exception's class as detail.
     *
     * @return the outcome; never {@code null}
     */
    Result check();

    /**
     * An outcome.
     *
     * @param ok whether it passed
     * @param detail a short human-readable detail (never a secret); never {@code null}
     */
    record Result(boolean ok, String detail) {
    }

    /**
     * A check from a name and a supplier.
     *
     * @param name the name; never {@code null}
     * @param check the check; never {@code null}
     * @return the check
     */
    static ReadinessCheck of(String name, Supplier<Result> check) {
        return new ReadinessCheck() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Result check() {
                return check.get();
            }
        };
    }
}
