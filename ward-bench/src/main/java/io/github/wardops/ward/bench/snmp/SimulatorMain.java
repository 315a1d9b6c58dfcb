package io.github.wardops.ward.bench.snmp;

import io.github.wardops.ward.simulator.snmp.SimulatedDevice;
import io.github.wardops.ward.simulator.snmp.SimulatedInterface;
import io.github.wardops.ward.simulator.snmp.SnmpSimulator;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs simulated agents until stdin closes: {@code SimulatorMain <devices> <interfaces> <port> [firstOctet2]}.
 * Device {@code i} listens on {@code 127.<firstOctet2 + i / 250>.0.<i % 250 + 1>}; prints
 * {@code READY} when every socket is bound. Run in its own JVM so the poller's CPU and heap are measured alone.
 */
public final class SimulatorMain {
    private SimulatorMain() {
    }

    /**
     * The address of device {@code i}.
     *
     * @param second the second octet of the first address
     * @param i the device number
     * @return the loopback address
     * @throws Exception never for valid input
     */
    public static InetAddress address(int second, int i) throws Exception {
        return InetAddress.getByAddress(new byte[] {127, (byte) (second + i / 250), 0, (byte) (i % 250 + 1)});
    }

    /**
     * The entry point.
     *
     * @param args devices, interfaces, port, optional second octet
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        int devices = Integer.parseInt(args[0]);
        int interfaces = Integer.parseInt(args[1]);
        int port = Integer.parseInt(args[2]);
        int second = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        List<SimulatedInterface> ifs = new ArrayList<>();
        for (int k = 1; k <= interfaces; k++) {
            ifs.add(SimulatedInterface.ethernet(k, 1_000_000.0 * (k % 7 + 1)).withAlias(k == 1 ? "ISP-Magti" : "port " + k));
        }
        SnmpSimulator.Builder b = SnmpSimulator.builder().threads(Integer.parseInt(System.getProperty("ward.sim.threads", "2")));
        for (int i = 0; i < devices; i++) {
            b.device(SimulatedDevice.builder(address(second, i)).port(port).interfaces(ifs));
        }
        try (SnmpSimulator sim = b.start()) {
            System.out.println("READY " + sim.devices().size());
            System.out.flush();
            while (System.in.read() >= 0) {
                // run until the parent closes our stdin
            }
        }
    }
}
