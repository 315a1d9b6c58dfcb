/**
 * Test fixtures for ward and for applications that embed it: a manual clock here, SPI contract
 * suites in {@code contract} and {@code state}. Simulated SNMP agents and loopback fault hosts
 * are ward-simulator's ({@code io.github.wardops.ward.simulator}).
 */
package io.github.wardops.ward.testkit;
