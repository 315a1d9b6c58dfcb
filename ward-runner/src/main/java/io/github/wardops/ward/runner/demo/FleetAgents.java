package io.github.wardops.ward.runner.demo;

import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.snmp.SnmpOid;
import io.github.wardops.ward.simulator.snmp.SimulatedBehaviour;
import io.github.wardops.ward.simulator.snmp.SimulatedDevice;
import io.github.wardops.ward.simulator.snmp.SimulatedInterface;
import io.github.wardops.ward.simulator.snmp.SnmpSimulator;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Simulated SNMP v2c agents for a fleet: one per distinct address (a second device on an address
 * already taken is skipped and counted), each with a system group named after the device and two
 * Gigabit ports moving traffic at a rate derived from the device's id. Thread-safe after
 * {@link #start}; {@link #close()} stops every agent.
 */
public final class FleetAgents implements AutoCloseable {
    /** net-snmp's Linux sysObjectID, so the net-snmp vendor template applies. */
    private static final SnmpOid LINUX = SnmpOid.parse("1.3.6.1.4.1.8072.3.2.10");
    private final SnmpSimulator simulator;
    private final Map<InetAddress, SimulatedDevice> byAddress;
    private final int skipped;

    private FleetAgents(SnmpSimulator simulator, Map<InetAddress, SimulatedDevice> byAddress, int skipped) {
        this.simulator = simulator;
        this.byAddress = byAddress;
        this.skipped = skipped;
    }

    /**
     * Starts an agent per distinct address.
     *
     * @param devices the fleet
     * @param port the UDP port of every agent (an unprivileged one such as 1161)
     * @param community the v2c community the agents answer
     * @return the running agents
     * @throws java.io.UncheckedIOException when a socket cannot be bound (the message names the address)
     */
    public static FleetAgents start(List<Device> devices, int port, String community) {
        SnmpSimulator.Builder b = SnmpSimulator.builder().threads(2);
        Map<InetAddress, Device> seen = new HashMap<>();
        int skipped = 0;
        for (Device d : devices) {
            if (seen.putIfAbsent(d.address(), d) != null) {
                skipped++;
                continue;
            }
            long h = d.id().value().getLeastSignificantBits() & 0xffff;
            double octetsPerSecond = 20_000 + h * 10;
            b.device(SimulatedDevice.builder(d.address()).port(port).community(community)
                    .system("Linux " + d.name() + " (ward simulated agent)", LINUX, d.name(), d.labels().getOrDefault("branch", ""))
                    .interfaces(List.of(SimulatedInterface.ethernet(1, octetsPerSecond),
                            SimulatedInterface.ethernet(2, octetsPerSecond / 3))));
        }
        SnmpSimulator sim = b.start();
        Map<InetAddress, SimulatedDevice> byAddress = new HashMap<>();
        for (SimulatedDevice s : sim.devices()) {
            byAddress.put(s.address(), s);
        }
        return new FleetAgents(sim, byAddress, skipped);
    }

    /**
     * The agents started.
     *
     * @return the count
     */
    public int agents() {
        return byAddress.size();
    }

    /**
     * Devices skipped because their address already had an agent.
     *
     * @return the count
     */
    public int skippedDuplicates() {
        return skipped;
    }

    /**
     * Makes the agent on an address silent, or answering again.
     *
     * @param address the agent's address
     * @param silent whether it stops answering
     */
    public void silent(InetAddress address, boolean silent) {
        SimulatedDevice s = byAddress.get(address);
        if (s != null) {
            s.behaviour(silent ? SimulatedBehaviour.SILENT : SimulatedBehaviour.NORMAL);
        }
    }

    /**
     * The addresses with an agent.
     *
     * @return the addresses
     */
    public List<InetAddress> addresses() {
        return new ArrayList<>(byAddress.keySet());
    }

    @Override
    public void close() {
        simulator.close();
    }
}
