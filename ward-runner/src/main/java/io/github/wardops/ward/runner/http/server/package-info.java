/**
 * ward's own small HTTP/1.1 server, made to stay up under slow and hostile clients: bounded
 * connections (in total and per client address), deadlines on every part of a request, strict
 * parsing, a {@code Host} allow-list, a few shared handler slots with {@code /health} and
 * {@code /ready} outside them, and threads at a lower CPU priority than probing. A tiny
 * {@link io.github.wardops.ward.runner.http.server.Router} maps paths to handlers. Limits and
 * answers are documented in {@code docs/api.md}.
 */
package io.github.wardops.ward.runner.http.server;
