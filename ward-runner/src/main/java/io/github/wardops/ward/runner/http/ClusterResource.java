package io.github.wardops.ward.runner.http;

import com.fasterxml.jackson.core.JsonGenerator;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.postgres.cluster.ClusterView;
import io.github.wardops.ward.postgres.cluster.ShardKey;
import io.github.wardops.ward.runner.http.server.Request;
import io.github.wardops.ward.runner.http.server.Response;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * {@code GET /api/cluster}: the runners sharing the fleet, the shard map, the zones without a live
 * runner, whether this runner is fenced and its id, from the cluster member's last tick
 * ({@link ClusterView}); each runner's device count is derived from the inventory and the shard
 * map ({@link ShardOf}). {@code 404} when the runner is not in cluster mode, {@code 503} while it
 * has not joined yet. Bounded by the shard map (256 shards per zone) and the runners' table.
 * Thread-safe.
 */
final class ClusterResource {
    private final FleetView fleet;
    private final Supplier<ClusterView> cluster;
    private final Clock clock;

    /**
     * @param fleet the fleet (its inventory gives the device counts)
     * @param cluster the cluster view, or {@code null} when the runner is not in cluster mode
     * @param clock the clock
     */
    ClusterResource(FleetView fleet, Supplier<ClusterView> cluster, Clock clock) {
        this.fleet = fleet;
        this.cluster = cluster;
        this.clock = clock;
    }

    /**
     * The runner that owns a device's shard, according to a cluster view.
     *
     * @param device the device
     * @param fleet the fleet, to find the device's ancestors
     * @param view the cluster view
     * @return the owner, or empty when the shard has none or the view does not list it
     */
    static Optional<ClusterView.Runner> ownerOf(Device device, FleetView fleet, ClusterView view) {
        ShardKey key = ShardOf.key(device, fleet::device);
        UUID owner = null;
        for (ClusterView.Shard s : view.shards()) {
            if (s.key().equals(key)) {
                owner = s.owner();
                break;
            }
        }
        if (owner == null) {
            return Optional.empty();
        }
        for (ClusterView.Runner r : view.runners()) {
            if (r.id().equals(owner)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    void get(Request q, Response r) throws IOException {
        if (Answers.refuseParameters(q, r)) {
            return;
        }
        if (cluster == null) {
            Answers.error(r, 404, "this runner is not in cluster mode: it polls the whole fleet alone");
            return;
        }
        ClusterView view = cluster.get();
        if (view == null) {
            Answers.error(r, 503, "this runner has not joined the cluster yet");
            return;
        }
        Map<ShardKey, UUID> owners = HashMap.newHashMap(view.shards().size());
        for (ClusterView.Shard s : view.shards()) {
            if (s.owner() != null) {
                owners.put(s.key(), s.owner());
            }
        }
        Map<UUID, Integer> devices = new HashMap<>();
        int unowned = 0;
        for (Device d : fleet.devices()) {
            UUID owner = owners.get(ShardOf.key(d, fleet::device));
            if (owner == null) {
                unowned++;
            } else {
                devices.merge(owner, 1, Integer::sum);
            }
        }
        Instant now = clock.instant();
        Answers.fleetAge(r, fleet);
        try (JsonGenerator g = Answers.stream(r)) {
            g.writeStartObject();
            g.writeStringField("at", now.toString());
            g.writeStringField("self", view.self().toString());
            g.writeBooleanField("fenced", view.fenced());
            g.writeStringField("readAt", view.readAt() == null ? null : view.readAt().toString());
            g.writeNumberField("devices", fleet.devices().size());
            g.writeNumberField("devicesWithoutOwner", unowned);
            g.writeFieldName("runners");
            g.writeStartArray();
            for (ClusterView.Runner run : view.runners()) {
                g.writeStartObject();
                g.writeStringField("id", run.id().toString());
                g.writeStringField("name", run.name());
                g.writeStringField("zone", run.zone());
                g.writeStringField("address", run.address());
                g.writeBooleanField("live", run.live());
                g.writeStringField("lastHeartbeat", run.heartbeatAt() == null ? null : run.heartbeatAt().toString());
                g.writeNumberField("shards", run.shards());
                g.writeNumberField("devices", devices.getOrDefault(run.id(), 0));
                g.writeBooleanField("self", run.id().equals(view.self()));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeFieldName("shards");
            g.writeStartArray();
            for (ClusterView.Shard s : view.shards()) {
                g.writeStartObject();
                g.writeStringField("zone", s.key().zone());
                g.writeNumberField("shard", s.key().shard());
                g.writeStringField("owner", s.owner() == null ? null : s.owner().toString());
                g.writeBooleanField("ownerLive", s.ownerLive());
                g.writeNumberField("epoch", s.epoch());
                g.writeStringField("since", s.since() == null ? null : s.since().toString());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeFieldName("zonesWithoutRunner");
            g.writeStartArray();
            for (String z : view.zonesWithoutRunner().stream().sorted().toList()) {
                g.writeString(z);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }
}
