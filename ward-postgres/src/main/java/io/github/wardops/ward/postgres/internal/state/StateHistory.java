package io.github.wardops.ward.postgres.internal.state;

import io.github.wardops.ward.state.StateListener;
import io.github.wardops.ward.state.StateTransition;

/**
 * A {@link StateListener} that appends every transition to {@code state_changes}, through the
 * {@link StateWriter} (no I/O on the caller's thread). Thread-safe.
 */
public final class StateHistory implements StateListener {
    private final StateWriter writer;

    /**
     * Creates the listener.
     *
     * @param writer the write-behind queue
     */
    public StateHistory(StateWriter writer) {
        this.writer = writer;
    }

    @Override
    public void onTransition(StateTransition transition) {
        writer.history(transition);
    }
}
