package io.github.wardops.ward.snmp.poller.internal;

import io.github.wardops.ward.Ticker;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.probe.DownReason;
import io.github.wardops.ward.probe.ProbeRequest;
import io.github.wardops.ward.probe.ProbeResult;
import io.github.wardops.ward.snmp.InterfaceCounters;
import io.github.wardops.ward.snmp.InterfaceRates;
import io.github.wardops.ward.snmp.SnmpCredentials;
import io.github.wardops.ward.snmp.SnmpInterface;
import io.github.wardops.ward.snmp.SnmpItem;
import io.github.wardops.ward.snmp.SnmpItemValue;
import io.github.wardops.ward.snmp.SnmpMeasurement;
import io.github.wardops.ward.snmp.SnmpOid;
import io.github.wardops.ward.snmp.poller.SnmpOptions;
import io.github.wardops.ward.snmp.poller.SnmpProber;
import io.github.wardops.ward.snmp.SnmpResponse;
import io.github.wardops.ward.snmp.SnmpSettings;
import io.github.wardops.ward.snmp.SnmpSystem;
import io.github.wardops.ward.snmp.SnmpTarget;
import io.github.wardops.ward.snmp.SnmpValue;
import io.github.wardops.ward.snmp.SnmpVarBind;
import io.github.wardops.ward.snmp.SnmpVersion;
import io.github.wardops.ward.snmp.poller.VendorTemplate;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;

/**
 * The SNMP prober: one poll reads the system group (and sysUpTime, ifNumber), discovers
 * interfaces when due, reads interface status and counters, computes rates against the previous
 * poll, and reads due template and custom items. Per-device state lives in a bounded
 * {@link DeviceStates}. Thread-safe; the engine calls {@link #probe} at most once at a time per
 * (device, check).
 */
public final class SnmpPoller implements SnmpProber {
    private static final String POLLS = "SNMP polls of a device, by outcome";
    private static final String RATES_DROPPED = "Interface rates not computed, by reason (a counter reset, or above the speed)";

    static final SnmpOid SYS_DESCR = SnmpOid.parse("1.3.6.1.2.1.1.1.0");
    static final SnmpOid SYS_OBJECT_ID = SnmpOid.parse("1.3.6.1.2.1.1.2.0");
    static final SnmpOid SYS_UPTIME = SnmpOid.parse("1.3.6.1.2.1.1.3.0");
    static final SnmpOid SYS_NAME = SnmpOid.parse("1.3.6.1.2.1.1.5.0");
    static final SnmpOid SYS_LOCATION = SnmpOid.parse("1.3.6.1.2.1.1.6.0");
    static final SnmpOid IF_NUMBER = SnmpOid.parse("1.3.6.1.2.1.2.1.0");
    static final SnmpOid IF_ENTRY = SnmpOid.parse("1.3.6.1.2.1.2.2.1");
    static final SnmpOid IFX_ENTRY = SnmpOid.parse("1.3.6.1.2.1.31.1.1.1");

    private static final int IF_DESCR = 2;
    private static final int IF_TYPE = 3;
    private static final int IF_MTU = 4;
    private static final int IF_SPEED = 5;
    private static final int IF_PHYS = 6;
    private static final int IF_ADMIN = 7;
    private static final int IF_OPER = 8;
    private static final int IF_IN_OCTETS = 10;
    private static final int IF_IN_UCAST = 11;
    private static final int IF_IN_DISCARDS = 13;
    private static final int IF_IN_ERRORS = 14;
    private static final int IF_OUT_OCTETS = 16;
    private static final int IF_OUT_UCAST = 17;
    private static final int IF_OUT_DISCARDS = 19;
    private static final int IF_OUT_ERRORS = 20;
    private static final int IFX_NAME = 1;
    private static final int IFX_HC_IN_OCTETS = 6;
    private static final int IFX_HC_IN_UCAST = 7;
    private static final int IFX_HC_OUT_OCTETS = 10;
    private static final int IFX_HC_OUT_UCAST = 11;
    private static final int IFX_HIGH_SPEED = 15;
    private static final int IFX_ALIAS = 18;
    private static final int IFX_DISCONTINUITY = 19;

    private final SnmpOptions options;
    private final Ticker ticker;
    private final SnmpSession session;
    private final SnmpOperations ops;
    private final TemplateCatalog templates;
    private final InterfaceClassifier classifier;
    private final DeviceStates<StateKey, PollState> states;
    private final Counter pollsUp;
    private final Counter pollsDown;
    private final Counter pollsPartial;
    private final Counter pollsUnknown;
    private final Counter discoveries;
    private final Counter ratesReset;
    private final Counter ratesOverSpeed;
    private final Counter varBindsRead;
    private final Counter tablesTruncated;
    private final Counter tableCellsSkipped;
    private final RateCalculator.Drops drops;
    private final StringInterner strings;

    private record StateKey(DeviceId device, String check) {
    }

    /** What discovery found about one interface. */
    record IfInfo(int index, String name, String descr, String alias, int type, int mtu, long speed, String mac,
                  String role, Map<String, String> attrs, boolean hc, boolean hasDiscontinuity) {
        IfInfo withHc(boolean h) {
            return new IfInfo(index, name, descr, alias, type, mtu, speed, mac, role, attrs, h, hasDiscontinuity);
        }
    }

    /** One device's polling state; used by one probe at a time. */
    static final class PollState {
        final Semaphore limit;
        volatile SnmpTarget target;
        volatile SnmpCredentials credentials;
        long lastUpTime = -1;
        int lastIfNumber = -1;
        Instant discoveredAt;
        List<IfInfo> interfaces = List.of();
        final Map<Integer, CounterSample> samples = new HashMap<>();
        final Map<String, Instant> itemPolledAt = new HashMap<>();

        PollState(int perDevice) {
            this.limit = new Semaphore(perDevice);
        }
    }

    private SnmpPoller(SnmpOptions options) {
        this.options = options;
        this.ticker = options.ticker();
        this.session = SnmpSession.open(options);
        this.ops = new SnmpOperations(session, options.maxWalkVarbinds());
        this.templates = new TemplateCatalog(options.templates());
        this.classifier = new InterfaceClassifier(options.interfaceRules());
        MeterRegistry r = options.meterRegistry();
        this.states = new DeviceStates<>(options.maxDevices(), options.stateExpiryIntervals(), r, this::freed);
        this.pollsUp = Counter.builder("ward.snmp.polls").tag("outcome", "up").description(POLLS).register(r);
        this.pollsDown = Counter.builder("ward.snmp.polls").tag("outcome", "down").description(POLLS).register(r);
        this.pollsPartial = Counter.builder("ward.snmp.polls").tag("outcome", "partial").description(POLLS).register(r);
        this.pollsUnknown = Counter.builder("ward.snmp.polls").tag("outcome", "unknown").description(POLLS).register(r);
        this.discoveries = Counter.builder("ward.snmp.discoveries").description("Interface discoveries").register(r);
        this.ratesReset = Counter.builder("ward.snmp.rates.dropped").tag("reason", "reset").description(RATES_DROPPED).register(r);
        this.ratesOverSpeed = Counter.builder("ward.snmp.rates.dropped").tag("reason", "over_speed").description(RATES_DROPPED).register(r);
        this.varBindsRead = Counter.builder("ward.snmp.varbinds").description("Varbinds read by polls").register(r);
        this.tablesTruncated = Counter.builder("ward.snmp.tables.truncated")
                .description("Template table walks stopped at maxTableRows rows; the rows beyond were not read").register(r);
        this.tableCellsSkipped = Counter.builder("ward.snmp.tables.cells.skipped")
                .description("Template table values left out because their name (table_column.index) is over 64 characters")
                .register(r);
        this.strings = new StringInterner(100_000, r);
        this.drops = new RateCalculator.Drops() {
            @Override
            public void reset() {
                ratesReset.increment();
            }

            @Override
            public void overSpeed() {
                ratesOverSpeed.increment();
            }
        };
    }

    /**
     * Opens the session and the prober.
     *
     * @param options the options
     * @return the prober
     */
    public static SnmpPoller open(SnmpOptions options) {
        Objects.requireNonNull(options, "options");
        return new SnmpPoller(options);
    }

    private void freed(PollState s) {
        SnmpTarget t = s.target;
        if (t != null && s.credentials instanceof SnmpCredentials.Usm) {
            session.forget(t);
        }
    }

    @Override
    public String type() {
        return SnmpSettings.TYPE;
    }

    @Override
    public SnmpResponse get(SnmpTarget target, SnmpCredentials credentials, List<SnmpOid> oids)
            throws InterruptedException {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(credentials, "credentials");
        if (oids.size() > 100_000) {
            throw new IllegalArgumentException("at most 100000 OIDs per get, got " + oids.size());
        }
        return ops.get(target, credentials, List.copyOf(oids), null, new SnmpOperations.Stats());
    }

    @Override
    public SnmpResponse walk(SnmpTarget target, SnmpCredentials credentials, SnmpOid root) throws InterruptedException {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(root, "root");
        return ops.walk(target, credentials, root, null, new SnmpOperations.Stats());
    }

    @Override
    public java.net.InetSocketAddress localAddress() {
        return session.localAddress();
    }

    @Override
    public int pendingRequests() {
        return session.pending();
    }

    /**
     * SNMP4J's own pending count, for leak tests.
     *
     * @return the count
     */
    public int snmp4jPending() {
        return session.snmp4jPending();
    }

    @Override
    public int trackedDevices() {
        return states.size();
    }

    @Override
    public void close() {
        session.close();
    }

    @Override
    public ProbeResult probe(ProbeRequest request) throws InterruptedException {
        SnmpSettings s = request.settings(SnmpSettings.class);
        Device device = request.device();
        DeviceId id = device.id();
        String check = request.check().name();
        Instant at = options.clock().instant();
        SnmpCredentials creds = s.credentials() != null ? s.credentials() : options.credentials().get(s.credentialsRef());
        if (creds == null) {
            pollsUnknown.increment();
            return new ProbeResult.Unknown(id, check, type(), at, "no SNMP credentials named '" + s.credentialsRef() + "'");
        }
        SnmpTarget target = s.target(device.address());
        long deadline = ticker.read() + request.check().timeout().toNanos();
        PollState st = states.get(new StateKey(id, check), request.check().interval(), at,
                () -> new PollState(options.maxRequestsPerDevice()));
        synchronized (st) {
            st.target = target;
            st.credentials = creds;
            return poll(request, s, creds, target, st, at, deadline);
        }
    }

    private ProbeResult poll(ProbeRequest request, SnmpSettings s, SnmpCredentials creds, SnmpTarget target,
                             PollState st, Instant at, long deadline) throws InterruptedException {
        DeviceId id = request.device().id();
        String check = request.check().name();
        SnmpOperations.Stats stats = new SnmpOperations.Stats(ticker, deadline);
        boolean wantSystem = s.polls().contains(SnmpSettings.Poll.SYSTEM) || s.polls().contains(SnmpSettings.Poll.TEMPLATE_ITEMS);
        List<SnmpOid> first = new ArrayList<>(List.of(SYS_UPTIME, IF_NUMBER));
        if (wantSystem) {
            first.addAll(List.of(SYS_DESCR, SYS_OBJECT_ID, SYS_NAME, SYS_LOCATION));
        }
        long t0 = ticker.read();
        SnmpResponse r = ops.get(target, creds, first, st.limit, stats);
        Duration latency = Duration.ofNanos(ticker.read() - t0);
        if (!r.ok()) {
            varBindsRead.increment(stats.varBinds());
            return switch (r.status()) {
                case TIMEOUT -> down(id, check, at, DownReason.TIMEOUT, r.detail());
                case ERROR_STATUS -> down(id, check, at, DownReason.ERROR_RESPONSE, r.detail());
                case MALFORMED, LIMIT_REACHED -> down(id, check, at, DownReason.OTHER, r.detail());
                default -> {
                    pollsUnknown.increment();
                    yield new ProbeResult.Unknown(id, check, type(), at, r.detail());
                }
            };
        }
        Map<SnmpOid, SnmpValue> v = new HashMap<>();
        for (SnmpVarBind vb : r.varBinds()) {
            v.put(vb.oid(), vb.value());
        }
        long upTime = v.get(SYS_UPTIME) instanceof SnmpValue.TimeTicks tt ? tt.value() : -1;
        int ifNumber = v.get(IF_NUMBER) instanceof SnmpValue.Integer32 n ? n.value() : -1;
        boolean restarted = upTime >= 0 && st.lastUpTime >= 0 && upTime < st.lastUpTime;
        boolean ifNumberChanged = st.lastIfNumber >= 0 && ifNumber != st.lastIfNumber;
        if (restarted || ifNumberChanged) {
            st.samples.clear();
        }
        st.lastUpTime = upTime;
        st.lastIfNumber = ifNumber;
        SnmpSystem system = null;
        SnmpOid objectId = v.get(SYS_OBJECT_ID) instanceof SnmpValue.ObjectId o ? o.oid() : null;
        if (wantSystem) {
            system = new SnmpSystem(text(v.get(SYS_DESCR)), objectId, Duration.ofMillis(Math.max(0, upTime) * 10),
                    text(v.get(SYS_NAME)), text(v.get(SYS_LOCATION)));
        }
        VendorTemplate template = templates.match(objectId, request.device().labels());
        String vendor = template == null ? "unknown" : template.vendor();

        String problem = "";
        boolean discovered = false;
        List<SnmpInterface> interfaces = List.of();
        if (s.polls().contains(SnmpSettings.Poll.INTERFACES)) {
            Instant now = options.clock().instant();
            boolean due = st.discoveredAt == null || restarted || ifNumberChanged
                    || !now.isBefore(st.discoveredAt.plus(s.rediscoveryInterval()));
            if (due && !late(deadline)) {
                SnmpOperations.ColumnsResult d = discover(target, creds, st, s, stats);
                if (d.status() == SnmpResponse.Status.OK) {
                    discovered = true;
                } else {
                    problem = "interface discovery: " + d.detail();
                }
            }
            if (problem.isEmpty() && st.discoveredAt != null) {
                if (late(deadline)) {
                    problem = "check timeout reached before interface polling";
                } else {
                    List<SnmpInterface> polled = new ArrayList<>();
                    problem = pollInterfaces(target, creds, st, upTime, stats, polled);
                    interfaces = polled;
                }
            }
        }
        List<SnmpItemValue> items = new ArrayList<>();
        if (problem.isEmpty()) {
            problem = pollItems(request, s, creds, target, st, template, stats, items, deadline);
        }
        varBindsRead.increment(stats.varBinds());
        SnmpMeasurement m = new SnmpMeasurement(system, vendor, items, interfaces, discovered, restarted,
                stats.varBinds(), stats.requests(), problem);
        (problem.isEmpty() ? pollsUp : pollsPartial).increment();
        return new ProbeResult.Up(id, check, type(), at, latency, m);
    }

    private boolean late(long deadline) {
        return ticker.read() - deadline > 0;
    }

    private ProbeResult down(DeviceId id, String check, Instant at, DownReason reason, String detail) {
        pollsDown.increment();
        return new ProbeResult.Down(id, check, type(), at, reason, detail, io.github.wardops.ward.probe.Measurement.NONE);
    }

    private static String text(SnmpValue v) {
        if (v instanceof SnmpValue.OctetString s) {
            String t = s.text();
            return t != null ? t : s.hex();
        }
        return "";
    }

    private SnmpOperations.ColumnsResult discover(SnmpTarget target, SnmpCredentials creds, PollState st, SnmpSettings s,
                                                  SnmpOperations.Stats stats) throws InterruptedException {
        boolean v1 = creds.version() == SnmpVersion.V1;
        List<SnmpOid> cols = new ArrayList<>(List.of(IF_ENTRY.append(IF_DESCR), IF_ENTRY.append(IF_TYPE),
                IF_ENTRY.append(IF_MTU), IF_ENTRY.append(IF_SPEED), IF_ENTRY.append(IF_PHYS),
                IFX_ENTRY.append(IFX_NAME), IFX_ENTRY.append(IFX_HIGH_SPEED), IFX_ENTRY.append(IFX_ALIAS),
                IFX_ENTRY.append(IFX_DISCONTINUITY)));
        if (!v1) {
            cols.add(IFX_ENTRY.append(IFX_HC_IN_OCTETS));
        }
        SnmpOperations.ColumnsResult r = ops.walkColumns(target, creds, cols, st.limit, stats);
        if (r.status() != SnmpResponse.Status.OK) {
            return r;
        }
        discoveries.increment();
        List<Map<Integer, SnmpValue>> byCol = new ArrayList<>();
        for (int c = 0; c < cols.size(); c++) {
            Map<Integer, SnmpValue> m = new HashMap<>();
            for (SnmpVarBind vb : r.columns().get(c)) {
                int[] idx = vb.oid().suffixAfter(cols.get(c));
                if (idx.length == 1) {
                    m.put(idx[0], vb.value());
                }
            }
            byCol.add(m);
        }
        TreeMap<Integer, IfInfo> found = new TreeMap<>();
        for (Integer index : new java.util.TreeSet<>(byCol.get(0).keySet())) {
            if (found.size() >= options.maxInterfacesPerDevice()) {
                break;
            }
            String descr = text(byCol.get(0).get(index));
            int type = intOf(byCol.get(1).get(index));
            int mtu = intOf(byCol.get(2).get(index));
            long speed = longOf(byCol.get(3).get(index));
            String mac = byCol.get(4).get(index) instanceof SnmpValue.OctetString os && os.bytes().length > 0
                    ? HexFormat.ofDelimiter(":").formatHex(os.bytes()) : "";
            String name = text(byCol.get(5).get(index));
            long high = longOf(byCol.get(6).get(index));
            String alias = text(byCol.get(7).get(index));
            boolean hasDisc = byCol.get(8).containsKey(index);
            boolean hc = !v1 && byCol.get(9).get(index) instanceof SnmpValue.Counter64;
            long speedBps = high > 0 ? high * 1_000_000L : (speed == 0xFFFF_FFFFL ? 0 : speed);
            String display = name.isEmpty() ? descr : name;
            if (!s.interfaceFilter().accepts(type, display)) {
                continue;
            }
            InterfaceClassifier.Classification cl = classifier.classify(alias, descr, name, type, speedBps);
            found.put(index, new IfInfo(index, strings.intern(name), strings.intern(descr), strings.intern(alias), type, mtu,
                    speedBps, mac, cl.role(), cl.attributes(), hc, hasDisc));
        }
        st.interfaces = List.copyOf(found.values());
        st.samples.keySet().retainAll(found.keySet());
        st.discoveredAt = options.clock().instant();
        return r;
    }

    private static int intOf(SnmpValue v) {
        return v instanceof SnmpValue.Integer32 i ? i.value() : 0;
    }

    private static long longOf(SnmpValue v) {
        return switch (v) {
            case SnmpValue.Gauge32 g -> g.value();
            case SnmpValue.Counter32 c -> c.value();
            case SnmpValue.Integer32 i -> i.value();
            case null, default -> 0;
        };
    }

    private static Long counter(SnmpValue v) {
        return switch (v) {
            case SnmpValue.Counter32 c -> c.value();
            case SnmpValue.Counter64 c -> c.value();
            case null, default -> null;
        };
    }

    private static final int PER_IF = 11;

    private static void addIfOids(List<SnmpOid> oids, IfInfo i) {
        int x = i.index();
        oids.add(IF_ENTRY.append(IF_ADMIN, x));
        oids.add(IF_ENTRY.append(IF_OPER, x));
        if (i.hc()) {
            oids.add(IFX_ENTRY.append(IFX_HC_IN_OCTETS, x));
            oids.add(IFX_ENTRY.append(IFX_HC_OUT_OCTETS, x));
            oids.add(IFX_ENTRY.append(IFX_HC_IN_UCAST, x));
            oids.add(IFX_ENTRY.append(IFX_HC_OUT_UCAST, x));
        } else {
            oids.add(IF_ENTRY.append(IF_IN_OCTETS, x));
            oids.add(IF_ENTRY.append(IF_OUT_OCTETS, x));
            oids.add(IF_ENTRY.append(IF_IN_UCAST, x));
            oids.add(IF_ENTRY.append(IF_OUT_UCAST, x));
        }
        oids.add(IF_ENTRY.append(IF_IN_ERRORS, x));
        oids.add(IF_ENTRY.append(IF_OUT_ERRORS, x));
        oids.add(IF_ENTRY.append(IF_IN_DISCARDS, x));
        oids.add(IF_ENTRY.append(IF_OUT_DISCARDS, x));
        oids.add(i.hasDiscontinuity() ? IFX_ENTRY.append(IFX_DISCONTINUITY, x) : SYS_UPTIME);
    }

    private String pollInterfaces(SnmpTarget target, SnmpCredentials creds, PollState st, long upTime,
                                  SnmpOperations.Stats stats, List<SnmpInterface> out) throws InterruptedException {
        List<IfInfo> ifs = st.interfaces;
        if (ifs.isEmpty()) {
            return "";
        }
        List<SnmpOid> oids = new ArrayList<>(ifs.size() * PER_IF);
        for (IfInfo i : ifs) {
            addIfOids(oids, i);
        }
        SnmpResponse r = ops.get(target, creds, oids, st.limit, stats);
        if (!r.ok()) {
            return "interface polling: " + r.detail();
        }
        List<SnmpVarBind> vbs = r.varBinds();
        // Interfaces that claimed 64-bit counters but returned none fall back to 32-bit, now and from now on.
        List<IfInfo> fallback = new ArrayList<>();
        for (int k = 0; k < ifs.size(); k++) {
            IfInfo i = ifs.get(k);
            if (i.hc() && vbs.get(k * PER_IF + 2).value().isException()) {
                fallback.add(i.withHc(false));
            }
        }
        Map<Integer, List<SnmpVarBind>> fallbackValues = new HashMap<>();
        if (!fallback.isEmpty()) {
            List<SnmpOid> fo = new ArrayList<>();
            for (IfInfo i : fallback) {
                addIfOids(fo, i);
            }
            SnmpResponse fr = ops.get(target, creds, fo, st.limit, stats);
            if (!fr.ok()) {
                return "interface polling (32-bit fallback): " + fr.detail();
            }
            for (int k = 0; k < fallback.size(); k++) {
                fallbackValues.put(fallback.get(k).index(), fr.varBinds().subList(k * PER_IF, (k + 1) * PER_IF));
            }
            List<IfInfo> updated = new ArrayList<>(ifs.size());
            for (IfInfo i : ifs) {
                updated.add(fallbackValues.containsKey(i.index()) ? i.withHc(false) : i);
            }
            st.interfaces = List.copyOf(updated);
        }
        Instant now = options.clock().instant();
        for (int k = 0; k < ifs.size(); k++) {
            IfInfo i = ifs.get(k);
            List<SnmpVarBind> row = fallbackValues.getOrDefault(i.index(), vbs.subList(k * PER_IF, (k + 1) * PER_IF));
            boolean hc = i.hc() && !fallbackValues.containsKey(i.index());
            InterfaceCounters c = new InterfaceCounters(counter(row.get(2).value()), counter(row.get(3).value()),
                    counter(row.get(4).value()), counter(row.get(5).value()), counter(row.get(6).value()),
                    counter(row.get(7).value()), counter(row.get(8).value()), counter(row.get(9).value()), hc);
            long disc = i.hasDiscontinuity() && row.get(10).value() instanceof SnmpValue.TimeTicks tt ? tt.value() : -1;
            CounterSample sample = new CounterSample(now, upTime, disc, c);
            InterfaceRates rates = RateCalculator.rates(st.samples.get(i.index()), sample, i.speed(), drops);
            st.samples.put(i.index(), sample);
            out.add(new SnmpInterface(i.index(), i.name(), i.descr(), i.alias(), i.type(), i.mtu(), i.speed(), i.mac(),
                    intOf(row.get(0).value()), intOf(row.get(1).value()), i.role(), i.attrs(), c, rates));
        }
        return "";
    }

    private String pollItems(ProbeRequest request, SnmpSettings s, SnmpCredentials creds, SnmpTarget target,
                             PollState st, VendorTemplate template, SnmpOperations.Stats stats,
                             List<SnmpItemValue> out, long deadline) throws InterruptedException {
        record Due(SnmpItem item, String source) {
        }
        Instant now = options.clock().instant();
        Duration slack = request.check().interval().dividedBy(2);
        List<Due> due = new ArrayList<>();
        List<VendorTemplate> applied = List.of();
        if (s.polls().contains(SnmpSettings.Poll.TEMPLATE_ITEMS)) {
            List<VendorTemplate> selected = templates.selected(request.device().labels());
            if (template != null || !selected.isEmpty()) {
                applied = new ArrayList<>(1 + selected.size());
                if (template != null) {
                    applied.add(template);
                }
                applied.addAll(selected);
            }
        }
        for (VendorTemplate t : applied) {
            for (SnmpItem i : t.items()) {
                due.add(new Due(i, "template:" + t.vendor()));
            }
        }
        if (s.polls().contains(SnmpSettings.Poll.CUSTOM_ITEMS)) {
            for (SnmpItem i : s.customItems()) {
                due.add(new Due(i, "custom"));
            }
            for (SnmpOptions.LabelItems li : options.labelItems()) {
                if (li.matches(request.device().labels())) {
                    for (SnmpItem i : li.items()) {
                        due.add(new Due(i, "labels"));
                    }
                }
            }
        }
        due.removeIf(d -> {
            Instant last = st.itemPolledAt.get(d.source() + "/" + d.item().name());
            return last != null && now.isBefore(last.plus(d.item().interval()).minus(slack));
        });
        if (st.itemPolledAt.size() > 10_000) {
            st.itemPolledAt.clear();
        }
        if (!due.isEmpty()) {
            if (late(deadline)) {
                return "check timeout reached before item polling";
            }
            List<SnmpOid> oids = due.stream().map(d -> d.item().oid()).toList();
            SnmpResponse r = ops.get(target, creds, oids, st.limit, stats);
            if (!r.ok()) {
                return "items: " + r.detail();
            }
            for (int k = 0; k < due.size(); k++) {
                Due d = due.get(k);
                out.add(new SnmpItemValue(d.item(), d.source(), r.varBinds().get(k).value()));
                st.itemPolledAt.put(d.source() + "/" + d.item().name(), now);
            }
        }
        for (VendorTemplate t : applied) {
            for (VendorTemplate.Table table : t.tables()) {
                String source = "template:" + t.vendor();
                String key = source + "/table:" + table.name();
                Instant last = st.itemPolledAt.get(key);
                if (last != null && now.isBefore(last.plus(table.interval()).minus(slack))) {
                    continue;
                }
                if (late(deadline)) {
                    return "check timeout reached before table " + table.name();
                }
                String problem = pollTable(target, creds, st, table, source, stats, out);
                if (!problem.isEmpty()) {
                    return problem;
                }
                st.itemPolledAt.put(key, now);
            }
        }
        return "";
    }

    /**
     * Walks one template table (its label and value columns, at most {@code maxTableRows} rows)
     * and adds one value per row and value column, named {@code <table>_<column>.<index>}.
     */
    private String pollTable(SnmpTarget target, SnmpCredentials creds, PollState st, VendorTemplate.Table table,
                             String source, SnmpOperations.Stats stats, List<SnmpItemValue> out) throws InterruptedException {
        List<String> labelNames = new ArrayList<>(table.labels().keySet());
        List<SnmpOid> roots = new ArrayList<>(labelNames.size() + table.columns().size());
        for (String l : labelNames) {
            roots.add(table.entry().append(table.labels().get(l)));
        }
        for (VendorTemplate.Column c : table.columns()) {
            roots.add(table.columnOid(c));
        }
        SnmpOperations.ColumnsResult r = ops.walkColumns(target, creds, roots, st.limit, stats, options.maxTableRows());
        if (r.status() != SnmpResponse.Status.OK) {
            return "table " + table.name() + ": " + r.detail();
        }
        if (r.truncated()) {
            tablesTruncated.increment();
        }
        List<Map<String, String>> labelValues = new ArrayList<>(labelNames.size());
        for (int k = 0; k < labelNames.size(); k++) {
            Map<String, String> byIndex = new HashMap<>();
            for (SnmpVarBind vb : r.columns().get(k)) {
                String v = vb.value() instanceof SnmpValue.OctetString ? text(vb.value()) : vb.value().formatValue();
                byIndex.put(index(vb.oid().suffixAfter(roots.get(k))), v.length() > 128 ? v.substring(0, 128) : v);
            }
            labelValues.add(byIndex);
        }
        for (int c = 0; c < table.columns().size(); c++) {
            VendorTemplate.Column col = table.columns().get(c);
            SnmpOid root = roots.get(labelNames.size() + c);
            for (SnmpVarBind vb : r.columns().get(labelNames.size() + c)) {
                String index = index(vb.oid().suffixAfter(root));
                String name = table.name() + "_" + col.name() + "." + index;
                if (index.isEmpty() || name.length() > 64) {
                    tableCellsSkipped.increment();
                    continue;
                }
                Map<String, String> labels = new java.util.LinkedHashMap<>();
                labels.put("table", table.name());
                labels.put("column", col.name());
                labels.put("index", index);
                for (int k = 0; k < labelNames.size(); k++) {
                    String v = labelValues.get(k).get(index);
                    if (v != null) {
                        labels.put(labelNames.get(k), v);
                    }
                }
                SnmpItem item = new SnmpItem(name, vb.oid(), col.kind(), col.unit(), table.interval(), col.scale());
                out.add(new SnmpItemValue(item, source, vb.value(), labels));
            }
        }
        return "";
    }

    private static String index(int[] suffix) {
        StringBuilder b = new StringBuilder(suffix.length * 3);
        for (int i = 0; i < suffix.length; i++) {
            if (i > 0) {
                b.append('.');
            }
            b.append(Integer.toUnsignedString(suffix[i]));
        }
        return b.toString();
    }
}
