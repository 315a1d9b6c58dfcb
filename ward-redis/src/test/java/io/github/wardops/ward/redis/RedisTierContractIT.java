package io.github.wardops.ward.redis;

import io.github.wardops.ward.Secret;
import io.github.wardops.ward.cache.SharedTier;
import io.github.wardops.ward.testkit.contract.SharedTierContract;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link RedisTier} keeps the {@link SharedTierContract}, against a real redis-server. */
class RedisTierContractIT extends SharedTierContract {
    private static RedisServer server;

    @BeforeAll
    static void startRedis() throws Exception {
        server = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected SharedTier createTier() throws Exception {
        RedisTier tier = RedisTier.builder().uri(Secret.of(server.uri())).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!tier.connected() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        return tier;
    }
}
