/**
 * {@code ward sweep}: ping many addresses once, as fast as is safe, and print the results the
 * way {@code fping -c N -q} does.
 */
package io.github.wardops.ward.runner.sweep;
