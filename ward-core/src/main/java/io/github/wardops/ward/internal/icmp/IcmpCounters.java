package io.github.wardops.ward.internal.icmp;

import io.github.wardops.ward.probe.IcmpSocketMode;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the ICMP prober counts, and the meters that publish it. Every packet the receiver reads
 * and does not use lands in one of the {@code ignored*} counters, and every echo that was not
 * sent in one of the error counters.
 */
final class IcmpCounters {
    final LongAdder sent = new LongAdder();
    final LongAdder replies = new LongAdder();
    final LongAdder timeouts = new LongAdder();
    final LongAdder icmpErrors = new LongAdder();
    final LongAdder sendErrors = new LongAdder();
    final LongAdder overLimit = new LongAdder();
    final LongAdder ignoredForeign = new LongAdder();
    final LongAdder ignoredMalformed = new LongAdder();
    final LongAdder ignoredLate = new LongAdder();
    /** Echoes that waited more than a second for their slot at the pacer. */
    final LongAdder delayed = new LongAdder();
    /** Replies timed by the kernel's receive timestamp rather than when the receiver read them. */
    final LongAdder kernelTimestamps = new LongAdder();

    /** Sum of the three {@code ignored*} counters. */
    long ignored() {
        return ignoredForeign.sum() + ignoredMalformed.sum() + ignoredLate.sum();
    }

    void bindTo(MeterRegistry registry, OutstandingEchoes outstanding, IcmpSocketMode mode, IcmpEchoProber prober) {
        counter(registry, "ward.icmp.delayed", delayed, "Echoes that waited more than a second for the pacer");
        Gauge.builder("ward.icmp.pace", prober, IcmpEchoProber::pacedRate).baseUnit("echoes/s")
                .description("The rate the pacer lets echoes out at now").register(registry);
        Gauge.builder("ward.icmp.pace.planned", prober, p -> Math.max(0, p.plannedRate())).baseUnit("echoes/s")
                .description("The echoes per second the schedule plans").register(registry);
        Gauge.builder("ward.icmp.pacer.backlog", prober, p -> p.pacerBacklogNanos() / 1e9).baseUnit("seconds")
                .description("How long a new echo would wait for its slot at the pacer").register(registry);
        counter(registry, "ward.icmp.echoes.sent", sent, "Echo requests sent");
        counter(registry, "ward.icmp.replies", replies, "Echo replies matched to an echo");
        counter(registry, "ward.icmp.timeouts", timeouts, "Echoes that got no answer in time");
        counter(registry, "ward.icmp.errors", icmpErrors, "Echoes answered by an ICMP error (unreachable...)", "kind", "icmp");
        counter(registry, "ward.icmp.errors", sendErrors, "Echoes that could not be sent", "kind", "send");
        counter(registry, "ward.icmp.errors", overLimit, "Echoes not sent: too many outstanding", "kind", "outstanding_limit");
        counter(registry, "ward.icmp.ignored", ignoredForeign, "Packets that were not ward's", "reason", "foreign");
        counter(registry, "ward.icmp.ignored", ignoredMalformed, "Packets too short, malformed or of another type", "reason", "malformed");
        counter(registry, "ward.icmp.ignored", ignoredLate, "Replies to echoes already settled", "reason", "late");
        // the gauge holds its object weakly: the prober holds the echoes for as long as it lives
        Gauge.builder("ward.icmp.outstanding", outstanding, OutstandingEchoes::size)
                .description("Echoes awaiting a reply").register(registry);
        Gauge.builder("ward.icmp.socket.mode", () -> 1).tag("mode", mode.name().toLowerCase(Locale.ROOT))
                .description("The ICMP socket mode in use (the tag; the value is 1)").register(registry);
    }

    private static void counter(MeterRegistry r, String name, LongAdder a, String desc, String... tags) {
        FunctionCounter.builder(name, a, LongAdder::sum).tags(tags).description(desc).register(r);
    }
}
