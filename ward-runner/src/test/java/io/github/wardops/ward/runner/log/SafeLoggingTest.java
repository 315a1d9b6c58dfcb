package io.github.wardops.ward.runner.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/**
 * The runner's real {@code logback.xml}, end to end: messages whose arguments carry ESC, BEL, BS,
 * CR and LF, and exceptions whose messages do, come out as one escaped line each (stack frames
 * on their own lines), in the plain and the JSON format; protocol traces never come out.
 */
class SafeLoggingTest {
    private static final String EVIL = "evil\u001b[2J\u0007name\b\u009b31m\u007f";
    private static final String FORGED = "x\r\n2026-01-01T00:00:00.000Z ERROR [main] Poller - forged line";

    /** Configures a fresh context from the runner's logback.xml, runs the body, returns what went to standard error. */
    private static String capture(String format, String level, java.util.function.Consumer<LoggerContext> body) throws Exception {
        PrintStream saved = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        LoggerContext ctx = new LoggerContext();
        ctx.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        try (PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            System.setErr(err);
            ctx.putProperty("ward.log.format", format);
            ctx.putProperty("ward.log.level", level);
            JoranConfigurator jc = new JoranConfigurator();
            jc.setContext(ctx);
            jc.doConfigure(SafeLoggingTest.class.getResource("/logback.xml"));
            body.accept(ctx);
        } finally {
            ctx.stop();
            System.setErr(saved);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** No control character but the line breaks between lines and the tab before a stack frame. */
    private static void assertNoRawControlCharacters(String out) {
        for (int i = 0; i < out.length(); i++) {
            char c = out.charAt(i);
            boolean allowed = c == '\n' || (c == '\t' && (i == 0 || out.charAt(i - 1) == '\n'));
            assertTrue(allowed || !(c < 0x20 || (c >= 0x7f && c <= 0x9f)), "raw U+" + Integer.toHexString(c) + " at " + i
                    + " in: " + out);
        }
    }

    @Test
    void plainLinesEscapeEveryControlCharacterInMessagesAndExceptions() throws Exception {
        String out = capture("plain", "INFO", ctx -> {
            Logger log = ctx.getLogger("io.github.wardops.ward.runner.poll.Poller");
            log.info("device {} says {}", EVIL, FORGED);
            log.error("reload failed", new IllegalStateException("bad\u001b[31m\nsecond line",
                    new RuntimeException("cause\u0007 with password=hunter2")));
        });
        assertNoRawControlCharacters(out);
        List<String> lines = out.lines().toList();
        assertTrue(lines.get(0).endsWith(" INFO  [main] Poller - device evil\\u001b[2J\\u0007name\\u0008\\u009b31m\\u007f says "
                + "x\\r\\n2026-01-01T00:00:00.000Z ERROR [main] Poller - forged line"), lines.get(0));
        assertTrue(lines.get(1).endsWith(" ERROR [main] Poller - reload failed"), lines.get(1));
        assertEquals("java.lang.IllegalStateException: bad\\u001b[31m\\nsecond line", lines.get(2));
        assertTrue(lines.get(3).startsWith("\tat io.github.wardops.ward.runner.log.SafeLoggingTest"), lines.get(3));
        assertTrue(out.contains("\nCaused by: java.lang.RuntimeException: cause\\u0007 with password=***\n"), out);
        assertFalse(out.contains("hunter2"));
        assertEquals(2, lines.stream().filter(l -> l.startsWith("20")).count(), "two events, two lines with a time stamp: " + out);
    }

    @Test
    void jsonLinesEscapeWhatJsonLeavesRawToo() throws Exception {
        String out = capture("json", "INFO", ctx -> {
            Logger log = ctx.getLogger("io.github.wardops.ward.runner.poll.Poller");
            log.info("device {} says {}", EVIL, FORGED);
            log.warn("connect failed", new IllegalStateException("bad\u009b\u007f jdbc:postgresql://u:hunter2@h/db"));
        });
        assertNoRawControlCharacters(out);
        List<String> lines = out.lines().toList();
        assertEquals(2, lines.size(), out);
        ObjectMapper json = new ObjectMapper();
        JsonNode first = json.readTree(lines.get(0));
        assertEquals("device evil\\u001b[2J\\u0007name\\u0008\\u009b31m\\u007f says x\\r\\n2026-01-01T00:00:00.000Z ERROR [main] "
                + "Poller - forged line", first.get("formattedMessage").asText());
        JsonNode second = json.readTree(lines.get(1));
        assertEquals("bad\\u009b\\u007f jdbc:postgresql://***@h/db", second.get("throwable").get("message").asText(), lines.get(1));
        assertFalse(out.contains("hunter2"));
    }

    @Test
    void protocolTracesNeverComeOutWhateverTheLevel() throws Exception {
        String out = capture("plain", "TRACE", ctx -> {
            Logger lettuce = ctx.getLogger("io.lettuce.core.protocol.CommandEncoder");
            assertFalse(lettuce.isTraceEnabled(), "Lettuce must not even build its trace");
            lettuce.trace("[channel] Sent: *3\r\n$4\r\nAUTH\r\n$7\r\ndefault\r\n$11\r\nredis-hunter2\r\n");
            lettuce.debug("[channel] writing command AsyncCommand [type=AUTH]");
            ctx.getLogger("org.postgresql.core.v3.QueryExecutorImpl").trace(" FE=> Password(md5digest=md5hunter2)");
            ctx.getLogger("io.netty.handler.logging.LoggingHandler").trace("AUTH redis-hunter2");
            ctx.getLogger("io.github.wardops.ward.runner.Anything").trace("ward's own trace stays");
        });
        assertFalse(out.contains("hunter2"), out);
        assertTrue(out.contains("writing command AsyncCommand [type=AUTH]"), "DEBUG from Lettuce still comes out: " + out);
        assertTrue(out.contains("ward's own trace stays"), out);
    }

    @Test
    void theFilterIsPutBackWhenAConfigurationOfOnesOwnReplacesTheRunnersAndJavaUtilLoggingIsHeldAtInfo() throws Exception {
        LoggerContext ctx = new LoggerContext();
        ctx.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        LogSafety.install(ctx);
        assertTrue(ctx.getTurboFilterList().stream().anyMatch(f -> f instanceof ProtocolTraceFilter));
        ctx.reset();
        assertTrue(ctx.getTurboFilterList().stream().anyMatch(f -> f instanceof ProtocolTraceFilter), "after a reset too");
        ctx.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.TRACE);
        assertFalse(ctx.getLogger("io.lettuce.core.protocol.CommandHandler").isTraceEnabled());
        assertTrue(ctx.getLogger("io.lettuce.core.protocol.CommandHandler").isDebugEnabled());

        LogSafety.install();
        java.util.logging.Logger pg = java.util.logging.Logger.getLogger("org.postgresql.core.v3.ConnectionFactoryImpl");
        assertFalse(pg.isLoggable(java.util.logging.Level.FINEST), "the driver's wire trace is off");
        assertFalse(pg.isLoggable(java.util.logging.Level.FINE));
        assertTrue(pg.isLoggable(java.util.logging.Level.WARNING));
        java.util.logging.Logger.getLogger("org.postgresql").setLevel(java.util.logging.Level.FINEST);
        LogSafety.install();
        assertFalse(pg.isLoggable(java.util.logging.Level.FINEST), "held at INFO again at every start");
    }
}
