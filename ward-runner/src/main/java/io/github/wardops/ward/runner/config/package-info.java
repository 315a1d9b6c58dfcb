/**
 * The runner's settings: what can be configured, how values are parsed (durations, listen
 * addresses) and how defaults, the environment and flags are layered and validated.
 */
package io.github.wardops.ward.runner.config;
