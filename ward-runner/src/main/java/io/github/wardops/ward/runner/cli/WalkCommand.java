package io.github.wardops.ward.runner.cli;

import io.github.wardops.ward.runner.CliContext;
import io.github.wardops.ward.runner.ExitCodes;
import io.github.wardops.ward.snmp.SnmpOid;
import io.github.wardops.ward.snmp.poller.SnmpOptions;
import io.github.wardops.ward.snmp.poller.SnmpProber;
import io.github.wardops.ward.snmp.poller.SnmpProbers;
import io.github.wardops.ward.snmp.SnmpResponse;
import io.github.wardops.ward.snmp.SnmpVarBind;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code ward walk TARGET OID}: walks a subtree with GETBULK (GETNEXT for v1) through ward's SNMP
 * session and prints {@code .OID = TYPE: value} lines, the way {@code snmpbulkwalk -On} does.
 */
@Command(name = "walk", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        description = {"Walks an SNMP subtree through ward's SNMP session and prints one '.OID = TYPE: value' line per "
                + "binding, with numeric OIDs, so the output diffs cleanly against 'snmpbulkwalk -On'.",
            "TARGET is ADDRESS[:PORT] ([V6]:PORT for IPv6); host names are not resolved."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the walk completed (an empty subtree prints nothing)",
            "1:no answer, an error status, or a malformed answer (what was read is printed first)",
            "2:bad usage: every bad flag, target or OID is listed"})
public final class WalkCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Mixin
    SnmpFlags flags = new SnmpFlags();

    @Parameters(index = "0", paramLabel = "TARGET", description = "ADDRESS[:PORT] of the agent (default port 161).")
    String target;

    @Parameters(index = "1", paramLabel = "OID", defaultValue = ".1.3.6.1.2.1",
            description = "The subtree, numeric (default: .1.3.6.1.2.1, mib-2).")
    String oid;

    /**
     * Creates the command.
     *
     * @param ctx the context
     */
    public WalkCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws InterruptedException {
        Logging.rootLevel("WARN");
        List<String> problems = new ArrayList<>();
        SnmpFlags.Resolved r = flags.resolve(target, ctx.env(), problems);
        List<SnmpOid> root = SnmpFlags.oids(List.of(oid), problems);
        if (!problems.isEmpty()) {
            return ProbeCommand.usage(ctx, "ward walk", problems);
        }
        try (SnmpProber snmp = SnmpProbers.create(SnmpOptions.defaults())) {
            SnmpResponse resp = snmp.walk(r.target(), r.credentials(), root.get(0));
            return print(ctx, resp);
        }
    }

    /** Prints the bindings, then the failure if any; returns the exit code. */
    static int print(CliContext ctx, SnmpResponse resp) {
        for (SnmpVarBind vb : resp.varBinds()) {
            ctx.out().println(vb.format());
        }
        ctx.out().flush();
        if (resp.status() == SnmpResponse.Status.OK) {
            return ExitCodes.OK;
        }
        ctx.err().println("ward: " + resp.status() + (resp.detail().isEmpty() ? "" : ": " + resp.detail()));
        ctx.err().flush();
        return ExitCodes.FAILURE;
    }
}
