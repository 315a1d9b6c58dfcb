/**
 * ward-core: the embeddable monitoring engine.
 *
 * <p>Exported packages are the API; everything under {@code io.github.wardops.ward.internal}
 * is implementation and may change in any release.
 */
// "module": the qualified export below names ward's own modules, which are built after this one
@SuppressWarnings("module")
module io.github.wardops.ward {
    requires transitive micrometer.core;
    requires org.slf4j;
    requires java.net.http;
    requires com.github.benmanes.caffeine;

    exports io.github.wardops.ward;
    exports io.github.wardops.ward.inventory;
    exports io.github.wardops.ward.probe;
    exports io.github.wardops.ward.sink;
    exports io.github.wardops.ward.snmp;
    exports io.github.wardops.ward.state;
    exports io.github.wardops.ward.alert;
    exports io.github.wardops.ward.cache;
    exports io.github.wardops.ward.notify;

    // ward's own modules share these internals; nobody else may use them
    exports io.github.wardops.ward.internal.support to io.github.wardops.ward.postgres, io.github.wardops.ward.redis,
            io.github.wardops.ward.snmp, io.github.wardops.ward.victoriametrics, io.github.wardops.ward.simulator;
    // the testkit's FakeTime waits for the engine to settle on fake time
    exports io.github.wardops.ward.internal.engine to io.github.wardops.ward.testkit;
}
