package io.github.wardops.ward.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.DeviceStatus;
import io.github.wardops.ward.inventory.DeviceId;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CodecsTest {
    private static final DeviceId ID = DeviceId.parse("b28054ed-930a-4913-a509-0f3b616e3371");
    private static final Instant T = Instant.parse("2026-11-29T12:00:00.123Z");

    private static DeviceSnapshot full() {
        return new DeviceSnapshot(ID, DeviceStatus.DOWN, T.minusSeconds(60), true, T, Duration.ofNanos(1_234_567), 50.0, T);
    }

    @Test
    void deviceStateRoundTripsWithAndWithoutOptionalFields() {
        var codec = ValueCodec.deviceSnapshot();
        DeviceSnapshot minimal = new DeviceSnapshot(ID, DeviceStatus.UNKNOWN, null, false, null, null, null, T);
        assertEquals(full(), codec.decode(codec.encode(full())));
        assertEquals(minimal, codec.decode(codec.encode(minimal)));
        DeviceSnapshot unreachable = new DeviceSnapshot(ID, DeviceStatus.UNREACHABLE, T, false, T, null, 100.0, T);
        assertEquals(unreachable, codec.decode(codec.encode(unreachable)));
        assertEquals(3, codec.encode(unreachable)[17], "status bytes are fixed, not ordinals");
        assertEquals(27, codec.encode(minimal).length);
        assertEquals(59, codec.encode(full()).length);
    }

    @Test
    void malformedDeviceStatesAreRejected() {
        var codec = ValueCodec.deviceSnapshot();
        byte[] good = codec.encode(full());
        assertThrows(RuntimeException.class, () -> codec.decode(new byte[0]));
        assertThrows(RuntimeException.class, () -> codec.decode(Arrays.copyOf(good, good.length - 1)));
        assertThrows(RuntimeException.class, () -> codec.decode(Arrays.copyOf(good, good.length + 1)), "trailing byte");
        byte[] version = good.clone();
        version[0] = 2;
        assertThrows(IllegalArgumentException.class, () -> codec.decode(version));
        byte[] status = good.clone();
        status[17] = 9;
        assertThrows(IllegalArgumentException.class, () -> codec.decode(status));
        byte[] flags = good.clone();
        flags[18] = (byte) 0x80;
        assertThrows(IllegalArgumentException.class, () -> codec.decode(flags));
        byte[] loss = good.clone();
        Arrays.fill(loss, good.length - 8, good.length, (byte) 0x7f);
        assertThrows(IllegalArgumentException.class, () -> codec.decode(loss), "loss NaN/out of range");
    }

    @Test
    void interfaceStatesRoundTripAndRejectMalformedInput() {
        var codec = ValueCodec.interfaceSnapshots();
        var s = new InterfaceSnapshots(ID, T, List.of(
                new InterfaceSnapshot(1, "Gi0/0", "ISP1 uplink ☃", InterfaceSnapshot.Status.UP, InterfaceSnapshot.Status.UP,
                        1_000_000_000L, 1.5e6, 2.5e6, 0.0, null),
                new InterfaceSnapshot(2, "Gi0/1", "", InterfaceSnapshot.Status.UP, InterfaceSnapshot.Status.LOWER_LAYER_DOWN, 0,
                        null, null, null, null)));
        byte[] bytes = codec.encode(s);
        assertEquals(s, codec.decode(bytes));
        assertThrows(RuntimeException.class, () -> codec.decode(Arrays.copyOf(bytes, bytes.length - 3)));
        assertThrows(RuntimeException.class, () -> codec.decode(Arrays.copyOf(bytes, bytes.length + 2)));
        byte[] count = bytes.clone();
        count[25] = (byte) 0xff;
        count[26] = (byte) 0xff;
        assertThrows(RuntimeException.class, () -> codec.decode(count));
        byte[] utf = bytes.clone();
        utf[33] = (byte) 0xc3;
        utf[34] = (byte) 0x28;
        assertThrows(RuntimeException.class, () -> codec.decode(utf), "invalid UTF-8 in a name");
    }

    @Test
    void stringsAndBytes() {
        assertEquals("héllo", ValueCodec.utf8().decode(ValueCodec.utf8().encode("héllo")));
        assertThrows(IllegalArgumentException.class, () -> ValueCodec.utf8().decode(new byte[] {(byte) 0xc3, 0x28}));
        byte[] b = {1, 2, 3};
        byte[] copy = ValueCodec.bytes().decode(b);
        assertArrayEquals(b, copy);
        copy[0] = 9;
        assertEquals(1, b[0], "decode copies");
    }

    @Test
    void recordsValidateTheirFields() {
        assertThrows(IllegalArgumentException.class,
                () -> new DeviceSnapshot(ID, DeviceStatus.UP, T, false, null, null, null, T));
        assertThrows(IllegalArgumentException.class,
                () -> new DeviceSnapshot(ID, DeviceStatus.UP, null, false, null, Duration.ofMillis(-1), null, T));
        assertThrows(IllegalArgumentException.class,
                () -> new DeviceSnapshot(ID, DeviceStatus.UP, null, false, null, null, 101.0, T));
        assertThrows(IllegalArgumentException.class, () -> new InterfaceSnapshot(0, "", "", InterfaceSnapshot.Status.UP,
                InterfaceSnapshot.Status.UP, 0, null, null, null, null));
        assertThrows(IllegalArgumentException.class, () -> new InterfaceSnapshot(1, "", "", InterfaceSnapshot.Status.UP,
                InterfaceSnapshot.Status.UP, 0, Double.NaN, null, null, null));
        assertTrue(new InterfaceSnapshots(ID, T, List.of()).interfaces().isEmpty());
    }
}
