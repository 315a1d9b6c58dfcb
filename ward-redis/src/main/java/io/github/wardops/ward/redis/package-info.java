/**
 * The Redis shared tier of ward's two-tier cache: {@link io.github.wardops.ward.redis.RedisTier}.
 */
package io.github.wardops.ward.redis;
