package io.github.wardops.ward.internal.icmp;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The sender thread on a fake ticker, with a transmitter that records instead of sending. */
class EchoSenderTest {
    private final FakeTicker ticker = new FakeTicker();
    private final OutstandingEchoes echoes = new OutstandingEchoes(ticker, 10_000, new IcmpCounters());
    private final List<Echo> sent = new CopyOnWriteArrayList<>();
    private final AtomicInteger calls = new AtomicInteger();
    private EchoSender sender;

    private EchoSender start(int perSecond, EchoSender.Transmit tx) {
        create(perSecond, tx).start();
        return sender;
    }

    private EchoSender create(int perSecond, EchoSender.Transmit tx) {
        sender = new EchoSender(ticker, new Pacer(ticker, perSecond), echoes, tx, waited -> { }, Long.MAX_VALUE);
        return sender;
    }

    private final EchoSender.Transmit recording = (es, n) -> {
        calls.incrementAndGet();
        assertTrue(n >= 1 && n <= EchoSender.BURST, "a burst of " + n);
        for (int i = 0; i < n; i++) {
            sent.add(es[i]);
        }
        return n;
    };

    private Echo echo(int i) {
        return echoes.register(new byte[] {127, 0, 0, (byte) i}, false, Duration.ofSeconds(1));
    }

    private static void await(BooleanSupplier cond, String what) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!cond.getAsBoolean()) {
            assertTrue(System.nanoTime() - end < 0, "timed out waiting for: " + what);
            Thread.sleep(1);
        }
    }

    @AfterEach
    void close() {
        if (sender != null) {
            sender.close();
        }
    }

    @Test
    void echoesLeaveAtTheirOffsetsNotBefore() throws Exception {
        start(1_000_000, recording);
        Echo a = echo(1);
        Echo b = echo(2);
        Echo c = echo(3);
        sender.submit(c, TimeUnit.SECONDS.toNanos(20));
        sender.submit(b, TimeUnit.SECONDS.toNanos(10));
        sender.submit(a, 0);
        await(() -> sent.size() == 1, "the first echo");
        assertSame(a, sent.get(0));
        Thread.sleep(50);
        assertEquals(1, sent.size(), "the second waits for its offset (10 s on the ticker)");
        ticker.advance(Duration.ofSeconds(10));
        await(() -> sent.size() == 2, "the second echo");
        assertSame(b, sent.get(1));
        ticker.advance(Duration.ofSeconds(10));
        await(() -> sent.size() == 3, "the third echo");
        assertSame(c, sent.get(2));
    }

    @Test
    void manyDueEchoesGoOutInBursts() throws Exception {
        // all handed over before the sender first looks: how the submitting thread and the
        // sender interleave must not decide what the test sees (a slow machine let the sender
        // take echoes one at a time as they arrived)
        create(1_000_000_000, recording);
        for (int i = 0; i < 1_000; i++) {
            sender.submit(echo(i % 250), 0);
        }
        sender.start();
        await(() -> sent.size() == 1_000, "every echo");
        assertTrue(calls.get() < 1_000 / 4, "1,000 echoes in " + calls.get() + " bursts");
    }

    @Test
    void theRateSpacesEchoesEvenWhenTheyAreAllDue() throws Exception {
        start(1_000, recording); // 1 ms apart
        long t0 = System.nanoTime();
        for (int i = 0; i < 60; i++) {
            sender.submit(echo(i), 0);
        }
        await(() -> sent.size() == 60, "every echo");
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(ms >= 50, "60 echoes at 1,000 a second left within " + ms + " ms");
    }

    @Test
    void anEchoTheKernelHasNoRoomForIsTriedAgainWithoutLosingTheRest() throws Exception {
        AtomicInteger refusals = new AtomicInteger(2);
        start(1_000_000, (es, n) -> {
            if (refusals.getAndDecrement() > 0) {
                return 0; // EAGAIN for the first echo of the burst
            }
            return recording.send(es, n);
        });
        Echo a = echo(1);
        Echo b = echo(2);
        sender.submit(a, 0);
        sender.submit(b, 0);
        await(() -> sent.size() == 2, "both echoes, after two refusals");
        assertEquals(java.util.Set.of(a, b), java.util.Set.copyOf(sent), "both went out, once each");
        assertEquals(2, sent.size());
        assertEquals(2, a.attempts + b.attempts, "only the echo at the head of a refused burst counts an attempt");
    }

    @Test
    void echoesHeldByASenderThatDiesEndImpairedNeverLost() throws Exception {
        start(1_000_000, recording);
        Echo later = echo(1);
        sender.submit(later, TimeUnit.SECONDS.toNanos(60));
        Thread.sleep(20);
        sender.failOnce(new IllegalStateException("injected by the test"));
        assertEquals(Echo.Status.IMPAIRED, later.result.get(10, TimeUnit.SECONDS).status());
        await(() -> !sender.alive(), "the sender ended");
        assertEquals("IllegalStateException", sender.stopReason());
        assertEquals(0, echoes.size(), "nothing is left outstanding");
        assertTrue(sent.isEmpty());
    }

    @Test
    void echoesInABurstWhoseSendThrowsEndImpairedNeverLost() throws Exception {
        start(1_000_000, (es, n) -> {
            throw new IllegalStateException("injected by the test");
        });
        // one echo: it is in the burst when the send throws (an echo handed over after the
        // sender died is the submitter's to settle, as IcmpEchoProber does after submit)
        Echo a = echo(1);
        sender.submit(a, 0);
        assertEquals(Echo.Status.IMPAIRED, a.result.get(10, TimeUnit.SECONDS).status());
        await(() -> !sender.alive(), "the sender ended");
        assertEquals(0, echoes.size(), "nothing is left outstanding");
    }
}
