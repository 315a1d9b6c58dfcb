package io.github.wardops.ward.runner.poll;

import java.lang.reflect.Proxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code SIGHUP} asks for a reload instead of ending the process (the JVM's default). Through
 * {@code sun.misc.Signal} (module jdk.unsupported, in every JDK ward supports), reached by
 * reflection so the build has no proprietary-API warning; where it is missing, a reload still
 * follows a change of the file.
 */
final class Hangup {
    private static final Logger LOG = LoggerFactory.getLogger(Hangup.class);

    private Hangup() {
    }

    /**
     * Runs {@code action} (which must return at once) on every {@code SIGHUP}.
     *
     * @param action what to do
     * @return {@code true} when the handler is installed
     */
    static boolean onHangup(Runnable action) {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handler = Class.forName("sun.misc.SignalHandler");
            Object h = Proxy.newProxyInstance(handler.getClassLoader(), new Class<?>[] {handler}, (proxy, m, args) -> {
                if (m.getName().equals("handle")) {
                    action.run();
                    return null;
                }
                return switch (m.getName()) {
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> "SIGHUP reload";
                };
            });
            Object hup = signal.getConstructor(String.class).newInstance("HUP");
            signal.getMethod("handle", signal, handler).invoke(null, hup, h);
            return true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.info("SIGHUP cannot be handled here ({}); the notifications file is still reloaded when it changes",
                    e.getClass().getSimpleName());
            return false;
        }
    }
}
