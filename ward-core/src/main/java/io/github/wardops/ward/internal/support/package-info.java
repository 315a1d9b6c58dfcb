/**
 * Internal support shared by ward's own modules (exported only to them): how threads and
 * periodic tasks fail, how a repeated log line is limited. Not an API.
 */
package io.github.wardops.ward.internal.support;
