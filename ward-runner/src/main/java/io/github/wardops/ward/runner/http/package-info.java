/**
 * The runner's HTTP API: health, Prometheus metrics and the device list as JSON (documented in
 * {@code docs/api.md}).
 */
package io.github.wardops.ward.runner.http;
