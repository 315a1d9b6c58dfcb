/**
 * Test fixtures for ward and for applications that embed it.
 */
package io.github.wardops.ward.testkit;
