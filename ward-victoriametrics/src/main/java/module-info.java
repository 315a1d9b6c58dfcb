/**
 * ward-victoriametrics: a result sink that pushes ward's results to VictoriaMetrics.
 *
 * <p>{@link io.github.wardops.ward.victoriametrics.VictoriaMetricsSinks} creates the sink from
 * {@link io.github.wardops.ward.victoriametrics.VictoriaMetricsOptions}. Everything under
 * {@code io.github.wardops.ward.victoriametrics.internal} is implementation and may change in any
 * release.
 */
module io.github.wardops.ward.victoriametrics {
    requires transitive io.github.wardops.ward;
    requires org.slf4j;
    requires java.net.http;

    exports io.github.wardops.ward.victoriametrics;
}
