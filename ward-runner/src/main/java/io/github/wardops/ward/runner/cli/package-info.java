/**
 * The {@code ward} commands (picocli): {@code run} and {@code sweep}. A command parses and
 * validates, then hands over to the package that does the work ({@code poll}, {@code sweep}).
 */
package io.github.wardops.ward.runner.cli;
