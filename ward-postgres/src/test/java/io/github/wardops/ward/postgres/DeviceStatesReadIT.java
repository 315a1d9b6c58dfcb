package io.github.wardops.ward.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.DeviceStatus;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.state.DeviceState;
import io.github.wardops.ward.state.StateKey;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link PostgresStorage#loadDeviceStates()}: the device rows of {@code device_state} as stored,
 * read by another process (what a cluster runner's view of the others' devices reads), without
 * the interface rows and without the flap history; {@code stateStore().loadAll()} still reads
 * everything. One embedded PostgreSQL for the class.
 */
class DeviceStatesReadIT {
    private static final Instant T0 = Instant.parse("2026-12-07T06:00:00Z");
    private static EmbeddedDatabase db;
    private static PostgresStorage writer;
    private static PostgresStorage reader;

    @BeforeAll
    static void start() {
        db = PgSupport.startDatabase(PgSupport.tempDir("ward-pg-device-states"));
        writer = PostgresStorage.open(PgSupport.options(db, PgSupport.tempDir("ward-pg-device-states-a"),
                new SimpleMeterRegistry()).build());
        reader = PostgresStorage.open(PgSupport.options(db, PgSupport.tempDir("ward-pg-device-states-b"),
                new SimpleMeterRegistry()).build());
    }

    @AfterAll
    static void stop() {
        if (reader != null) {
            reader.close();
        }
        if (writer != null) {
            writer.close();
        }
        if (db != null) {
            db.close();
        }
    }

    private static DeviceState withoutHistory(DeviceState s) {
        return new DeviceState(s.key(), s.status(), s.since(), s.flapping(), s.flapPercent(), s.consecutiveFailures(),
                s.consecutiveSuccesses(), s.updatedAt(), s.failingSince(), s.detail(), "");
    }

    @Test
    void theDeviceRowsAreReadWithoutInterfacesOrFlapHistory() throws Exception {
        assertEquals(List.of(), List.copyOf(reader.loadDeviceStates()), "nothing stored yet");
        DeviceId a = DeviceId.fromKey("device-states-a");
        DeviceId b = DeviceId.fromKey("device-states-b");
        DeviceState aDown = new DeviceState(StateKey.of(a), DeviceStatus.DOWN, T0, true, 35.5, 4, 0, T0.plusSeconds(90),
                T0.minusSeconds(30), "timeout", "1101001");
        DeviceState bUp = new DeviceState(StateKey.of(b), DeviceStatus.UP, T0, false, 0, 0, 12, T0.plusSeconds(60));
        DeviceState aPort = new DeviceState(StateKey.ofInterface(a, 4), DeviceStatus.DOWN, T0, false, 0, 2, 0, T0);
        DeviceState bPort = new DeviceState(StateKey.ofInterface(b, 7), DeviceStatus.UP, T0, false, 0, 0, 3, T0);
        for (DeviceState s : List.of(aDown, aPort, bUp, bPort)) {
            writer.stateStore().save(s);
        }
        writer.flushStateWrites();

        List<DeviceState> devices = List.copyOf(reader.loadDeviceStates());
        List<DeviceState> expected = List.of(withoutHistory(aDown), bUp).stream()
                .sorted(Comparator.comparing(s -> s.key().device().value())).toList();
        assertEquals(expected, devices, "the device rows, ordered by device, no interface row, no flap history");
        assertTrue(devices.stream().allMatch(s -> s.key().ifIndex() == StateKey.DEVICE));
        assertEquals(4, reader.stateStore().loadAll().size(), "loadAll still reads the interface rows");
        assertTrue(reader.stateStore().loadAll().contains(aDown), "and the flap history");

        writer.stateStore().delete(b);
        writer.flushStateWrites();
        assertEquals(List.of(withoutHistory(aDown)), List.copyOf(reader.loadDeviceStates()), "a deleted device is gone");
    }
}
