package io.github.wardops.ward.bench.snmp;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Base64;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends the same datagram again and again to one loopback port, from its own JVM so that the
 * receiver's CPU is measured alone: {@code TrapSenderMain <base64 datagram> <port> <count> <perSecond, 0 = unpaced>}.
 * Prints {@code SENT <count> <seconds>} when done.
 */
public final class TrapSenderMain {
    private TrapSenderMain() {
    }

    /**
     * The entry point.
     *
     * @param args datagram (base64), port, count, rate
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        byte[] datagram = Base64.getDecoder().decode(args[0]);
        InetSocketAddress to = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), Integer.parseInt(args[1]));
        int count = Integer.parseInt(args[2]);
        int perSecond = Integer.parseInt(args[3]);
        ByteBuffer buf = ByteBuffer.wrap(datagram);
        long t0 = System.nanoTime();
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            for (int i = 0; i < count; i++) {
                if (perSecond > 0) {
                    long due = t0 + (long) (i * (1e9 / perSecond));
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                }
                buf.rewind();
                ch.send(buf, to);
            }
        }
        System.out.printf(java.util.Locale.ROOT, "SENT %d %.3f%n", count, (System.nanoTime() - t0) / 1e9);
    }
}
