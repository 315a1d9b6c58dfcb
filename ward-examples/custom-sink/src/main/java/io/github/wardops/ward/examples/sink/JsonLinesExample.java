package io.github.wardops.ward.examples.sink;

import io.github.wardops.ward.Ward;
import io.github.wardops.ward.inventory.Addresses;
import io.github.wardops.ward.inventory.Check;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.sink.SinkOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Embeds the {@link RollingJsonLinesSink} in a {@link Ward}: pings five loopback devices every
 * second and writes the results to {@code <dir>/ward-results.jsonl}, rotated at 1 MiB with 4 files
 * kept. Run it with {@code ./mvnw -q -pl ward-examples/custom-sink -am compile exec:java
 * -Dexec.args=target/results} (the directory argument is optional).
 */
public final class JsonLinesExample {
    private JsonLinesExample() {
    }

    /**
     * Probes until every device has three results written, then stops.
     *
     * @param dir the directory for the files
     * @param out where progress is printed
     * @return the sink's options, to read the files back
     * @throws IOException when the files cannot be written
     * @throws InterruptedException if interrupted
     */
    static RollingOptions run(Path dir, PrintStream out) throws IOException, InterruptedException {
        RollingOptions options = new RollingOptions(dir, "ward-results", 1L << 20, 4);
        List<Device> devices = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            String address = "127.0.43." + i;
            devices.add(Device.builder(DeviceId.fromKey(address), "jsonl-" + i, Addresses.parse(address))
                    .check(Check.icmp(Duration.ofSeconds(1)))
                    .build());
        }
        CountDownLatch threeEach = new CountDownLatch(devices.size() * 3);
        Set<String> counted = ConcurrentHashMap.newKeySet();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        // The sink is ours: the engine does not close it, so it closes after the engine drained.
        try (RollingJsonLinesSink sink = RollingJsonLinesSink.open(options, meters)) {
            try (Ward ward = Ward.builder()
                    .sink(sink, new SinkOptions(10_000, 500, Duration.ofMillis(100)))
                    .listener(r -> {
                        if (counted.add(r.device() + "@" + r.at())) {
                            threeEach.countDown();
                        }
                    })
                    .meterRegistry(meters)
                    .build()) {
                ward.inventory().replaceAll(devices);
                ward.start();
                if (!threeEach.await(30, TimeUnit.SECONDS)) {
                    out.println("not every device reported three times within 30 s");
                }
            }
        }
        for (Path f : options.filesOldestFirst()) {
            if (Files.exists(f)) {
                List<ProbeResult> results = JsonLines.read(f);
                out.println(f + ": " + results.size() + " results, " + results.stream().filter(r -> r instanceof ProbeResult.Up).count() + " up");
            }
        }
        out.println("lines written: " + (long) meters.get("ward.example.jsonl.lines").counter().count());
        return options;
    }

    /**
     * Runs the example.
     *
     * @param args optionally, the directory for the files (default {@code target/ward-results})
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        run(Path.of(args.length > 0 ? args[0] : "target/ward-results"), System.out);
    }
}
