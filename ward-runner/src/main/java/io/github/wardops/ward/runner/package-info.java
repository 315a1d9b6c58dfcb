/**
 * The {@code ward} command line: the entry point, exit codes, and the context commands run in.
 * The runner is an application, not a library; nothing here is API.
 */
package io.github.wardops.ward.runner;
