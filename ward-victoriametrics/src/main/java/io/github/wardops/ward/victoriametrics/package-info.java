/**
 * The VictoriaMetrics result sink: {@link io.github.wardops.ward.victoriametrics.VictoriaMetricsSinks}
 * creates a {@link io.github.wardops.ward.sink.ResultSink} that pushes results to VictoriaMetrics'
 * {@code /api/v1/import/prometheus} in the Prometheus text format, under the metric names of
 * {@code docs/victoriametrics.md}; {@link io.github.wardops.ward.victoriametrics.VictoriaMetricsOptions}
 * holds its address, credentials, labels, limits and timeouts.
 */
package io.github.wardops.ward.victoriametrics;
