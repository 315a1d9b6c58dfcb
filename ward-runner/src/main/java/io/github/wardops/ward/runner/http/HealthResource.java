package io.github.wardops.ward.runner.http;

import io.github.wardops.ward.runner.http.server.Response;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code GET /health} (liveness: the process answers) and {@code GET /ready} (every
 * {@link ReadinessCheck}). Both are answered outside the server's shared slots, so {@code /ready}
 * runs its checks at most once at a time: a request that comes while they run waits for that
 * run's answer. A flood of {@code /ready} thus costs one database round trip at a time, never the
 * whole pool. Thread-safe.
 */
final class HealthResource {
    /** How long a {@code /ready} request waits for the checks already running. */
    private static final Duration READY_WAIT = Duration.ofSeconds(10);

    private final List<ReadinessCheck> checks;
    private final Object readyLock = new Object();
    private CompletableFuture<Ready> readyInFlight;

    HealthResource(List<ReadinessCheck> checks) {
        this.checks = List.copyOf(checks);
    }

    /** A readiness answer: its status and body. */
    private record Ready(int status, String body) {
    }

    static void health(Response r) {
        r.send(200, Answers.JSON, "{\"status\":\"ok\"}");
    }

    void ready(Response r) throws IOException {
        CompletableFuture<Ready> f;
        boolean mine = false;
        synchronized (readyLock) {
            if (readyInFlight == null) {
                readyInFlight = new CompletableFuture<>();
                mine = true;
            }
            f = readyInFlight;
        }
        if (mine) {
            try {
                f.complete(evaluate());
            } catch (IOException | RuntimeException | Error e) {
                f.completeExceptionally(e);
                throw e;
            } finally {
                synchronized (readyLock) {
                    readyInFlight = null;
                }
            }
        }
        Ready answer;
        try {
            answer = f.get(READY_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            answer = new Ready(503, "{\"status\":\"not ready\",\"checks\":[],\"error\":\"the readiness checks did not "
                    + "answer within " + READY_WAIT.toSeconds() + " s\"}");
        }
        r.send(answer.status(), Answers.JSON, answer.body());
    }

    private Ready evaluate() throws IOException {
        List<Map<String, Object>> results = new ArrayList<>();
        boolean all = true;
        for (ReadinessCheck c : checks) {
            ReadinessCheck.Result r;
            try {
                r = c.check();
            } catch (RuntimeException e) {
                r = new ReadinessCheck.Result(false, "check failed: " + e.getClass().getSimpleName());
            }
            all &= r.ok();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", c.name());
            m.put("ok", r.ok());
            m.put("detail", r.detail());
            results.add(m);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", all ? "ready" : "not ready");
        body.put("checks", results);
        return new Ready(all ? 200 : 503, Answers.json(body));
    }
}
