package io.github.wardops.ward.examples.sink;

import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.sink.ResultSink;
import io.github.wardops.ward.testkit.contract.ResultSinkContract;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rolling JSON lines sink keeps ward's ResultSink contract. Files rotate at 64 KiB, so the
 * large batch spans about twenty files and reading back crosses rotations.
 */
class RollingJsonLinesSinkContractTest extends ResultSinkContract {
    @TempDir
    Path dir;
    private RollingOptions options;

    @Override
    protected ResultSink createSink() throws Exception {
        options = new RollingOptions(dir, "contract", 64 * 1024, 100);
        return RollingJsonLinesSink.open(options, new SimpleMeterRegistry());
    }

    @Override
    protected List<ProbeResult> stored() throws Exception {
        return JsonLines.readAll(options);
    }
}
