package io.github.wardops.ward.runner.http;

import static org.junit.jupiter.api.Assertions.*;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LoopbackPeerTest {
    @Test
    void parsesIpv4AndIpv6TableFields() throws Exception {
        assertEquals(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 8080), LoopbackPeer.parse("0100007F:1F90"));
        assertEquals(new InetSocketAddress(InetAddress.getByName("::ffff:127.0.0.1"), 19090),
                LoopbackPeer.parse("0000000000000000FFFF00000100007F:4A92"));
        assertEquals(new InetSocketAddress(InetAddress.getByName("::1"), 80),
                LoopbackPeer.parse("00000000000000000000000001000000:0050"));
        assertNull(LoopbackPeer.parse("zz:1"));
        assertNull(LoopbackPeer.parse("0100007F"));
    }

    @Test
    void malformedLinesAreUnknown() {
        InetSocketAddress a = new InetSocketAddress("127.0.0.1", 1);
        assertTrue(LoopbackPeer.match("", a, a).isEmpty());
        assertTrue(LoopbackPeer.match("0: garbage", a, a).isEmpty());
        assertTrue(LoopbackPeer.match("0: 0100007F:0001 0100007F:0001 01 x x x notanumber 0 5", a, a).isEmpty());
    }

    /** Regression (review): an orphaned socket (the client closed) is listed with uid 0 and inode 0: never "root". */
    @Test
    void anOrphanedOrClosedSocketTellsNoOwner() {
        InetSocketAddress client = new InetSocketAddress("127.0.0.1", 1);
        InetSocketAddress server = new InetSocketAddress("127.0.0.1", 2);
        String live = "0: 0100007F:0001 0100007F:0002 01 00000000:00000000 00:00000000 00000000  1000 0 4242 1";
        assertEquals(java.util.OptionalInt.of(1000), LoopbackPeer.match(live, client, server));
        String orphan = "0: 0100007F:0001 0100007F:0002 05 00000000:00000000 00:00000000 00000000     0 0 0 3";
        assertTrue(LoopbackPeer.match(orphan, client, server).isEmpty());
        String timeWait = "0: 0100007F:0001 0100007F:0002 06 00000000:00000000 03:00000BED 00000000     0 0 0 3";
        assertTrue(LoopbackPeer.match(timeWait, client, server).isEmpty());
    }

    @Test
    void findsTheUidOfTheClientOfARealConnection() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket accepted = server.accept()) {
            OptionalInt uid = LoopbackPeer.uid((InetSocketAddress) accepted.getRemoteSocketAddress(),
                    (InetSocketAddress) accepted.getLocalSocketAddress());
            assertEquals(OptionalInt.of(ownUid()), uid);
        }
    }

    /** The client is another user (nobody): the uid says so. Needs root for setpriv, as the suite runs. */
    @Test
    void findsAnotherUsersConnection() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Process p = new ProcessBuilder("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                    "bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/" + server.getLocalPort() + "; sleep 5")
                    .redirectErrorStream(true).start();
            try (Socket accepted = server.accept()) {
                OptionalInt uid = LoopbackPeer.uid((InetSocketAddress) accepted.getRemoteSocketAddress(),
                        (InetSocketAddress) accepted.getLocalSocketAddress());
                assertEquals(OptionalInt.of(65534), uid);
            } finally {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private static int ownUid() throws Exception {
        Process p = new ProcessBuilder("id", "-u").start();
        try (InputStream in = p.getInputStream()) {
            return Integer.parseInt(new String(in.readAllBytes()).trim());
        }
    }
}
