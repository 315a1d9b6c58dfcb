package io.github.wardops.ward.runner.http.server;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lowers the calling platform thread's CPU priority on Linux:
 * {@code setpriority(PRIO_PROCESS, gettid(), 10)} through the FFM API. Linux keeps a nice value
 * per thread, so the HTTP threads yield the CPU to the engine's probes (on virtual-thread
 * carriers at nice 0) whenever both want it, and get all of it when the probes do not. Raising
 * one's own nice value needs no privilege. Elsewhere, or when the call fails, nothing changes
 * (logged once). Thread-safe.
 */
@SuppressWarnings("restricted") // two libc downcalls
final class ThreadNice {
    /** The nice value of HTTP threads: 10 weighs about a tenth of a nice-0 thread when both want the CPU. */
    static final int HTTP_NICE = 10;
    private static final Logger LOG = LoggerFactory.getLogger(ThreadNice.class);
    private static final int PRIO_PROCESS = 0;
    private static final MethodHandle GETTID;
    private static final MethodHandle SETPRIORITY;
    private static volatile boolean warned;

    static {
        MethodHandle gettid = null;
        MethodHandle setpriority = null;
        try {
            Linker linker = Linker.nativeLinker();
            SymbolLookup libc = linker.defaultLookup();
            Optional<java.lang.foreign.MemorySegment> g = libc.find("gettid");
            Optional<java.lang.foreign.MemorySegment> s = libc.find("setpriority");
            if (g.isPresent() && s.isPresent() && System.getProperty("os.name", "").startsWith("Linux")) {
                gettid = linker.downcallHandle(g.get(), FunctionDescriptor.of(JAVA_INT));
                setpriority = linker.downcallHandle(s.get(), FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
            }
        } catch (RuntimeException | Error e) {
            // no FFM access (--enable-native-access) or not Linux: threads keep their priority
            LOG.debug("HTTP threads keep their CPU priority: {}", e.toString());
        }
        GETTID = gettid;
        SETPRIORITY = setpriority;
    }

    private ThreadNice() {
    }

    /**
     * Sets the calling thread's nice value to {@link #HTTP_NICE}.
     *
     * @return whether it was set
     */
    static boolean lower() {
        if (SETPRIORITY == null || Thread.currentThread().isVirtual()) {
            return false;
        }
        try {
            int tid = (int) GETTID.invokeExact();
            int rc = (int) SETPRIORITY.invokeExact(PRIO_PROCESS, tid, HTTP_NICE);
            if (rc == 0) {
                return true;
            }
        } catch (Error e) {
            throw e;
        } catch (Throwable e) {
            // a failed call: logged once below
        }
        if (!warned) {
            warned = true;
            LOG.info("HTTP threads could not lower their CPU priority (setpriority failed); they compete with probing "
                    + "on equal terms");
        }
        return false;
    }
}
