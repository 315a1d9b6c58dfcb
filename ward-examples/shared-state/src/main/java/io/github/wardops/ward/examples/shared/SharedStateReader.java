package io.github.wardops.ward.examples.shared;

import io.github.wardops.ward.Secret;
import io.github.wardops.ward.cache.DeviceSnapshot;
import io.github.wardops.ward.cache.DeviceStateCache;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.redis.RedisTier;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A second process that reads device state from Redis through ward's cache API, the way a
 * dashboard API would, while another process (a runner, or any application embedding ward)
 * polls and writes it. It never touches a database and never probes anything.
 *
 * <p>Usage: {@code SharedStateReader DEVICE_ID...} with the Redis URL in {@code WARD_REDIS_URL}
 * (a secret: it may hold a password, so it comes from the environment, not the command line).
 */
public final class SharedStateReader {
    private SharedStateReader() {
    }

    /**
     * Reads the devices' state once and prints one line per device.
     *
     * @param redisUrl the Redis URL
     * @param ids the devices
     * @param out where the lines go
     * @return how many of the devices had a state in the cache
     */
    static int read(Secret redisUrl, List<DeviceId> ids, PrintStream out) {
        // The same cache name and TTL as the writer; this instance only reads.
        try (RedisTier redis = RedisTier.builder().uri(redisUrl).commandTimeout(Duration.ofMillis(500)).build();
             DeviceStateCache states = DeviceStateCache.builder(Duration.ofMinutes(2)).shared(redis).build()) {
            Map<DeviceId, DeviceSnapshot> found = states.getAll(ids);   // one MGET for the whole list
            for (DeviceId id : ids) {
                DeviceSnapshot s = found.get(id);
                out.println(s == null ? id + " NO-STATE" : id + " " + s.status() + (s.downSince() == null ? "" : " since " + s.downSince()));
            }
            return found.size();
        }
    }

    /**
     * Runs the reader.
     *
     * @param args device ids
     */
    public static void main(String[] args) {
        String url = System.getenv("WARD_REDIS_URL");
        if (url == null || url.isBlank()) {
            System.err.println("set WARD_REDIS_URL, for example redis://127.0.0.1:6379");
            System.exit(2);
        }
        List<DeviceId> ids = new ArrayList<>();
        for (String a : args) {
            ids.add(DeviceId.parse(a));
        }
        int n = read(Secret.of(url), ids, System.out);
        System.exit(n == ids.size() ? 0 : 1);
    }
}
