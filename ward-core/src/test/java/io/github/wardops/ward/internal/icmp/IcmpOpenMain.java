package io.github.wardops.ward.internal.icmp;

import io.github.wardops.ward.WardException;
import io.github.wardops.ward.probe.IcmpOptions;

/** Run in a child process without CAP_NET_RAW: prints what opening the ICMP prober says. */
public final class IcmpOpenMain {
    private IcmpOpenMain() {
    }

    public static void main(String[] args) {
        try (IcmpEchoProber p = IcmpEchoProber.open(IcmpOptions.defaults())) {
            System.out.println("OPENED " + p.mode());
            System.exit(0);
        } catch (WardException e) {
            System.out.println(e.getMessage());
            System.exit(3);
        }
    }
}
