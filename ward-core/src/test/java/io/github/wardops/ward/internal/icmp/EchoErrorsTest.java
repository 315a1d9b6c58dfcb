package io.github.wardops.ward.internal.icmp;

import static io.github.wardops.ward.internal.nativeio.Libc.*;
import static org.junit.jupiter.api.Assertions.*;

import io.github.wardops.ward.probe.DownReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every errno of the table in docs/icmp.md, and what an errno outside it becomes. */
class EchoErrorsTest {

    @ParameterizedTest(name = "{0} -> DOWN {1}")
    @CsvSource({
        "1,   EPERM,        LOCAL_FIREWALL",
        "13,  EACCES,       LOCAL_FIREWALL",
        "101, ENETUNREACH,  NETWORK_UNREACHABLE",
        "113, EHOSTUNREACH, HOST_UNREACHABLE",
        "112, EHOSTDOWN,    HOST_UNREACHABLE",
        "111, ECONNREFUSED, REFUSED",
    })
    void errnosThatSayTheEchoCannotReachTheDeviceAreFailedProbes(int errno, String name, DownReason reason) {
        EchoErrors.Verdict v = EchoErrors.judge(errno, 100);
        assertTrue(v.down(), v.toString());
        assertEquals(reason, v.reason());
        assertTrue(v.detail().startsWith(name + " on send"), v.detail());
    }

    @ParameterizedTest(name = "{0} -> UNKNOWN")
    @CsvSource({
        "90,  EMSGSIZE",
        "105, ENOBUFS",
        "12,  ENOMEM",
        "11,  EAGAIN",
        "4,   EINTR",
        "22,  EINVAL",
        "9,   EBADF",
        "71,  EPROTO",
    })
    void errnosOfWardsOwnTroubleLeaveTheDeviceUnjudged(int errno, String name) {
        EchoErrors.Verdict v = EchoErrors.judge(errno, 100);
        assertFalse(v.down(), v.toString());
        assertNull(v.reason());
        assertTrue(v.detail().startsWith("no echo could be sent: " + name + " on send"), v.detail());
    }

    @Test
    void theConstantsAreLinuxsNumbers() {
        assertEquals(1, EPERM);
        assertEquals(13, EACCES);
        assertEquals(101, ENETUNREACH);
        assertEquals(112, EHOSTDOWN);
        assertEquals(113, EHOSTUNREACH);
        assertEquals(111, ECONNREFUSED);
        assertEquals(90, EMSGSIZE);
        assertEquals(105, ENOBUFS);
    }

    @Test
    void anUnexpectedErrnoIsUnknownAndNamedByNumber() {
        EchoErrors.Verdict v = EchoErrors.judge(4242, 100);
        assertFalse(v.down());
        assertEquals("no echo could be sent: errno 4242 on send", v.detail());
        EchoErrors.Verdict zero = EchoErrors.judge(0, 100);
        assertFalse(zero.down(), "an error-queue message without an errno judges nothing");
    }

    @Test
    void anEchoOverTheOutstandingLimitIsUnknown() {
        EchoErrors.Verdict v = EchoErrors.judge(-1, 64);
        assertFalse(v.down());
        assertEquals("no echo could be sent: over the limit of 64 outstanding echoes", v.detail());
    }
}
