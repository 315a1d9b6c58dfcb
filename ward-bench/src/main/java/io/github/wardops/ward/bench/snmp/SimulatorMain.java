package io.github.wardops.ward.bench.snmp;

import io.github.wardops.ward.simulator.snmp.SimulatedDevice;
import io.github.wardops.ward.simulator.snmp.SimulatedInterface;
import io.github.wardops.ward.simulator.snmp.SnmpSimulator;
import io.github.wardops.ward.snmp.SnmpOid;
import io.github.wardops.ward.snmp.SnmpValue;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs simulated agents until stdin closes: {@code SimulatorMain <devices> <interfaces> <port> [firstOctet2]}.
 * Device {@code i} listens on {@code 127.<firstOctet2 + i / 250>.0.<i % 250 + 1>}; prints
 * {@code READY} when every socket is bound. Run in its own JVM so the poller's CPU and heap are measured alone.
 * With {@code -Dward.sim.tableRows=N} every device also serves an N-row table at {@link #TABLE} (a
 * text column 2 and integer columns 3-5, like an NVR's disks), for the template-table harnesses.
 */
public final class SimulatorMain {
    /** The entry of the table served with {@code -Dward.sim.tableRows}. */
    static final String TABLE = "1.3.6.1.4.1.50001.1.241.1";

    private SimulatorMain() {
    }

    /**
     * Adds an {@code rows}-row table at {@link #TABLE} to a device.
     *
     * @param b the device
     * @param rows how many rows
     */
    static void table(SimulatedDevice.Builder b, int rows) {
        SnmpOid entry = SnmpOid.parse(TABLE);
        for (int r = 1; r <= rows; r++) {
            b.scalar(entry.append(2, r), SnmpValue.OctetString.of("HDD" + r));
            b.scalar(entry.append(3, r), new SnmpValue.Integer32(r % 3));
            b.scalar(entry.append(4, r), new SnmpValue.Integer32(1_000 + r));
            b.scalar(entry.append(5, r), new SnmpValue.Integer32(4_000));
        }
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
        int rows = Integer.getInteger("ward.sim.tableRows", 0);
        for (int i = 0; i < devices; i++) {
            SimulatedDevice.Builder d = SimulatedDevice.builder(address(second, i)).port(port).interfaces(ifs);
            table(d, rows);
            b.device(d);
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
