package io.github.wardops.ward.runner.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * What holds an open alert's notifications back, in an alert's {@code heldBy}: a silence
 * ({@code {"kind": "silence", "id": ...}}) or a maintenance window
 * ({@code {"kind": "maintenance", "name": ...}}). Immutable.
 *
 * @param kind {@code silence} or {@code maintenance}
 * @param id the silence's id, or {@code null} for a window
 * @param name the window's name, or {@code null} for a silence
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"kind", "id", "name"})
public record HeldBy(String kind, String id, String name) {

    /**
     * The marker for "notification routing is not configured": an alert view carrying it has no
     * {@code heldBy} field at all (unlike {@code null}, "nothing holds it").
     */
    static final HeldBy NOT_CONFIGURED = new HeldBy("", null, null);

    /** Leaves {@link #NOT_CONFIGURED} out of the JSON; writes {@code null} and every real value. */
    static final class Absent {
        @Override
        public boolean equals(Object o) {
            return o == NOT_CONFIGURED;
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }
}
