package io.github.wardops.ward.testkit.contract;

import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.sink.ResultSink;
import java.util.ArrayList;
import java.util.List;

/** The sink contract runs against a minimal sink that copies what it is given. */
class CopyingSinkContractTest extends ResultSinkContract {
    private final List<ProbeResult> store = new ArrayList<>();

    @Override
    protected ResultSink createSink() {
        return store::addAll;
    }

    @Override
    protected List<ProbeResult> stored() {
        return store;
    }
}
