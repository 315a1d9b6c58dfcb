package io.github.wardops.ward.internal.cache;

import java.nio.ByteBuffer;

/**
 * The 10-byte header ward puts before every value in the shared tier: a marker byte {@code 'W'},
 * the envelope version, and the entry's expiry as epoch milliseconds. The marker tells ward's
 * values from foreign ones; the expiry lets a reader keep the value in L1 no longer than it lives
 * in L2.
 */
final class Envelope {
    static final int HEADER = 10;
    private static final byte MARKER = 'W';
    private static final byte VERSION = 1;

    private Envelope() {
    }

    static byte[] wrap(byte[] payload, long expireAtMillis) {
        ByteBuffer b = ByteBuffer.allocate(HEADER + payload.length);
        b.put(MARKER).put(VERSION).putLong(expireAtMillis).put(payload);
        return b.array();
    }

    /** Whether the bytes carry ward's envelope (else they are foreign). */
    static boolean isWard(byte[] bytes) {
        return bytes.length >= HEADER && bytes[0] == MARKER && bytes[1] == VERSION;
    }

    static long expireAt(byte[] bytes) {
        return ByteBuffer.wrap(bytes, 2, 8).getLong();
    }

    static byte[] payload(byte[] bytes) {
        byte[] p = new byte[bytes.length - HEADER];
        System.arraycopy(bytes, HEADER, p, 0, p.length);
        return p;
    }
}
