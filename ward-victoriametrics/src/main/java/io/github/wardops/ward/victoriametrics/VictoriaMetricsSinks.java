package io.github.wardops.ward.victoriametrics;

import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.sink.ResultSink;
import io.github.wardops.ward.victoriametrics.internal.VictoriaMetricsSink;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Creates the {@link ResultSink} that pushes results to VictoriaMetrics.
 *
 * <p>Stateless and thread-safe; arguments must not be {@code null}. What it returns documents its own contract.
 */
public final class VictoriaMetricsSinks {
    private VictoriaMetricsSinks() {
    }

    /**
     * A sink that pushes results to VictoriaMetrics' {@code /api/v1/import/prometheus} in the
     * Prometheus text format, under the replaced system's metric names
     * ({@code device_ping_status}, {@code device_ping_rtt_ms}, {@code device_ping_packet_loss},
     * {@code interface_*}; see {@code docs/victoriametrics.md}). Meters go to Micrometer's
     * {@linkplain Metrics#globalRegistry global registry}; see
     * {@link #create(VictoriaMetricsOptions, Function, MeterRegistry)}.
     *
     * @param options the options
     * @param devices the device lookup (see the three-argument method)
     * @return the sink; the caller closes it after the engine
     */
    public static ResultSink create(VictoriaMetricsOptions options,
                                             Function<DeviceId, Optional<Device>> devices) {
        return create(options, devices, Metrics.globalRegistry);
    }

    /**
     * A sink that pushes results to VictoriaMetrics' {@code /api/v1/import/prometheus} in the
     * Prometheus text format, through the JDK HTTP client.
     *
     * <p><b>Device lookup.</b> A {@code ProbeResult} carries only the device id; the sink asks
     * {@code devices} for the device's name, address and labels (for {@code device_ip},
     * {@code device_name}, {@code device_type} and the other mapped labels). It is called on
     * the sink's thread, once per result, and must be fast, thread-safe and non-blocking: the
     * engine's {@code ward.inventory()::get} fits. Since the sink is handed to the builder
     * before the engine exists, pass a lookup that reads the engine once it is built, for
     * example:
     * <pre>{@code
     * AtomicReference<Ward> engine = new AtomicReference<>();
     * ResultSink vm = VictoriaMetricsSinks.create(options,
     *         id -> Optional.ofNullable(engine.get()).flatMap(w -> w.inventory().get(id)), registry);
     * Ward ward = Ward.builder().sink(vm).meterRegistry(registry).build();
     * engine.set(ward);
     * }</pre>
     * A device the lookup does not know (removed meanwhile), or a lookup that returns
     * {@code null} or throws, gives samples with {@code device_id} only; throws are counted
     * ({@code ward.export.device.lookup.failures}).
     *
     * <p><b>Delivery.</b> Each write buffers the batch's samples (at most
     * {@link VictoriaMetricsOptions#maxBufferedSamples()}, the oldest dropped first) and sends
     * the buffer in requests of {@link VictoriaMetricsOptions#batchSize()} samples, retrying
     * with exponential backoff; a write never takes longer than
     * {@link VictoriaMetricsOptions#maxWriteTime()}, and while the server is down each write
     * tries once only. Close flushes for at most {@link VictoriaMetricsOptions#closeTimeout()}.
     *
     * <p><b>Meters</b> (tag {@code sink} = the options' name): {@code ward.export.samples.sent},
     * {@code ward.export.batches.sent}, {@code ward.export.batches.failed} (tag {@code reason}:
     * connect, timeout, io, http_404, http_auth, http_408, http_429, http_5xx, http_4xx), {@code ward.export.retries},
     * {@code ward.export.samples.dropped} (tag {@code reason}: buffer_full, rejected, shutdown,
     * closed), {@code ward.export.samples.skipped} (tag {@code reason}: non_finite,
     * unknown_result, bad_measurement), {@code ward.export.device.lookup.failures} and the gauge
     * {@code ward.export.buffer.size}.
     *
     * <p>Thread-safe; credentials are never logged.
     *
     * @param options the options; never {@code null}
     * @param devices the device lookup; never {@code null}
     * @param registry where the sink's meters go; never {@code null}
     * @return the sink; the engine does not close it: close it after the engine
     */
    public static ResultSink create(VictoriaMetricsOptions options,
                                             Function<DeviceId, Optional<Device>> devices,
                                             MeterRegistry registry) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(devices, "devices");
        Objects.requireNonNull(registry, "registry");
        return new VictoriaMetricsSink(options, devices, registry);
    }
}
