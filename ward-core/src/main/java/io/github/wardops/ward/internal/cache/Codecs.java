package io.github.wardops.ward.internal.cache;

import io.github.wardops.ward.DeviceStatus;
import io.github.wardops.ward.cache.DeviceSnapshot;
import io.github.wardops.ward.cache.InterfaceSnapshot;
import io.github.wardops.ward.cache.InterfaceSnapshots;
import io.github.wardops.ward.cache.ValueCodec;
import io.github.wardops.ward.inventory.DeviceId;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The built-in value codecs. The snapshot codecs are versioned, fixed-layout binary: a first
 * byte names the layout version so later versions can add fields; decoding is strict (unknown
 * versions, flags, enum values, trailing bytes are errors).
 */
public final class Codecs {
    private Codecs() {
    }

    /** UTF-8 strings, strict. */
    public static final ValueCodec<String> UTF8 = new ValueCodec<>() {
        @Override
        public byte[] encode(String value) {
            return value.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String decode(byte[] bytes) {
            try {
                return StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                throw new IllegalArgumentException("not UTF-8", e);
            }
        }
    };

    /** Raw bytes. */
    public static final ValueCodec<byte[]> BYTES = new ValueCodec<>() {
        @Override
        public byte[] encode(byte[] value) {
            return value.clone();
        }

        @Override
        public byte[] decode(byte[] bytes) {
            return bytes.clone();
        }
    };

    private static final int V1 = 1;
    private static final int F_FLAPPING = 1;
    private static final int F_DOWN_SINCE = 2;
    private static final int F_LAST_PROBE = 4;
    private static final int F_RTT = 8;
    private static final int F_LOSS = 16;
    private static final int F_ALL = 31;
    /** Status bytes are fixed: reordering or adding enum constants must not change stored values. */
    private static byte statusByte(DeviceStatus s) {
        return switch (s) {
            case UP -> 0;
            case DOWN -> 1;
            case UNKNOWN -> 2;
            case UNREACHABLE -> 3;
        };
    }

    private static DeviceStatus status(byte b) {
        return switch (b) {
            case 0 -> DeviceStatus.UP;
            case 1 -> DeviceStatus.DOWN;
            case 2 -> DeviceStatus.UNKNOWN;
            case 3 -> DeviceStatus.UNREACHABLE;
            default -> throw new IllegalArgumentException("unknown status " + (b & 0xff));
        };
    }
    private static final InterfaceSnapshot.Status[] IF_STATUSES = InterfaceSnapshot.Status.values();

    /** {@link DeviceSnapshot}, layout 1: 27 bytes plus 8 per optional field present. */
    public static final ValueCodec<DeviceSnapshot> DEVICE_SNAPSHOT = new ValueCodec<>() {
        @Override
        public byte[] encode(DeviceSnapshot s) {
            int flags = (s.flapping() ? F_FLAPPING : 0) | (s.downSince() != null ? F_DOWN_SINCE : 0)
                    | (s.lastProbeAt() != null ? F_LAST_PROBE : 0) | (s.lastRtt() != null ? F_RTT : 0)
                    | (s.lossPct() != null ? F_LOSS : 0);
            ByteBuffer b = ByteBuffer.allocate(1 + 16 + 1 + 1 + 8 + Integer.bitCount(flags & ~F_FLAPPING) * 8);
            b.put((byte) V1);
            putId(b, s.device());
            b.put(statusByte(s.status()));
            b.put((byte) flags);
            b.putLong(s.updatedAt().toEpochMilli());
            if (s.downSince() != null) {
                b.putLong(s.downSince().toEpochMilli());
            }
            if (s.lastProbeAt() != null) {
                b.putLong(s.lastProbeAt().toEpochMilli());
            }
            if (s.lastRtt() != null) {
                b.putLong(s.lastRtt().toNanos());
            }
            if (s.lossPct() != null) {
                b.putDouble(s.lossPct());
            }
            return b.array();
        }

        @Override
        public DeviceSnapshot decode(byte[] bytes) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            version(b);
            DeviceId id = getId(b);
            DeviceStatus status = status(b.get());
            int flags = b.get() & 0xff;
            if ((flags & ~F_ALL) != 0) {
                throw new IllegalArgumentException("unknown flags " + flags);
            }
            Instant updatedAt = Instant.ofEpochMilli(b.getLong());
            Instant downSince = (flags & F_DOWN_SINCE) != 0 ? Instant.ofEpochMilli(b.getLong()) : null;
            Instant lastProbe = (flags & F_LAST_PROBE) != 0 ? Instant.ofEpochMilli(b.getLong()) : null;
            Duration rtt = (flags & F_RTT) != 0 ? Duration.ofNanos(b.getLong()) : null;
            Double loss = (flags & F_LOSS) != 0 ? b.getDouble() : null;
            end(b);
            return new DeviceSnapshot(id, status, downSince, (flags & F_FLAPPING) != 0, lastProbe, rtt, loss, updatedAt);
        }
    };

    /** {@link InterfaceSnapshots}, layout 1. */
    public static final ValueCodec<InterfaceSnapshots> INTERFACE_SNAPSHOTS = new ValueCodec<>() {
        @Override
        public byte[] encode(InterfaceSnapshots s) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 64 * s.interfaces().size());
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeByte(V1);
                out.writeLong(s.device().value().getMostSignificantBits());
                out.writeLong(s.device().value().getLeastSignificantBits());
                out.writeLong(s.polledAt().toEpochMilli());
                out.writeShort(s.interfaces().size());
                for (InterfaceSnapshot i : s.interfaces()) {
                    out.writeInt(i.ifIndex());
                    writeText(out, i.name());
                    writeText(out, i.alias());
                    out.writeByte(i.admin().ordinal());
                    out.writeByte(i.oper().ordinal());
                    out.writeLong(i.speedBps());
                    Double[] rates = {i.inBps(), i.outBps(), i.inErrorsPerSec(), i.outErrorsPerSec()};
                    int flags = 0;
                    for (int r = 0; r < rates.length; r++) {
                        flags |= rates[r] != null ? 1 << r : 0;
                    }
                    out.writeByte(flags);
                    for (Double r : rates) {
                        if (r != null) {
                            out.writeDouble(r);
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }

        @Override
        public InterfaceSnapshots decode(byte[] bytes) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            version(b);
            DeviceId id = getId(b);
            Instant polledAt = Instant.ofEpochMilli(b.getLong());
            int n = b.getShort() & 0xffff;
            if (n > 10_000) {
                throw new IllegalArgumentException("too many interfaces: " + n);
            }
            List<InterfaceSnapshot> list = new ArrayList<>(n);
            for (int k = 0; k < n; k++) {
                int ifIndex = b.getInt();
                String name = readText(b);
                String alias = readText(b);
                InterfaceSnapshot.Status admin = IF_STATUSES[index(b.get(), IF_STATUSES.length, "admin status")];
                InterfaceSnapshot.Status oper = IF_STATUSES[index(b.get(), IF_STATUSES.length, "oper status")];
                long speed = b.getLong();
                int flags = b.get() & 0xff;
                if ((flags & ~15) != 0) {
                    throw new IllegalArgumentException("unknown rate flags " + flags);
                }
                Double[] rates = new Double[4];
                for (int r = 0; r < 4; r++) {
                    rates[r] = (flags & (1 << r)) != 0 ? b.getDouble() : null;
                }
                list.add(new InterfaceSnapshot(ifIndex, name, alias, admin, oper, speed, rates[0], rates[1], rates[2], rates[3]));
            }
            end(b);
            return new InterfaceSnapshots(id, polledAt, list);
        }
    };

    private static void writeText(DataOutputStream out, String s) throws IOException {
        byte[] t = s.getBytes(StandardCharsets.UTF_8);
        if (t.length > 1024) {
            throw new IllegalArgumentException("text longer than 1024 bytes");
        }
        out.writeShort(t.length);
        out.write(t);
    }

    private static String readText(ByteBuffer b) {
        int len = b.getShort() & 0xffff;
        if (len > 1024 || len > b.remaining()) {
            throw new IllegalArgumentException("bad text length " + len);
        }
        ByteBuffer slice = b.slice(b.position(), len);
        b.position(b.position() + len);
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(slice);
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("text is not UTF-8", e);
        }
    }

    private static void version(ByteBuffer b) {
        int v = b.get() & 0xff;
        if (v != V1) {
            throw new IllegalArgumentException("unknown layout version " + v);
        }
    }

    private static void putId(ByteBuffer b, DeviceId id) {
        b.putLong(id.value().getMostSignificantBits());
        b.putLong(id.value().getLeastSignificantBits());
    }

    private static DeviceId getId(ByteBuffer b) {
        return new DeviceId(new UUID(b.getLong(), b.getLong()));
    }

    private static int index(byte v, int size, String what) {
        int i = v & 0xff;
        if (i >= size) {
            throw new IllegalArgumentException("unknown " + what + " " + i);
        }
        return i;
    }

    private static void end(ByteBuffer b) {
        if (b.hasRemaining()) {
            throw new IllegalArgumentException(b.remaining() + " trailing bytes");
        }
    }
}
