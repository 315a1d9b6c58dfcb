package io.github.wardops.ward.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.Ward;
import io.github.wardops.ward.inventory.Addresses;
import io.github.wardops.ward.inventory.Check;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.probe.IcmpSettings;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.sink.SinkOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The "done means": stop the database while the engine's results flow, restart it, and
 * find every result stored exactly once, count and content compared with what the engine
 * produced.
 */
class DatabaseOutageIT {

    @Test
    void everyResultIsStoredExactlyOnceAcrossADatabaseRestart(@TempDir Path tmp) throws Exception {
        Path dataDir = tmp.resolve("pg");
        EmbeddedDatabase db = EmbeddedDatabase.start(dataDir, 0);
        int port = db.port();
        String url = db.jdbcUrl();
        SimpleMeterRegistry reg = new SimpleMeterRegistry();
        ConcurrentLinkedQueue<ProbeResult> produced = new ConcurrentLinkedQueue<>();
        List<Device> devices = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            String a = "127.0.9." + i;
            devices.add(Device.builder(DeviceId.fromKey(a), "loopback-" + i, Addresses.parse(a))
                    .check(Check.icmp(new IcmpSettings(2, Duration.ofMillis(10), Duration.ofMillis(200), 56),
                            Duration.ofMillis(500)))
                    .build());
        }
        PostgresOptions o = PostgresOptions.builder()
                .jdbc(url, db.user(), db.password())
                .spoolDirectory(tmp.resolve("spool"))
                .connectionTimeout(Duration.ofMillis(300))
                .retryInterval(Duration.ofMillis(100))
                .meterRegistry(reg)
                .build();
        try (PostgresStorage storage = PostgresStorage.open(o)) {
            Ward ward = Ward.builder()
                    .devices(devices)
                    .sink(storage.resultSink(), new SinkOptions(100_000, 200, Duration.ofMillis(50)))
                    .listener(produced::add)
                    .meterRegistry(reg)
                    .build();
            ward.start();
            try {
                PgSupport.await("results stored before the outage", Duration.ofSeconds(20),
                        () -> reg.get("ward.storage.rows.written").tag("table", "ping_results").counter().count() >= 40);
                db.close();
                PgSupport.await("results spooled during the outage", Duration.ofSeconds(20),
                        () -> storage.spooledRows() >= 100);
                db = EmbeddedDatabase.start(dataDir, port);
                PgSupport.await("the spool replayed", Duration.ofSeconds(30), () -> storage.spooledRows() == 0
                        && reg.get("ward.storage.spool.replayed").counter().count() >= 100);
                int before = produced.size();
                PgSupport.await("more results after the restart", Duration.ofSeconds(20), () -> produced.size() >= before + 40);
            } finally {
                ward.close();
            }
            PgSupport.await("the spool drained after close", Duration.ofSeconds(30), () -> {
                storage.drainSpool();
                return storage.spooledRows() == 0;
            });
            assertEquals(0.0, reg.get("ward.sink.dropped").tag("reason", "queue_full").counter().count());
            assertEquals(0.0, reg.get("ward.storage.spool.dropped").tag("reason", "bytes").counter().count());
            assertTrue(reg.get("ward.storage.batches").tag("outcome", "spooled").counter().count() > 0);
            List<ProbeResult> all = new ArrayList<>(produced);
            assertEquals(all.size(), StoredRows.expected(all).size(), "each produced result has its own key");
            var stored = StoredRows.stored(db);
            assertEquals(all.size(), stored.size(), "count");
            assertEquals(StoredRows.expected(all), stored, "content");
        } finally {
            db.close();
        }
    }
}
