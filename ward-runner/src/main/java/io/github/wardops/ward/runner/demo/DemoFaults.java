package io.github.wardops.ward.runner.demo;

import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.simulator.net.LoopbackFaults;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's outages: each {@link #toggle()} either takes the next few devices down or brings
 * the current ones back. Down means their simulated agents go silent (SNMP fails) and, when the
 * nftables rules could be installed (root and {@code nft}), their addresses in the demo
 * inventory file move into {@link LoopbackFaults#SILENT}, where ICMP echoes are dropped, so the
 * runner (which re-reads the file) sees them DOWN and alerts open; coming back restores the file
 * and the agents, and the alerts resolve. Without the rules, loopback always answers ICMP: only
 * SNMP fails. Called from one timer thread; not thread-safe.
 */
public final class DemoFaults {
    private static final Logger LOG = LoggerFactory.getLogger(DemoFaults.class);
    private final Path csv;
    private final String original;
    private final List<Device> candidates;
    private final FleetAgents agents;
    private final LoopbackFaults faults;
    private final int perOutage;
    private final List<Device> down = new ArrayList<>();
    private int next;

    /**
     * Creates the outages.
     *
     * @param csv the demo inventory file the runner watches
     * @param original its original text
     * @param candidates the devices that may be taken down, in order
     * @param agents the simulated agents
     * @param faults the silent-host rules, or {@code null} when they could not be installed
     * @param perOutage devices per outage
     */
    public DemoFaults(Path csv, String original, List<Device> candidates, FleetAgents agents, LoopbackFaults faults,
                      int perOutage) {
        this.csv = csv;
        this.original = original;
        this.candidates = List.copyOf(candidates);
        this.agents = agents;
        this.faults = faults;
        this.perOutage = perOutage;
    }

    /** Takes the next devices down, or brings the current ones back. */
    public void toggle() {
        try {
            if (down.isEmpty()) {
                for (int i = 0; i < perOutage && !candidates.isEmpty(); i++) {
                    down.add(candidates.get(next++ % candidates.size()));
                }
                Map<String, String> moved = new java.util.HashMap<>();
                for (int i = 0; i < down.size(); i++) {
                    Device d = down.get(i);
                    agents.silent(d.address(), true);
                    moved.put(d.id().toString(), LoopbackFaults.silentHost(i));
                }
                if (faults != null) {
                    write(rewrite(original, moved));
                }
                LOG.info("demo: taking down {} ({})", names(down), faults != null
                        ? "ICMP dropped and SNMP agents silent" : "SNMP agents silent; ICMP on loopback always answers without root");
            } else {
                write(original);
                for (Device d : down) {
                    agents.silent(d.address(), false);
                }
                LOG.info("demo: {} back up", names(down));
                down.clear();
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("demo: the outage step failed: {}", e.toString());
        }
    }

    private static List<String> names(List<Device> ds) {
        return ds.stream().map(d -> d.name() + " (" + d.address().getHostAddress() + ")").toList();
    }

    /** The CSV text with the address column (the third) of the given devices replaced. */
    static String rewrite(String csv, Map<String, String> addressById) {
        StringBuilder sb = new StringBuilder();
        for (String line : csv.split("\n", -1)) {
            String[] cols = line.split(",", -1);
            if (cols.length > 2 && addressById.containsKey(cols[0].strip())) {
                cols[2] = addressById.get(cols[0].strip());
                line = String.join(",", cols);
            }
            sb.append(line).append('\n');
        }
        return sb.substring(0, sb.length() - 1);
    }

    private void write(String text) throws IOException {
        Path tmp = csv.resolveSibling(csv.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, csv, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * The devices down now.
     *
     * @return the addresses (their original ones)
     */
    public List<InetAddress> downNow() {
        return down.stream().map(Device::address).toList();
    }
}
