package io.github.wardops.ward.bench.snmp;

import io.github.wardops.ward.Secret;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.snmp.poller.SnmpTrapOptions;
import io.github.wardops.ward.snmp.poller.SnmpTrapReceiver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.snmp4j.CommunityTarget;
import org.snmp4j.PDU;
import org.snmp4j.Snmp;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.TimeTicks;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.smi.VariableBinding;
import org.snmp4j.transport.DefaultUdpTransportMapping;

/**
 * Receives a stream of SNMPv2c linkDown traps with ward's {@link SnmpTrapReceiver} and with
 * net-snmp's {@code snmptrapd}, one after the other, at several send rates:
 * {@code TrapBenchmark [traps=100000] [rates=10000,50000,0]} (0 = as fast as one sender thread can).
 * The sender runs in its own JVM ({@link TrapSenderMain}) and sends the same datagram to both; all
 * traffic is on 127.0.0.1. For each receiver it prints how long the sender took, how many of the
 * traps the receiver delivered, and its CPU time (the receiver's process; for ward, this JVM).
 *
 * <p>ward's listener only counts (the runner then stores the trap and re-polls the device);
 * snmptrapd formats one short line per trap ({@code -F}) to its standard output, which the harness
 * counts. Both read from a socket with the same receive buffer, 1 MiB (ward's default) or
 * {@code -Dward.bench.trapBuffer=BYTES} (ward's {@code receiveBufferBytes}, snmptrapd's
 * {@code serverRecvBuf}), which the kernel caps at {@code net.core.rmem_max}; the kernel's drops
 * for a full buffer ({@code RcvbufErrors}) are printed per run.
 */
public final class TrapBenchmark {
    private TrapBenchmark() {
    }

    /**
     * The entry point.
     *
     * @param args traps per run, rates (comma-separated)
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        int traps = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int[] rates = Arrays.stream((args.length > 1 ? args[1] : "10000,50000,0").split(","))
                .mapToInt(Integer::parseInt).toArray();
        byte[] datagram = linkDown();
        Path dir = Files.createTempDirectory("ward-trap-bench", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        System.out.printf(Locale.ROOT, "traps=%d datagram=%d bytes rmem_max=%s cpus=%d%n", traps, datagram.length,
                procFile("/proc/sys/net/core/rmem_max"), Runtime.getRuntime().availableProcessors());
        int buffer = Integer.getInteger("ward.bench.trapBuffer", 1024 * 1024);
        System.out.printf(Locale.ROOT, "receive buffer asked for: %d bytes (both)%n", buffer);
        DeviceId device = new DeviceId(new UUID(0x7BA9, 1));
        AtomicLong delivered = new AtomicLong();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (SnmpTrapReceiver ward = SnmpTrapReceiver.start(SnmpTrapOptions.builder().port(0)
                .community(Secret.of("public")).receiveBufferBytes(buffer).meterRegistry(meters).build(),
                a -> a.isLoopbackAddress() ? Optional.of(device) : Optional.empty(),
                (d, e) -> delivered.incrementAndGet())) {
            int wardPort = ward.localAddress().getPort();
            int netPort = freePort();
            // the same receive buffer as ward's (SnmpTrapOptions.receiveBufferBytes)
            Path conf = Files.writeString(dir.resolve("snmptrapd.conf"),
                    "authCommunity log public\n[snmp] serverRecvBuf " + buffer + "\n");
            ProcessBuilder pb = new ProcessBuilder("snmptrapd", "-f", "-Lo", "-C", "-c", conf.toString(), "-n", "-On",
                    "-F", "T\\n", "udp:127.0.0.1:" + netPort).redirectErrorStream(true);
            pb.environment().put("MIBS", "");
            pb.environment().put("SNMP_PERSISTENT_DIR", dir.toString());
            Process trapd = pb.start();
            AtomicLong lines = new AtomicLong();
            Thread reader = Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(trapd.getInputStream(), StandardCharsets.UTF_8))) {
                    String l;
                    while ((l = r.readLine()) != null) {
                        if (l.equals("T")) {
                            lines.incrementAndGet();
                        }
                    }
                } catch (IOException e) {
                    // the process ended
                }
            });
            try {
                // both answer one trap before the runs start
                run("warm-up ward", datagram, wardPort, 1, 0, delivered::get, Harness::processCpu);
                run("warm-up snmptrapd", datagram, netPort, 1, 0, lines::get, () -> cpu(trapd));
                for (int rate : rates) {
                    String r = rate == 0 ? "unpaced" : rate + "/s";
                    Result w = run("ward " + r, datagram, wardPort, traps, rate, delivered::get, Harness::processCpu);
                    Result n = run("snmptrapd " + r, datagram, netPort, traps, rate, lines::get, () -> cpu(trapd));
                    System.out.printf(Locale.ROOT, "%-10s | ward: sent in %.2f s, delivered %,d of %,d (%.1f %%), kernel "
                                    + "drops %,d, CPU %.2f s (%.1f us/trap) | snmptrapd: sent in %.2f s, delivered %,d of %,d "
                                    + "(%.1f %%), kernel drops %,d, CPU %.2f s (%.1f us/trap)%n",
                            r, w.seconds, w.got, traps, 100.0 * w.got / traps, w.kernelDrops, w.cpu,
                            1e6 * w.cpu / Math.max(1, w.got), n.seconds, n.got, traps, 100.0 * n.got / traps, n.kernelDrops,
                            n.cpu, 1e6 * n.cpu / Math.max(1, n.got));
                }
                System.out.printf(Locale.ROOT, "ward outcomes: accepted %d, dropped (queue full) %d, malformed %d; heap after GC %s%n",
                        ward.count("accepted"), ward.count("dropped"), ward.count("malformed"), Harness.mib(Harness.heapAfterGc()));
            } finally {
                trapd.destroy();
                if (!trapd.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                    trapd.destroyForcibly();
                }
                reader.join(2_000);
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    /** A /proc file's text (its size reads as 0, so it is read as a stream). */
    private static String procFile(String path) throws IOException {
        try (var in = Files.newInputStream(Path.of(path))) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
        }
    }

    private record Result(long got, double seconds, double cpu, long kernelDrops) {
    }

    /** The kernel's count of UDP datagrams dropped for a full socket receive buffer ({@code netstat -su}). */
    private static long rcvbufErrors() throws IOException {
        List<String> udp = procFile("/proc/net/snmp").lines().filter(l -> l.startsWith("Udp: ")).toList();
        List<String> names = Arrays.asList(udp.get(0).split(" "));
        return Long.parseLong(udp.get(1).split(" ")[names.indexOf("RcvbufErrors")]);
    }

    /** Sends {@code count} traps from a child JVM; waits until the receiver's count stops moving. */
    private static Result run(String what, byte[] datagram, int port, int count, int rate, LongSupplier received,
                              java.util.function.Supplier<Duration> cpu) throws Exception {
        long before = received.getAsLong();
        long drops0 = rcvbufErrors();
        Duration cpu0 = cpu.get();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process sender = new ProcessBuilder(java, "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                TrapSenderMain.class.getName(), Base64.getEncoder().encodeToString(datagram), Integer.toString(port),
                Integer.toString(count), Integer.toString(rate)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String sent;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(sender.getInputStream(), StandardCharsets.UTF_8))) {
            sent = r.readLine();
        }
        if (sender.waitFor() != 0 || sent == null || !sent.startsWith("SENT")) {
            throw new IllegalStateException(what + ": the sender failed: " + sent);
        }
        long last = -1;
        long lastMove = System.nanoTime();
        long now;
        while (true) {
            Thread.sleep(50);
            now = received.getAsLong();
            if (now != last) {
                last = now;
                lastMove = System.nanoTime();
            } else if (System.nanoTime() - lastMove > 500_000_000L || now - before >= count) {
                break;
            }
        }
        double seconds = Double.parseDouble(sent.split(" ")[2]);
        return new Result(now - before, seconds, cpu.get().minus(cpu0).toMillis() / 1000.0, rcvbufErrors() - drops0);
    }

    private static Duration cpu(Process p) {
        return p.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    private static int freePort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    /** A v2c linkDown (ifIndex, ifAdminStatus, ifOperStatus), as SNMP4J encodes it. */
    private static byte[] linkDown() throws Exception {
        try (DatagramSocket catcher = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"));
             Snmp snmp = new Snmp(new DefaultUdpTransportMapping(new UdpAddress(InetAddress.getByName("127.0.0.1"), 0)))) {
            catcher.setSoTimeout(5_000);
            PDU pdu = new PDU();
            pdu.setType(PDU.TRAP);
            pdu.add(new VariableBinding(SnmpConstants.sysUpTime, new TimeTicks(123_456)));
            pdu.add(new VariableBinding(SnmpConstants.snmpTrapOID, SnmpConstants.linkDown));
            pdu.add(new VariableBinding(new OID("1.3.6.1.2.1.2.2.1.1.4"), new Integer32(4)));
            pdu.add(new VariableBinding(new OID("1.3.6.1.2.1.2.2.1.7.4"), new Integer32(1)));
            pdu.add(new VariableBinding(new OID("1.3.6.1.2.1.2.2.1.8.4"), new Integer32(2)));
            CommunityTarget<UdpAddress> t = new CommunityTarget<>(new UdpAddress(catcher.getLocalAddress(),
                    catcher.getLocalPort()), new OctetString("public"));
            t.setVersion(SnmpConstants.version2c);
            snmp.send(pdu, t);
            DatagramPacket p = new DatagramPacket(new byte[65_535], 65_535);
            catcher.receive(p);
            return Arrays.copyOf(p.getData(), p.getLength());
        }
    }
}
