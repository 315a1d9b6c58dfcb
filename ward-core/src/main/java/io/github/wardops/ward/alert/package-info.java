/**
 * Alerting: a small, safe rule language ({@link io.github.wardops.ward.alert.AlertRule}),
 * rule files ({@link io.github.wardops.ward.alert.AlertRules}), alerts and their store
 * ({@link io.github.wardops.ward.alert.AlertStore}), maintenance windows and notifications
 * ({@link io.github.wardops.ward.alert.Notifier}) with a flood guard.
 *
 * <p>Entry point: {@link io.github.wardops.ward.alert.Alerting#builder()}; the result is a
 * {@link io.github.wardops.ward.state.StateListener} registered with the state tracker, so rules
 * are evaluated inline with result processing.
 */
package io.github.wardops.ward.alert;
