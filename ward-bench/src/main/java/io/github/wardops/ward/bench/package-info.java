/**
 * Benchmarks and load harnesses; see docs/benchmarks.md for how each is run.
 */
package io.github.wardops.ward.bench;
