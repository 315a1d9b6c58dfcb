package io.github.wardops.ward.internal.icmp;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.wardops.ward.WardException;
import io.github.wardops.ward.internal.nativeio.Libc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Joining a network namespace fails with a clear message and closes every descriptor it opened. */
class NetworkNamespaceTest {
    private static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    @Test
    void withoutANamespaceTheActionRunsOnTheCallingThread() {
        Thread[] ranOn = new Thread[1];
        NetworkNamespace.run(null, () -> ranOn[0] = Thread.currentThread());
        assertSame(Thread.currentThread(), ranOn[0]);
    }

    @Test
    void aNamespaceThatCannotBeOpenedLeaksNoDescriptor() throws IOException {
        assumeTrue(Libc.supported(), "Linux only");
        Path missing = Path.of("/nonexistent/ward-test-netns");
        AtomicBoolean ran = new AtomicBoolean();
        long before = openDescriptors();
        for (int i = 0; i < 50; i++) {
            WardException e = assertThrows(WardException.class, () -> NetworkNamespace.run(missing, () -> ran.set(true)));
            assertEquals("cannot open network namespace " + missing + ": ENOENT", e.getMessage());
        }
        assertFalse(ran.get());
        // the descriptor of the thread's own namespace was opened before the missing one failed
        assertEquals(before, openDescriptors(), "every descriptor opened was closed");
    }

    @Test
    void aFileThatIsNoNamespaceCannotBeJoinedAndLeaksNoDescriptor() throws IOException {
        assumeTrue(Libc.supported(), "Linux only");
        AtomicBoolean ran = new AtomicBoolean();
        long before = openDescriptors();
        for (int i = 0; i < 50; i++) {
            WardException e = assertThrows(WardException.class,
                    () -> NetworkNamespace.run(Path.of("/dev/null"), () -> ran.set(true)));
            assertTrue(e.getMessage().startsWith("cannot join network namespace /dev/null: "), e.getMessage());
        }
        assertFalse(ran.get());
        assertEquals(before, openDescriptors(), "every descriptor opened was closed");
    }
}
