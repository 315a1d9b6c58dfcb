/**
 * The poller behind {@code ward run}: inventory file and its reloads, the engine wiring, the
 * cycle summary, and the orderly, bounded shutdown.
 */
package io.github.wardops.ward.runner.poll;
