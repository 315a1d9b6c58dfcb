/**
 * Internal support shared by ward's own modules (exported only to them): how threads and
 * periodic tasks fail ({@code Guard}), how a repeated log line is limited ({@code LogLimiter}),
 * the one bounded write-behind queue ({@code WriteBehind}) and the one JSON codec ({@code Json}).
 * Not an API.
 */
package io.github.wardops.ward.internal.support;
