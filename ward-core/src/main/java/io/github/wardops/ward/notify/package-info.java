/**
 * Notification routing: which receiver hears of which alert, when, and how often. A tree of
 * {@link io.github.wardops.ward.notify.Route}s matches alerts by their labels and groups them (a
 * branch outage is one message listing its devices); {@link io.github.wardops.ward.notify.Silence}s
 * and maintenance windows hold notifications back without hiding the alerts; a
 * {@link io.github.wardops.ward.notify.NotificationLog} remembers what each receiver was told, so a
 * restart neither loses nor repeats a message.
 */
package io.github.wardops.ward.notify;
