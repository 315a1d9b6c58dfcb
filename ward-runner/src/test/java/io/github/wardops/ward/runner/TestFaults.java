package io.github.wardops.ward.runner;

import io.github.wardops.ward.simulator.net.LoopbackFaults;
import io.github.wardops.ward.simulator.net.LoopbackOutages;
import org.junit.jupiter.api.Assumptions;

/** Silent loopback hosts for tests: installed, or the test is skipped (failed in CI, where nft and root are given). */
final class TestFaults {
    private TestFaults() {
    }

    static boolean ci() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    static LoopbackFaults installOrSkip() {
        try {
            return LoopbackFaults.install();
        } catch (IllegalStateException e) {
            if (ci()) {
                throw new AssertionError("CI=true but the nftables rules cannot be installed: " + e.getMessage(), e);
            }
            Assumptions.abort("nftables rules cannot be installed here (needs root and nft): " + e.getMessage());
            return null;
        }
    }

    /** Outages of chosen loopback hosts (echoes dropped at the input hook): installed, or the test is skipped (failed in CI). */
    static LoopbackOutages outagesOrSkip() {
        try {
            return LoopbackOutages.install();
        } catch (IllegalStateException e) {
            if (ci()) {
                throw new AssertionError("CI=true but the nftables outage table cannot be installed: " + e.getMessage(), e);
            }
            Assumptions.abort("nftables rules cannot be installed here (needs root and nft): " + e.getMessage());
            return null;
        }
    }
}
