package io.github.wardops.ward.bench.cluster;

import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.postgres.EmbeddedDatabase;
import io.github.wardops.ward.postgres.cluster.ClusterOptions;
import io.github.wardops.ward.simulator.net.LoopbackOutages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A cluster soak (issue 17): N runner jars on one PostgreSQL (an {@link EmbeddedDatabase} of its
 * own), a fleet of loopback devices (a few made DOWN with {@link LoopbackOutages} when nft and
 * root are there), and for the duration one runner at a time, at seeded random times, killed
 * ({@code SIGKILL}) or stopped ({@code SIGTERM}) and started again, sometimes after a pause. At
 * the end it checks, from {@code ping_results}, {@code alerts} and every runner's log: gaps per
 * device against a bound derived from the interval and the cluster's take-over time, duplicate
 * results per device and interval outside handovers, one open alert per DOWN device (never closed
 * and reopened, never superseded), one "alert opened" notification per device and rule across all
 * runners, and the acknowledgements made at the start still held. Exit code 0 when all hold, 1
 * when one does not, 2 for bad arguments or a harness failure.
 *
 * <p>Run by {@code ward-bench/scripts/cluster-soak.sh}, which builds the runner jar and gives the
 * work directory (mode 0700); see docs/benchmarks.md. Outside the test suite: it lasts hours.
 *
 * <p>Arguments: {@code --work DIR --jar FILE --summary FILE [--runners N] [--devices D]
 * [--duration D] [--restart-every D] [--interval D] [--seed S] [--down-fraction F] [--heap SIZE]}.
 */
public final class ClusterSoak {
    private static final Pattern STARTED = Pattern.compile("ward runner started: .* HTTP on http://127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern OPENED = Pattern.compile("alert opened: \\[[^]]*] (.+) on .* \\((127\\.[0-9.]+)\\)");
    private static final Pattern RESOLVED = Pattern.compile("alert resolved: .* \\((127\\.[0-9.]+)\\)");
    private static final String RULE = "Ping Unavailable";
    /** ward's own alert (Alerting.SELF_RULE), raised when a runner judges too many of its devices stale. */
    private static final String SELF_RULE = "ward_impaired";
    /** A runner's own health alert in cluster mode (the runner's Cluster.RUNNER_HEALTH_RULE). */
    private static final String RUNNER_RULE = "ward_runner_impaired";
    /** The re-checks a new owner makes of a DOWN device before the failure is settled (down-after 3, minus the first probe). */
    private static final int DOWN_RECHECKS = 2;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** How long a runner may take to print its start line before the soak counts it a failure. */
    private static final Duration START_BOUND = Duration.ofMinutes(3);
    /** How long a SIGTERM'd runner may take to exit before it gets a SIGKILL. */
    private static final Duration STOP_BOUND = Duration.ofSeconds(30);

    /** The soak's settings, bounded. */
    record Options(Path work, Path jar, Path summary, int runners, int devices, Duration duration,
                   Duration restartEvery, Duration interval, long seed, double downFraction, String heap) {
        static Options parse(String[] args) {
            Map<String, String> m = new HashMap<>();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (!a.startsWith("--") || i + 1 >= args.length) {
                    throw new IllegalArgumentException("expected --NAME VALUE, got: " + a);
                }
                m.put(a.substring(2), args[++i]);
            }
            for (String k : m.keySet()) {
                if (!List.of("work", "jar", "summary", "runners", "devices", "duration", "restart-every", "interval",
                        "seed", "down-fraction", "heap").contains(k)) {
                    throw new IllegalArgumentException("unknown option --" + k);
                }
            }
            Path work = Path.of(required(m, "work"));
            Path jar = Path.of(required(m, "jar"));
            if (!Files.isRegularFile(jar)) {
                throw new IllegalArgumentException("--jar: no file at " + jar);
            }
            int runners = intIn(m.getOrDefault("runners", "3"), "runners", 2, 16);
            int devices = intIn(m.getOrDefault("devices", "300"), "devices", 1, 60_000);
            Duration duration = durationIn(m.getOrDefault("duration", "4h"), "duration", Duration.ofMinutes(1),
                    Duration.ofHours(72));
            Duration restartEvery = durationIn(m.getOrDefault("restart-every", "5m"), "restart-every",
                    Duration.ofSeconds(10), Duration.ofHours(24));
            Duration interval = durationIn(m.getOrDefault("interval", "10s"), "interval", Duration.ofSeconds(1),
                    Duration.ofMinutes(10));
            long seed;
            try {
                seed = Long.parseLong(m.getOrDefault("seed", Long.toString(System.nanoTime() & 0xFFFFFF)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--seed: not a whole number: " + m.get("seed"));
            }
            double downFraction;
            try {
                downFraction = Double.parseDouble(m.getOrDefault("down-fraction", "0.05"));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--down-fraction: not a number: " + m.get("down-fraction"));
            }
            if (!(downFraction >= 0 && downFraction <= 0.5)) {
                throw new IllegalArgumentException("--down-fraction must be 0-0.5, not " + downFraction);
            }
            String heap = m.getOrDefault("heap", "256m");
            if (!heap.matches("[1-9][0-9]{0,5}[mg]")) {
                throw new IllegalArgumentException("--heap: a size like 256m or 1g, not " + heap);
            }
            Path summary = Path.of(required(m, "summary"));
            return new Options(work, jar, summary, runners, devices, duration, restartEvery, interval, seed,
                    downFraction, heap);
        }

        private static String required(Map<String, String> m, String k) {
            String v = m.get(k);
            if (v == null || v.isBlank()) {
                throw new IllegalArgumentException("--" + k + " is required");
            }
            return v;
        }

        private static int intIn(String v, String name, int min, int max) {
            try {
                int n = Integer.parseInt(v);
                if (n < min || n > max) {
                    throw new IllegalArgumentException("--" + name + " must be " + min + "-" + max + ", not " + n);
                }
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + ": not a whole number: " + v);
            }
        }

        static Duration durationIn(String v, String name, Duration min, Duration max) {
            Matcher x = Pattern.compile("([1-9][0-9]{0,6})(s|m|h)").matcher(v);
            if (!x.matches()) {
                throw new IllegalArgumentException("--" + name + ": a whole number of s, m or h (10s, 5m, 4h), not " + v);
            }
            long n = Long.parseLong(x.group(1));
            Duration d = switch (x.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                throw new IllegalArgumentException("--" + name + " must be " + human(min) + "-" + human(max) + ", not " + v);
            }
            return d;
        }
    }

    /** One stop and start of a runner: the handover window the duplicates are judged by. */
    record Event(int runner, String how, Instant stoppedAt, Duration pause, Instant startedAt) {
    }

    /** One runner slot: its current process (one per incarnation) and logs. */
    static final class Slot {
        final int index;
        final Path dataDir;
        final List<Path> logs = new ArrayList<>();
        Process process;
        int port = -1;
        Instant launchedAt;
        boolean expectedDown;

        Slot(int index, Path dataDir) {
            this.index = index;
            this.dataDir = dataDir;
        }

        Path log() {
            return logs.getLast();
        }

        boolean started() throws IOException {
            Matcher m = STARTED.matcher(Files.readString(log(), StandardCharsets.UTF_8));
            if (m.find()) {
                port = Integer.parseInt(m.group(1));
                return true;
            }
            return false;
        }
    }

    private final Options o;
    private final Random random;
    private final List<Slot> slots = new ArrayList<>();
    private final List<Event> events = new ArrayList<>();
    private final List<String> harnessProblems = new ArrayList<>();
    private final Path pidFile;
    private EmbeddedDatabase db;
    private LoopbackOutages outages;
    private Path fleet;
    private Path rules;
    private Path passwordFile;
    private final List<DeviceId> ids = new ArrayList<>();
    private final List<String> addresses = new ArrayList<>();
    private final List<Integer> down = new ArrayList<>();
    private final Map<String, String> acked = new LinkedHashMap<>();   // alert id -> device
    private final AtomicBoolean closed = new AtomicBoolean();

    ClusterSoak(Options o) {
        this.o = o;
        this.random = new Random(o.seed());
        this.pidFile = o.work().resolve("pids");
    }

    public static void main(String[] args) {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("cluster-soak: " + e.getMessage());
            System.exit(2);
            return;
        }
        ClusterSoak soak = new ClusterSoak(o);
        Thread hook = new Thread(soak::close, "cluster-soak-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        int rc;
        try {
            rc = soak.run();
        } catch (Exception e) {
            System.err.println("cluster-soak: the harness failed: " + e);
            e.printStackTrace();
            rc = 2;
        }
        soak.close();
        System.exit(rc);
    }

    int run() throws Exception {
        Duration takeover = takeoverTime();
        Duration gapBound = o.interval().multipliedBy(2).plusSeconds(15).plus(takeover);
        say("cluster soak: %d runners, %d devices every %s, %s, a restart about every %s, seed %d, -Xmx%s",
                o.runners(), o.devices(), human(o.interval()), human(o.duration()), human(o.restartEvery()), o.seed(),
                o.heap());
        say("gap bound: 2 x interval + 15 s + take-over %s (ClusterOptions' default take-over grace + one tick, "
                + "docs/cluster.md) = %s", human(takeover), human(gapBound));
        db = EmbeddedDatabase.start(o.work().resolve("pg"), 0, false);
        say("PostgreSQL: %s (data in %s)", db.jdbcUrl(), o.work().resolve("pg"));
        appendPid(postmasterPid());
        writeInputs();
        for (int i = 0; i < o.runners(); i++) {
            Path d = o.work().resolve("runner-" + i);
            Files.createDirectories(d);
            slots.add(new Slot(i, d));
        }
        for (Slot s : slots) {
            launch(s);
        }
        Instant warmBy = Instant.now().plus(START_BOUND).plus(Duration.ofMinutes(2));
        for (Slot s : slots) {
            awaitStarted(s, warmBy);
        }
        say("runners started on ports %s", slots.stream().map(s -> Integer.toString(s.port)).toList());
        awaitWarm(warmBy);
        acknowledgeHalfTheAlerts();
        Instant t0 = Instant.now();
        Instant end = t0.plus(o.duration());
        say("window starts %s, ends %s", t0.truncatedTo(ChronoUnit.SECONDS), end.truncatedTo(ChronoUnit.SECONDS));
        Instant nextProgress = t0.plusSeconds(60);
        Instant nextEvent = t0.plus(nextGap());
        Slot stopped = null;
        Instant resumeAt = null;
        Instant stoppedAt = null;
        String how = null;
        Duration chosenPause = Duration.ZERO;
        while (Instant.now().isBefore(end) || stopped != null) {
            Instant now = Instant.now();
            for (Slot s : slots) {
                if (!s.expectedDown && s.process != null && !s.process.isAlive()) {
                    harnessProblems.add("runner " + s.index + " (pid " + s.process.pid() + ") exited on its own, code "
                            + s.process.exitValue() + ", at " + now + "; log " + s.log());
                    say("PROBLEM: runner %d exited on its own (code %d): starting it again", s.index, s.process.exitValue());
                    launch(s);
                    awaitStarted(s, Instant.now().plus(START_BOUND));
                    events.add(new Event(s.index, "exited", now, Duration.ZERO, Instant.now()));
                }
            }
            if (stopped == null && !now.isBefore(nextEvent) && now.isBefore(end)) {
                stopped = slots.get(random.nextInt(slots.size()));
                boolean kill = random.nextBoolean();
                how = kill ? "SIGKILL" : "SIGTERM";
                Duration pause = random.nextInt(3) == 0
                        ? Duration.ofMillis((long) (o.interval().toMillis() * (1 + 3 * random.nextDouble()))) : Duration.ZERO;
                stopped.expectedDown = true;
                stoppedAt = Instant.now();
                stop(stopped, kill);
                resumeAt = Instant.now().plus(pause);
                chosenPause = pause;
                say("%s runner %d (pid %d), starting it again in %s", how, stopped.index, stopped.process.pid(),
                        human(pause));
            } else if (stopped != null && !now.isBefore(resumeAt)) {
                launch(stopped);
                awaitStarted(stopped, Instant.now().plus(START_BOUND));
                stopped.expectedDown = false;
                events.add(new Event(stopped.index, how, stoppedAt, chosenPause, Instant.now()));
                stopped = null;
                nextEvent = Instant.now().plus(nextGap());
            }
            if (!now.isBefore(nextProgress)) {
                progress(t0);
                nextProgress = nextProgress.plusSeconds(60);
            }
            Thread.sleep(250);
        }
        Instant t1 = Instant.now();
        // the results' write-behind, then the checks on the database while the runners still run
        Thread.sleep(o.interval().multipliedBy(2).plusSeconds(5).toMillis());
        return check(t0, t1, gapBound, takeover);
    }

    /** ClusterOptions' defaults: the grace before a dead owner's shards are taken, plus one tick to take them. */
    static Duration takeoverTime() {
        ClusterOptions d = ClusterOptions.builder().name("cluster-soak").build();
        return d.takeoverGrace().plus(d.tickInterval());
    }

    private Duration nextGap() {
        long ms = o.restartEvery().toMillis();
        return Duration.ofMillis((long) (ms * (0.5 + random.nextDouble())));
    }

    private void writeInputs() throws IOException {
        StringBuilder csv = new StringBuilder("id,name,address\n");
        for (int i = 0; i < o.devices(); i++) {
            DeviceId id = DeviceId.fromKey("cluster-soak-" + i);
            String address = "127.50." + (i / 250) + "." + (i % 250 + 1);
            ids.add(id);
            addresses.add(address);
            csv.append(id).append(",soak-").append(i).append(',').append(address).append('\n');
        }
        fleet = Files.writeString(o.work().resolve("fleet.csv"), csv);
        // one rule that fires on the confirmed DOWN, so an alert comes within seconds of an outage
        rules = Files.writeString(o.work().resolve("alert-rules.json"),
                "[{\"name\": \"" + RULE + "\", \"expression\": \"status == down\", \"severity\": \"critical\"}]\n");
        passwordFile = o.work().resolve("db-password");
        Files.writeString(passwordFile, "", StandardOpenOption.CREATE_NEW);
        Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(passwordFile, db.password().reveal() + "\n");
        int wanted = o.downFraction() > 0 ? Math.max(1, (int) Math.round(o.devices() * o.downFraction())) : 0;
        if (wanted > 0) {
            try {
                outages = LoopbackOutages.install();
            } catch (IllegalStateException e) {
                say("no device made DOWN: the nftables outage table cannot be installed (needs root and nft): %s",
                        e.getMessage());
                wanted = 0;
            }
        }
        for (int k = 0; k < wanted; k++) {
            int i = k * o.devices() / wanted;
            outages.drop(InetAddress.getByName(addresses.get(i)));
            down.add(i);
        }
        say("fleet: %d devices in 127.50.0.0/16, %d DOWN (echoes dropped by nftables)", o.devices(), down.size());
    }

    private void launch(Slot s) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = List.of(java.toString(), "-Xmx" + o.heap(), "-XX:+ExitOnOutOfMemoryError", "-jar",
                o.jar().toAbsolutePath().toString(), "run", "--inventory", fleet.toString(),
                "--interval", human(o.interval()).replace(" ", ""), "--http", "127.0.0.1:0", "--alert-rules",
                rules.toString(), "--notify-log=true", "--db-url", db.jdbcUrl(), "--db-user", db.user(), "--data-dir",
                s.dataDir.toString());
        Path log = o.work().resolve("runner-" + s.index + "-" + (s.logs.size() + 1) + ".log");
        s.logs.add(log);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(s.dataDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("WARD_"));
        pb.environment().put("WARD_STORAGE", "postgres");
        pb.environment().put("WARD_DB_PASSWORD_FILE", passwordFile.toString());
        s.process = pb.start();
        s.launchedAt = Instant.now();
        s.port = -1;
        appendPid(s.process.pid());
    }

    private void awaitStarted(Slot s, Instant by) throws Exception {
        while (!s.started()) {
            if (!s.process.isAlive()) {
                throw new IllegalStateException("runner " + s.index + " exited before it started (code "
                        + s.process.exitValue() + "):\n" + tail(s.log(), 30));
            }
            if (Instant.now().isAfter(by)) {
                throw new IllegalStateException("runner " + s.index + " did not start by " + by + ":\n" + tail(s.log(), 30));
            }
            Thread.sleep(200);
        }
    }

    private static void stop(Slot s, boolean kill) throws InterruptedException {
        if (kill) {
            s.process.destroyForcibly();
        } else {
            s.process.destroy();
            if (!s.process.waitFor(STOP_BOUND.toSeconds(), TimeUnit.SECONDS)) {
                say("runner %d did not stop within %s of SIGTERM: SIGKILL", s.index, human(STOP_BOUND));
                s.process.destroyForcibly();
            }
        }
        s.process.waitFor(STOP_BOUND.toSeconds(), TimeUnit.SECONDS);
    }

    /** Every shard owned by a live runner, every runner owning some, every DOWN device with its open alert. */
    private void awaitWarm(Instant by) throws Exception {
        while (true) {
            long owners = one("SELECT count(DISTINCT owner) FROM cluster_shards WHERE zone = '' AND owner IS NOT NULL "
                    + "AND cluster_runner_live(owner)");
            long owned = one("SELECT count(*) FROM cluster_shards WHERE zone = '' AND owner IS NOT NULL "
                    + "AND cluster_runner_live(owner)");
            long open = one("SELECT count(DISTINCT device_id) FROM alerts WHERE resolved_at IS NULL AND rule = '" + RULE + "'");
            long polled = one("SELECT count(DISTINCT device_id) FROM ping_results WHERE at > now() - interval '"
                    + o.interval().multipliedBy(2).toSeconds() + " seconds'");
            if (owners == o.runners() && owned == 256 && open >= down.size() && polled == o.devices()) {
                say("warm: %d runners own the 256 shards, %d devices polled, %d DOWN devices with an open alert",
                        owners, polled, open);
                return;
            }
            if (Instant.now().isAfter(by)) {
                throw new IllegalStateException("not warm by " + by + ": " + owners + " owners, " + owned + " shards owned, "
                        + open + " open alerts of " + down.size() + ", " + polled + " devices polled of " + o.devices());
            }
            Thread.sleep(1000);
        }
    }

    /** Acknowledges every other DOWN device's alert, each through a runner chosen at random. */
    private void acknowledgeHalfTheAlerts() throws Exception {
        for (int k = 0; k < down.size(); k += 2) {
            DeviceId d = ids.get(down.get(k));
            String alertId = text("SELECT alert_id::text FROM alerts WHERE device_id = ? AND resolved_at IS NULL", d.value());
            if (alertId == null) {
                harnessProblems.add("no open alert to acknowledge for " + d);
                continue;
            }
            Slot s = slots.get(random.nextInt(slots.size()));
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + s.port + "/api/alerts/" + alertId + "/ack"))
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"soak\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                harnessProblems.add("ack of " + alertId + " through runner " + s.index + ": HTTP " + r.statusCode() + " "
                        + r.body());
            } else {
                acked.put(alertId, d.toString());
            }
        }
        say("acknowledged %d alerts (user soak), each through a runner at random", acked.size());
    }

    private void progress(Instant t0) {
        try {
            long live = slots.stream().filter(s -> s.process.isAlive() && !s.expectedDown).count();
            long rows = one("SELECT count(*) FROM ping_results WHERE at > now() - interval '60 seconds'");
            long fresh = one("SELECT count(DISTINCT device_id) FROM ping_results WHERE at > now() - interval '"
                    + (o.interval().multipliedBy(2).toSeconds() + 5) + " seconds'");
            long owned = one("SELECT count(*) FROM cluster_shards WHERE zone = '' AND owner IS NOT NULL "
                    + "AND cluster_runner_live(owner)");
            long open = one("SELECT count(*) FROM alerts WHERE resolved_at IS NULL");
            long total = one("SELECT count(*) FROM alerts");
            say("[%s] runners up %d/%d, restarts %d, ping_results rows in the last minute %d (%.1f per device), devices "
                    + "with a result in the last %ds %d/%d, shards owned by live runners %d/256, alerts open %d (all %d)",
                    elapsed(Duration.between(t0, Instant.now())), live, slots.size(),
                    events.size(), rows, (double) rows / o.devices(), o.interval().multipliedBy(2).toSeconds() + 5, fresh,
                    o.devices(), owned, open, total);
        } catch (SQLException e) {
            say("progress: the database did not answer: %s", e.getMessage());
        }
    }

    private int check(Instant t0, Instant t1, Duration gapBound, Duration takeover) throws Exception {
        List<String> failures = new ArrayList<>(harnessProblems);
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "cluster soak summary%nrunners=%d devices=%d down=%d interval_s=%d "
                + "duration_s=%d restart_every_s=%d seed=%d window=%s..%s restarts=%d sigkill=%d sigterm=%d paused=%d%n",
                o.runners(), o.devices(), down.size(), o.interval().toSeconds(), Duration.between(t0, t1).toSeconds(),
                o.restartEvery().toSeconds(), o.seed(), t0, t1, events.size(),
                events.stream().filter(e -> e.how().equals("SIGKILL")).count(),
                events.stream().filter(e -> e.how().equals("SIGTERM")).count(),
                events.stream().filter(e -> !e.pause().isZero()).count()));
        if (outages == null) {
            out.append("no device was DOWN (no nft or not root): the alert checks saw no outage\n");
        }

        // GAPS: the longest stretch of the window without a row, per device (the window's ends count)
        Map<UUID, long[]> gaps = new HashMap<>();   // device -> {longest gap ms, at (epoch ms of the gap's end)}
        try (Connection c = db.dataSource().getConnection(); PreparedStatement st = c.prepareStatement(
                "SELECT device_id, at FROM ping_results WHERE at >= ? AND at < ? ORDER BY device_id, at")) {
            st.setFetchSize(10_000);
            c.setAutoCommit(false);
            st.setTimestamp(1, Timestamp.from(t0));
            st.setTimestamp(2, Timestamp.from(t1));
            UUID current = null;
            long last = 0;
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    UUID d = rs.getObject(1, UUID.class);
                    long at = rs.getTimestamp(2).getTime();
                    if (!d.equals(current)) {
                        if (current != null) {
                            note(gaps, current, t1.toEpochMilli() - last, t1.toEpochMilli());
                        }
                        current = d;
                        last = t0.toEpochMilli();
                    }
                    note(gaps, d, at - last, at);
                    last = at;
                }
            }
            if (current != null) {
                note(gaps, current, t1.toEpochMilli() - last, t1.toEpochMilli());
            }
            c.commit();
        }
        long over = 0;
        long worstMs = 0;
        String worstAt = "";
        List<Long> all = new ArrayList<>();
        for (DeviceId id : ids) {
            long[] g = gaps.getOrDefault(id.value(), new long[] {Duration.between(t0, t1).toMillis(), t1.toEpochMilli()});
            all.add(g[0]);
            if (g[0] > gapBound.toMillis()) {
                over++;
                if (over <= 10) {
                    failures.add(String.format(Locale.ROOT, "gap: %s (%s) had no result for %.1f s, until %s (bound %s)",
                            id, addresses.get(ids.indexOf(id)), g[0] / 1000.0, Instant.ofEpochMilli(g[1]), human(gapBound)));
                }
            }
            if (g[0] > worstMs) {
                worstMs = g[0];
                worstAt = id + " (" + addresses.get(ids.indexOf(id)) + ") until " + Instant.ofEpochMilli(g[1]);
            }
        }
        if (over > 10) {
            failures.add("gap: " + (over - 10) + " more devices over the bound");
        }
        all.sort(null);
        out.append(String.format(Locale.ROOT, "gaps: bound_s=%.1f (2 x %ds + 15 s + take-over %.1f s) devices_over_bound=%d "
                + "longest_gap_s=%.1f p50_longest_gap_s=%.1f p99_longest_gap_s=%.1f worst=%s%n", gapBound.toMillis() / 1000.0,
                o.interval().toSeconds(), takeover.toMillis() / 1000.0, over, worstMs / 1000.0,
                all.get(all.size() / 2) / 1000.0, all.get(Math.min(all.size() - 1, (int) (all.size() * 0.99))) / 1000.0,
                worstAt));

        // DUPLICATES: rows per device and interval (buckets of the interval since the epoch)
        long seconds = o.interval().toSeconds();
        // A DOWN device gained in a handover is re-checked by its new owner until the failure is
        // settled (down-after 3 failures in a row, recheck-interval 2 s): those are that runner's
        // own probes, not a second runner's. A handover allows one interval of double polling,
        // plus, for a DOWN device, the new owner's 2 re-checks.
        java.util.Set<String> downKeys = new java.util.HashSet<>();
        for (int i : down) {
            downKeys.add(ids.get(i).toString());
        }
        long dupAll = 0;
        long overAllowance = 0;
        long dupOutside = 0;
        long worstRows = 0;
        String worstDup = "";
        long buckets = 0;
        try (Connection c = db.dataSource().getConnection(); PreparedStatement st = c.prepareStatement(
                "SELECT device_id, b, n FROM (SELECT device_id, floor(extract(epoch FROM at) / ?)::bigint b, count(*) n "
                        + "FROM ping_results WHERE at >= ? AND at < ? GROUP BY 1, 2) x ORDER BY n DESC")) {
            st.setLong(1, seconds);
            st.setTimestamp(2, Timestamp.from(t0));
            st.setTimestamp(3, Timestamp.from(t1));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    buckets++;
                    long n = rs.getLong(3);
                    if (n < 2) {
                        continue;
                    }
                    dupAll++;
                    Instant from = Instant.ofEpochSecond(rs.getLong(2) * seconds);
                    boolean inHandover = inHandover(from, from.plusSeconds(seconds), gapBound);
                    if (!inHandover) {
                        dupOutside++;
                        if (dupOutside <= 10) {
                            failures.add("duplicate outside a handover: " + rs.getObject(1) + " had " + n
                                    + " results in the interval from " + from);
                        }
                    }
                    long allowed = downKeys.contains(String.valueOf(rs.getObject(1))) ? 2 + DOWN_RECHECKS : 2;
                    if (inHandover && n > allowed) {
                        overAllowance++;
                        if (overAllowance <= 10) {
                            failures.add("duplicates: " + n + " results in one interval for " + rs.getObject(1) + " from "
                                    + from + " (in a handover; allowed " + allowed + ")");
                        }
                    }
                    if (n > worstRows) {
                        worstRows = n;
                        worstDup = rs.getObject(1) + " from " + from + (inHandover ? " (in a handover)" : " (outside handovers)")
                                + (downKeys.contains(String.valueOf(rs.getObject(1))) ? " DOWN" : "");
                    }
                }
            }
        }
        if (dupOutside > 10) {
            failures.add("duplicates: " + (dupOutside - 10) + " more device-intervals with 2+ results outside handovers");
        }
        if (overAllowance > 10) {
            failures.add("duplicates: " + (overAllowance - 10) + " more device-intervals over the handover allowance");
        }
        out.append(String.format(Locale.ROOT, "duplicates: device_intervals=%d with_2plus_rows=%d outside_handovers=%d "
                + "worst_rows_in_one_interval=%d%s%n", buckets, dupAll, dupOutside, Math.max(1, worstRows),
                worstRows > 1 ? " worst=" + worstDup : ""));

        // ALERTS
        long superseded = one("SELECT count(*) FROM alerts WHERE resolution LIKE 'superseded%'");
        if (superseded > 0) {
            failures.add("alerts: " + superseded + " closed as superseded");
        }
        List<Integer> downSet = down;
        long wrongOpen = 0;
        long reopened = 0;
        for (int i : downSet) {
            DeviceId d = ids.get(i);
            long open = one("SELECT count(*) FROM alerts WHERE device_id = ? AND resolved_at IS NULL", d.value());
            long rows = one("SELECT count(*) FROM alerts WHERE device_id = ?", d.value());
            if (open != 1) {
                wrongOpen++;
                failures.add("alerts: DOWN device " + d + " (" + addresses.get(i) + ") has " + open + " open alerts, not 1");
            }
            if (rows != 1) {
                reopened++;
                failures.add("alerts: DOWN device " + d + " (" + addresses.get(i) + ") has " + rows
                        + " alert rows (closed and opened again): " + alertRows(d));
            }
        }
        Object downIds = downSet.stream().map(i -> ids.get(i).toString()).toArray(String[]::new);
        long onUp = one("SELECT count(*) FROM alerts WHERE rule NOT IN ('" + SELF_RULE + "', '" + RUNNER_RULE + "') "
                + "AND NOT (device_id = ANY(?::uuid[]))",
                downIds);
        if (onUp > 0) {
            failures.add("alerts: " + onUp + " alerts on devices that were never made DOWN");
        }
        // ward's own alert: "ward cannot probe N of M devices" means a runner judged devices stale
        long selfAlerts = one("SELECT count(*) FROM alerts WHERE rule IN ('" + SELF_RULE + "', '" + RUNNER_RULE + "') "
                + "AND opened_at >= ?",
                Timestamp.from(t0));
        if (selfAlerts > 0) {
            failures.add("alerts: " + selfAlerts + " " + SELF_RULE + " alerts (a runner judged devices stale) in the window: "
                    + text("SELECT string_agg(to_char(opened_at, 'HH24:MI:SS') || ' ' || left(message, 80), '; ' "
                    + "ORDER BY opened_at) FROM (SELECT * FROM alerts WHERE rule IN ('" + SELF_RULE + "', '" + RUNNER_RULE
                    + "') AND opened_at >= ? "
                    + "ORDER BY opened_at LIMIT 5) x", Timestamp.from(t0)));
        }
        // no device changed status: the DOWN ones stay DOWN, the others UP, whoever polls them
        long changes = one("SELECT count(*) FROM state_changes WHERE at >= ? AND if_index = 0", Timestamp.from(t0));
        long staleChanges = one("SELECT count(*) FROM state_changes WHERE at >= ? AND if_index = 0 AND reason LIKE '%stale%'",
                Timestamp.from(t0));
        if (changes > 0) {
            failures.add("state: " + changes + " device status changes in the window (" + staleChanges + " of them stale), "
                    + "e.g. " + text("SELECT string_agg(x, '; ') FROM (SELECT device_id || ' ' || to_char(at, 'HH24:MI:SS') "
                    + "|| ' ' || from_status || '->' || to_status || ' ' || left(reason, 60) x FROM state_changes "
                    + "WHERE at >= ? AND if_index = 0 ORDER BY at LIMIT 5) y", Timestamp.from(t0)));
        }
        long ackKept = 0;
        for (Map.Entry<String, String> a : acked.entrySet()) {
            long ok = one("SELECT count(*) FROM alerts WHERE alert_id = ?::uuid AND acknowledged_by = 'soak' "
                    + "AND resolved_at IS NULL", a.getKey());
            if (ok == 1) {
                ackKept++;
            } else {
                failures.add("acknowledgement lost: alert " + a.getKey() + " of " + a.getValue());
            }
        }
        long unackedAcked = one("SELECT count(*) FROM alerts WHERE acknowledged_by IS NOT NULL")
                - acked.size();

        // stop the runners (SIGTERM) so that their logs are whole, then count the notifications
        for (Slot s : slots) {
            s.expectedDown = true;
            stop(s, false);
        }
        Map<String, Integer> opened = new HashMap<>();   // address|rule -> "alert opened" lines
        long resolvedDown = 0;
        long warns = 0;
        long errors = 0;
        long fences = 0;
        for (Slot s : slots) {
            for (Path log : s.logs) {
                for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                    Matcher m = OPENED.matcher(line);
                    if (m.find()) {
                        opened.merge(m.group(2) + "|" + m.group(1), 1, Integer::sum);
                    }
                    Matcher r = RESOLVED.matcher(line);
                    if (r.find() && downSet.stream().anyMatch(i -> addresses.get(i).equals(r.group(1)))) {
                        resolvedDown++;
                    }
                    warns += line.contains(" WARN ") ? 1 : 0;
                    errors += line.contains(" ERROR ") ? 1 : 0;
                    fences += line.contains("fenced") ? 1 : 0;
                }
            }
        }
        long twice = 0;
        for (Map.Entry<String, Integer> e : opened.entrySet()) {
            if (e.getValue() > 1) {
                twice++;
                failures.add("notifications: \"alert opened\" " + e.getValue() + " times for " + e.getKey()
                        + " across the runners' logs");
            }
        }
        long notNotified = downSet.stream().filter(i -> !opened.containsKey(addresses.get(i) + "|" + RULE)).count();
        if (notNotified > 0) {
            failures.add("notifications: " + notNotified + " DOWN devices without an \"alert opened\" line in any log");
        }
        if (resolvedDown > 0) {
            failures.add("notifications: " + resolvedDown + " \"alert resolved\" lines for devices that stayed DOWN");
        }
        out.append(String.format(Locale.ROOT, "alerts: down_devices=%d with_not_one_open=%d closed_and_reopened=%d "
                + "superseded=%d on_up_devices=%d self_alerts_%s=%d acknowledged=%d acknowledgements_kept=%d other_acknowledged=%d%n",
                downSet.size(), wrongOpen, reopened, superseded, onUp, SELF_RULE, selfAlerts, acked.size(), ackKept,
                unackedAcked));
        out.append(String.format(Locale.ROOT, "state: device_status_changes=%d stale=%d%n", changes, staleChanges));
        out.append(String.format(Locale.ROOT, "notifications: opened_lines=%d device_rules_notified_twice=%d "
                + "down_devices_never_notified=%d resolved_lines_for_down_devices=%d%n",
                opened.values().stream().mapToInt(Integer::intValue).sum(), twice, notNotified, resolvedDown));
        out.append(String.format(Locale.ROOT, "logs: runner_incarnations=%d warn_lines=%d error_lines=%d lines_saying_fenced=%d%n",
                slots.stream().mapToInt(s -> s.logs.size()).sum(), warns, errors, fences));
        out.append("restarts (runner, how, stopped at, pause, started again at):\n");
        for (Event e : events) {
            out.append(String.format(Locale.ROOT, "  %d %s %s %s %s%n", e.runner(), e.how(), e.stoppedAt(), human(e.pause()),
                    e.startedAt()));
        }
        out.append(failures.isEmpty() ? "RESULT: PASS, every check held\n" : "RESULT: FAIL, " + failures.size() + " problems:\n");
        for (String f : failures) {
            out.append("  ").append(f).append('\n');
        }
        Files.createDirectories(o.summary().toAbsolutePath().getParent());
        Files.writeString(o.summary(), out);
        System.out.print(out);
        say("summary written to %s", o.summary().toAbsolutePath());
        return failures.isEmpty() ? 0 : 1;
    }

    /** Whether an interval overlaps a handover: from one interval before a stop to the bound after the start again. */
    private boolean inHandover(Instant from, Instant to, Duration bound) {
        for (Event e : events) {
            Instant a = e.stoppedAt().minus(o.interval());
            Instant b = e.startedAt().plus(bound);
            if (from.isBefore(b) && to.isAfter(a)) {
                return true;
            }
        }
        return false;
    }

    private static void note(Map<UUID, long[]> gaps, UUID d, long gap, long at) {
        long[] g = gaps.computeIfAbsent(d, k -> new long[] {-1, 0});
        if (gap > g[0]) {
            g[0] = gap;
            g[1] = at;
        }
    }

    private String alertRows(DeviceId d) throws SQLException {
        StringBuilder out = new StringBuilder();
        try (Connection c = db.dataSource().getConnection(); PreparedStatement st = c.prepareStatement(
                "SELECT alert_id, opened_at, resolved_at, resolution FROM alerts WHERE device_id = ? ORDER BY opened_at")) {
            st.setObject(1, d.value());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.append(" [").append(rs.getString(1)).append(" opened ").append(rs.getString(2)).append(" resolved ")
                            .append(rs.getString(3)).append(' ').append(rs.getString(4)).append(']');
                }
            }
        }
        return out.toString();
    }

    private long one(String sql, Object... args) throws SQLException {
        String v = text(sql, args);
        return v == null ? -1 : Long.parseLong(v);
    }

    private String text(String sql, Object... args) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                st.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private long postmasterPid() {
        try {
            return Long.parseLong(Files.readAllLines(o.work().resolve("pg").resolve("postmaster.pid")).getFirst().trim());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private void appendPid(long pid) {
        if (pid <= 0) {
            return;
        }
        try {
            Files.writeString(pidFile, pid + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Kills every runner, removes the outage table, stops the database. Idempotent (also the shutdown hook). */
    void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (Slot s : slots) {
            if (s.process != null && s.process.isAlive()) {
                s.process.destroyForcibly();
                try {
                    s.process.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        if (outages != null) {
            outages.close();
        }
        if (db != null) {
            db.close();
        }
    }

    /** Minutes and seconds since the window began, for the progress line: 7m02s. */
    static String elapsed(Duration d) {
        return String.format(Locale.ROOT, "%dm%02ds", d.toMinutes(), d.toSecondsPart());
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        if (d.toMillis() % 1000 != 0) {
            return String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
        }
        if (s != 0 && s % 3600 == 0) {
            return s / 3600 + "h";
        }
        if (s != 0 && s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }

    private static void say(String format, Object... args) {
        System.out.println(Instant.now().truncatedTo(ChronoUnit.SECONDS) + " " + String.format(Locale.ROOT, format, args));
        System.out.flush();
    }
}
