package io.github.wardops.ward.victoriametrics.internal;

import io.github.wardops.ward.internal.support.LogLimiter;
import io.github.wardops.ward.Secret;
import io.github.wardops.ward.Ticker;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.sink.ResultSink;
import io.github.wardops.ward.victoriametrics.VictoriaMetricsOptions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes results to VictoriaMetrics' {@code /api/v1/import/prometheus} in the Prometheus text
 * format, through the JDK HTTP client.
 *
 * <p>Each {@link #write} maps the batch to samples, appends them to a bounded buffer, then sends
 * the buffer in requests of at most {@code batchSize} samples until it is empty, a request fails
 * after its retries, or {@code maxWriteTime} is spent; what was not sent stays buffered for the
 * next write. When the buffer fills during a write (one batch of SNMP results can hold more
 * samples than the buffer), it is sent then and there, so a server that takes samples loses none;
 * only when that fails are the oldest samples dropped and counted. While the
 * server is known to be down, a write tries once, without retries, so a dead server costs each
 * write at most one request timeout. A 401, 403 or 404 (wrong credentials or address) is a
 * failure like a 5xx: the samples stay buffered, so that fixing the configuration outside ward
 * delivers them. Any other 4xx answer but 408 and 429 means the server will never take those
 * samples (malformed, too large): they are dropped and counted ({@code reason=rejected}).
 *
 * <p>Thread-safe: writes and close are serialised by a lock. {@link #close()} waits for a write
 * in progress (at most {@code maxWriteTime}), then flushes for at most {@code closeTimeout}.
 */
public final class VictoriaMetricsSink implements ResultSink {
    private static final Logger LOG = LoggerFactory.getLogger(VictoriaMetricsSink.class);

    private final VictoriaMetricsOptions options;
    private final Function<DeviceId, Optional<Device>> devices;
    private final SampleMapper mapper;
    private final URI importUri;
    private final String authorization;
    private final HttpClient client;
    private final ReentrantLock lock = new ReentrantLock();
    private final Ticker ticker;
    /** Backoff waits park here (not on {@link #lock}, which stays held); a jump of the ticker signals it. */
    private final ReentrantLock pauseLock = new ReentrantLock();
    private final Condition ticked = pauseLock.newCondition();
    private final ArrayDeque<String> buffer = new ArrayDeque<>();
    private volatile int buffered;
    private boolean serverDown;
    /** During a write: its deadline, and whether sending failed (the rest of it only buffers). */
    private long writeDeadline;
    private boolean writeFailed;
    private boolean writeInterrupted;
    private boolean closed;
    private final LogLimiter logLimit = new LogLimiter(TimeUnit.MINUTES.toNanos(1));

    private final Counter samplesSent;
    private final Counter batchesSent;
    private final Counter retries;
    private final Counter droppedBufferFull;
    private final Counter droppedRejected;
    private final Counter droppedShutdown;
    private final Counter droppedClosed;
    private final Counter skippedNonFinite;
    private final Counter skippedUnknown;
    private final Counter skippedBadMeasurement;
    private final Counter lookupFailures;
    private final MeterRegistry registry;

    /**
     * Creates the sink and its HTTP client.
     *
     * @param options the options
     * @param devices the device lookup
     * @param registry where meters go
     */
    public VictoriaMetricsSink(VictoriaMetricsOptions options, Function<DeviceId, Optional<Device>> devices,
                               MeterRegistry registry) {
        this.options = Objects.requireNonNull(options, "options");
        this.devices = Objects.requireNonNull(devices, "devices");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.mapper = new SampleMapper(options);
        this.ticker = options.ticker();
        this.importUri = options.importUri();
        this.authorization = authorization(options);
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(options.requestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        String n = options.name();
        this.samplesSent = Counter.builder("ward.export.samples.sent").tag("sink", n)
                .description("Samples the server accepted").register(registry);
        this.batchesSent = Counter.builder("ward.export.batches.sent").tag("sink", n)
                .description("Requests the server accepted").register(registry);
        this.retries = Counter.builder("ward.export.retries").tag("sink", n)
                .description("Requests sent again after a failure").register(registry);
        this.droppedBufferFull = dropped(n, "buffer_full", "the buffer was full; the oldest samples go first");
        this.droppedRejected = dropped(n, "rejected", "the server rejected them (HTTP 4xx other than 408/429)");
        this.droppedShutdown = dropped(n, "shutdown", "they were not sent before the close timeout");
        this.droppedClosed = dropped(n, "closed", "they were written after close");
        this.skippedNonFinite = Counter.builder("ward.export.samples.skipped").tag("sink", n).tag("reason", "non_finite")
                .description("Samples not produced: NaN or infinite values").register(registry);
        this.skippedUnknown = Counter.builder("ward.export.samples.skipped").tag("sink", n).tag("reason", "unknown_result")
                .description("Status samples not produced: the result was Unknown").register(registry);
        this.skippedBadMeasurement = Counter.builder("ward.export.samples.skipped").tag("sink", n)
                .tag("reason", "bad_measurement")
                .description("Results skipped whole: their measurement's values() threw or returned null").register(registry);
        this.lookupFailures = Counter.builder("ward.export.device.lookup.failures").tag("sink", n)
                .description("Device lookups that threw; the sample went out with device_id only").register(registry);
        Gauge.builder("ward.export.buffer.size", this, s -> s.buffered).tag("sink", n).baseUnit("samples")
                .description("Samples waiting to be sent").register(registry);
        for (String reason : List.of("connect", "timeout", "io", "http_404", "http_auth", "http_408", "http_429", "http_5xx", "http_4xx")) {
            failureCounter(reason);
        }
    }

    private Counter dropped(String n, String reason, String why) {
        return Counter.builder("ward.export.samples.dropped").tag("sink", n).tag("reason", reason)
                .description("Samples dropped because " + why).register(registry);
    }

    private Counter failureCounter(String reason) {
        return Counter.builder("ward.export.batches.failed").tag("sink", options.name()).tag("reason", reason)
                .description("Requests that failed (each attempt counts)").register(registry);
    }

    private static String authorization(VictoriaMetricsOptions o) {
        Optional<Secret> token = o.bearerToken();
        if (token.isPresent()) {
            return "Bearer " + token.get().reveal();
        }
        if (o.basicAuthUser().isPresent() && o.basicAuthPassword().isPresent()) {
            String up = o.basicAuthUser().get() + ":" + o.basicAuthPassword().get().reveal();
            return "Basic " + Base64.getEncoder().encodeToString(up.getBytes(StandardCharsets.UTF_8));
        }
        return null;
    }

    @Override
    public String name() {
        return options.name();
    }

    /**
     * Buffers the batch's samples and sends what is buffered, within {@code maxWriteTime}. Never
     * throws for a server that is down: the samples stay buffered (bounded) and the failures
     * are counted.
     *
     * @param batch the results
     * @throws InterruptedException when interrupted while sending or waiting to retry (what was
     *     not sent stays buffered)
     */
    @Override
    public void write(List<ProbeResult> batch) throws InterruptedException {
        long deadline = ticker.read() + options.maxWriteTime().toNanos();
        lock.lock();
        try {
            if (closed) {
                int[] n = {0};
                for (ProbeResult r : batch) {
                    try {
                        mapper.map(r, Optional.empty(), s -> n[0]++, skip -> { });
                    } catch (RuntimeException e) {
                        skippedBadMeasurement.increment();
                    }
                }
                droppedClosed.increment(n[0]);
                return;
            }
            writeDeadline = deadline;
            writeFailed = false;
            writeInterrupted = false;
            for (ProbeResult r : batch) {
                try {
                    mapper.map(r, lookup(r.device()), this::enqueue, this::skipped);
                } catch (RuntimeException e) {
                    // a Measurement whose values() throws or returns null: skip that result, keep the rest
                    skippedBadMeasurement.increment();
                    logLimited("measurement", "VictoriaMetrics sink '{}' could not read a '{}' measurement ({}); "
                            + "that result is skipped", options.name(), r.type(), e.toString());
                }
            }
            buffered = buffer.size();
            if (writeInterrupted) {
                throw new InterruptedException("interrupted while sending to VictoriaMetrics; the samples stay buffered");
            }
            if (!writeFailed) {
                flush(deadline);
            }
        } finally {
            lock.unlock();
        }
    }

    private Optional<Device> lookup(DeviceId id) {
        try {
            Optional<Device> d = devices.apply(id);
            return d == null ? Optional.empty() : d;
        } catch (RuntimeException e) {
            lookupFailures.increment();
            logLimited("lookup", "device lookup of the VictoriaMetrics sink '{}' threw {}; samples go out with device_id only",
                    options.name(), e.toString());
            return Optional.empty();
        }
    }

    private void enqueue(Sample s) {
        if (buffer.size() >= options.maxBufferedSamples() && !serverDown && !writeFailed) {
            // full in the middle of a write: a server that takes samples gets them now, none dropped
            try {
                writeFailed = !flush(writeDeadline);
            } catch (InterruptedException e) {
                writeInterrupted = true; // write() throws once the whole batch is buffered
                writeFailed = true;
            }
        }
        if (buffer.size() >= options.maxBufferedSamples()) {
            buffer.pollFirst();
            droppedBufferFull.increment();
        }
        buffer.addLast(PrometheusText.line(s));
    }

    private void skipped(SampleMapper.Skip why) {
        (why == SampleMapper.Skip.NON_FINITE ? skippedNonFinite : skippedUnknown).increment();
    }

    /** Sends the buffer until it is empty, a chunk fails, or the deadline passes. Holds the lock. */
    private boolean flush(long deadline) throws InterruptedException {
        while (!buffer.isEmpty()) {
            int n = Math.min(options.batchSize(), buffer.size());
            byte[] body = body(n);
            int attempts = serverDown ? 1 : options.maxRetries() + 1;
            Outcome o = send(body, attempts, deadline);
            switch (o) {
                case SENT -> {
                    removeFirst(n);
                    samplesSent.increment(n);
                    batchesSent.increment();
                    if (serverDown) {
                        LOG.info("VictoriaMetrics sink '{}': the server at {} takes samples again", options.name(), importUri);
                    }
                    serverDown = false;
                }
                case REJECTED -> {
                    removeFirst(n);
                    droppedRejected.increment(n);
                }
                case FAILED -> {
                    serverDown = true;
                    return false;
                }
            }
        }
        return true;
    }

    private void removeFirst(int n) {
        for (int i = 0; i < n; i++) {
            buffer.pollFirst();
        }
        buffered = buffer.size();
    }

    private byte[] body(int n) {
        StringBuilder sb = new StringBuilder(n * 160);
        Iterator<String> it = buffer.iterator();
        for (int i = 0; i < n; i++) {
            sb.append(it.next());
        }
        byte[] raw = sb.toString().getBytes(StandardCharsets.UTF_8);
        if (!options.compress()) {
            return raw;
        }
        ByteArrayOutputStream bos = new ByteArrayOutputStream(raw.length / 6 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bos.toByteArray();
    }

    private enum Outcome { SENT, REJECTED, FAILED }

    private Outcome send(byte[] body, int attempts, long deadline) throws InterruptedException {
        for (int attempt = 0; attempt < attempts; attempt++) {
            if (attempt > 0) {
                long wait = backoffNanos(attempt);
                long left = deadline - ticker.read();
                if (left <= wait) {
                    return Outcome.FAILED;
                }
                pause(wait);
                retries.increment();
            }
            long left = deadline - ticker.read();
            if (left <= 0) {
                return Outcome.FAILED;
            }
            Duration timeout = Duration.ofNanos(Math.min(left, options.requestTimeout().toNanos()));
            HttpRequest.Builder rb = HttpRequest.newBuilder(importUri)
                    .timeout(timeout)
                    .header("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            if (options.compress()) {
                rb.header("Content-Encoding", "gzip");
            }
            if (authorization != null) {
                rb.header("Authorization", authorization);
            }
            CompletableFuture<HttpResponse<String>> f = client.sendAsync(rb.build(), HttpResponse.BodyHandlers.ofString());
            String reason;
            try {
                HttpResponse<String> resp = f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
                int st = resp.statusCode();
                if (st >= 200 && st < 300) {
                    return Outcome.SENT;
                }
                String text = abbreviate(resp.body());
                if (st == 401 || st == 403 || st == 404) {
                    // the wrong address or credentials: a fix outside ward makes the buffered samples go
                    reason = st == 404 ? "http_404" : "http_auth";
                    logLimited(reason, "VictoriaMetrics sink '{}': {} answered HTTP {} ({}): check the base URI and "
                            + "the credentials; samples stay buffered", options.name(), importUri, st, text);
                } else if (st == 408 || st == 429 || st >= 500) {
                    reason = st == 429 ? "http_429" : st == 408 ? "http_408" : "http_5xx";
                    logLimited(reason, "VictoriaMetrics sink '{}': {} answered HTTP {} ({}); will retry",
                            options.name(), importUri, st, text);
                } else {
                    failureCounter("http_4xx").increment();
                    logLimited("http_4xx", "VictoriaMetrics sink '{}': {} rejected a batch with HTTP {} ({}); "
                            + "its samples are dropped", options.name(), importUri, st, text);
                    return Outcome.REJECTED;
                }
            } catch (TimeoutException e) {
                f.cancel(true);
                reason = "timeout";
                logLimited(reason, "VictoriaMetrics sink '{}': {} did not answer within {}; samples stay buffered",
                        options.name(), importUri, timeout);
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                reason = c instanceof HttpConnectTimeoutException ? "connect"
                        : c instanceof HttpTimeoutException ? "timeout"
                        : c instanceof ConnectException ? "connect"
                        : "io";
                logLimited(reason, "VictoriaMetrics sink '{}': sending to {} failed ({}); samples stay buffered",
                        options.name(), importUri, c == null ? e.toString() : c.toString());
            } catch (InterruptedException e) {
                f.cancel(true);
                throw e;
            }
            failureCounter(reason).increment();
        }
        return Outcome.FAILED;
    }

    /**
     * Waits until the ticker has moved {@code nanos} on: in real time for the system ticker, and
     * until a jump reaches it for a fake one (its {@link Ticker#onAdvance} listener wakes us).
     */
    private void pause(long nanos) throws InterruptedException {
        long until = ticker.read() + nanos;
        try (Ticker.Registration r = ticker.onAdvance(this::signalTicked)) {
            pauseLock.lock();
            try {
                long left;
                while ((left = until - ticker.read()) > 0) {
                    ticked.awaitNanos(left);
                }
            } finally {
                pauseLock.unlock();
            }
        }
    }

    private void signalTicked() {
        pauseLock.lock();
        try {
            ticked.signalAll();
        } finally {
            pauseLock.unlock();
        }
    }

    private long backoffNanos(int attempt) {
        long initial = options.initialBackoff().toNanos();
        long max = options.maxBackoff().toNanos();
        long nominal = initial;
        for (int i = 1; i < attempt && nominal < max; i++) {
            nominal = nominal > max / 2 ? max : nominal * 2;
        }
        nominal = Math.min(nominal, max);
        if (nominal <= 1) {
            return nominal;
        }
        return nominal / 2 + ThreadLocalRandom.current().nextLong(nominal - nominal / 2 + 1);
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        String t = s.strip().replace('\n', ' ');
        return t.length() <= 200 ? t : t.substring(0, 200) + "...";
    }

    private void logLimited(String key, String format, Object... args) {
        if (logLimit.allow(key)) {
            LOG.warn(format + " (repeats at most once a minute)", args);
        }
    }

    /**
     * The samples waiting to be sent.
     *
     * @return the count
     */
    public int bufferedSamples() {
        return buffered;
    }

    /**
     * Sends what is buffered, within {@code maxWriteTime}.
     *
     * @return {@code true} when the buffer is empty afterwards
     * @throws InterruptedException when interrupted
     */
    public boolean flush() throws InterruptedException {
        long deadline = ticker.read() + options.maxWriteTime().toNanos();
        lock.lock();
        try {
            return flush(deadline);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Flushes for at most {@code closeTimeout}, drops and counts what is left
     * ({@code reason=shutdown}), and closes the HTTP client. Idempotent.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            long deadline = ticker.read() + options.closeTimeout().toNanos();
            try {
                if (!options.closeTimeout().isZero()) {
                    flush(deadline);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            int left = buffer.size();
            if (left > 0) {
                droppedShutdown.increment(left);
                LOG.warn("VictoriaMetrics sink '{}': {} samples were not sent before the close timeout and are dropped",
                        options.name(), left);
                buffer.clear();
                buffered = 0;
            }
            client.shutdownNow();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "VictoriaMetricsSink{" + options.name() + " -> " + importUri + "}";
    }
}
