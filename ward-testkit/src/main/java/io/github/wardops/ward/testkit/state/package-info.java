/**
 * Contract suites for the state and alert SPIs: a {@link io.github.wardops.ward.state.StateStore}
 * or {@link io.github.wardops.ward.alert.AlertStore} implementation extends the matching abstract
 * class and passes every test in it.
 */
package io.github.wardops.ward.testkit.state;
