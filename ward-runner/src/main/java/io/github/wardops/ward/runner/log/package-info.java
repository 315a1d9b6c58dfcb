/**
 * What the runner's log may carry: every message and exception text with its control
 * characters escaped and obvious secrets masked ({@link io.github.wardops.ward.runner.log.LogText}),
 * for the plain and the JSON format alike; and the protocol traces of the Redis and PostgreSQL
 * clients, which print passwords, never written at any level
 * ({@link io.github.wardops.ward.runner.log.ProtocolTraceFilter}, {@link io.github.wardops.ward.runner.log.LogSafety}).
 */
package io.github.wardops.ward.runner.log;
