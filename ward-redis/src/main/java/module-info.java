/**
 * ward-redis: the shared Redis tier of ward's two-tier cache, over Lettuce.
 *
 * <p>{@link io.github.wardops.ward.redis.RedisTier} is the API. Lettuce types appear in it only
 * where a user hands in a client or connection of their own, which then stays theirs.
 */
module io.github.wardops.ward.redis {
    requires transitive io.github.wardops.ward;
    requires transitive lettuce.core;
    requires org.slf4j;

    exports io.github.wardops.ward.redis;
}
