package io.github.wardops.ward.testkit.contract;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.sink.ResultSink;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** A sink that keeps only some kinds of results passes the contract when it says which, and only then. */
class FilteringSinkContractTest {
    private static final Predicate<ProbeResult> KNOWN = r -> !(r instanceof ProbeResult.Unknown);

    /** The whole contract, for a sink that declares what it keeps. */
    @Nested
    class Declared extends ResultSinkContract {
        private final List<ProbeResult> store = new ArrayList<>();

        @Override
        protected ResultSink createSink() {
            return batch -> batch.stream().filter(KNOWN).forEach(store::add);
        }

        @Override
        protected List<ProbeResult> stored() {
            return store;
        }

        @Override
        protected boolean stores(ProbeResult result) {
            return KNOWN.test(result);
        }
    }

    /** The same sink, and one that stores what it said it would not, fail the contract. */
    @Test
    void aSinkThatDropsOrAddsWhatItDidNotDeclareFails() throws Exception {
        List<ProbeResult> store = new ArrayList<>();
        ResultSinkContract undeclared = new ResultSinkContract() {
            @Override
            protected ResultSink createSink() {
                return batch -> batch.stream().filter(KNOWN).forEach(store::add);
            }

            @Override
            protected List<ProbeResult> stored() {
                return store;
            }
        };
        undeclared.open();
        assertThrows(AssertionFailedError.class, undeclared::storesEveryKindOfResultWrittenInBatches);
        undeclared.closeSink();

        List<ProbeResult> all = new ArrayList<>();
        ResultSinkContract overDeclared = new ResultSinkContract() {
            @Override
            protected ResultSink createSink() {
                return all::addAll;
            }

            @Override
            protected List<ProbeResult> stored() {
                return all;
            }

            @Override
            protected boolean stores(ProbeResult result) {
                return KNOWN.test(result);
            }
        };
        overDeclared.open();
        assertThrows(AssertionFailedError.class, overDeclared::takesALargeBatch);
        overDeclared.closeSink();
    }
}
