/**
 * {@code ward demo} and {@code ward simulate}: simulated SNMP agents for a fleet, and the demo's
 * timer that takes devices down and brings them back. Internal to the runner.
 */
package io.github.wardops.ward.runner.demo;
