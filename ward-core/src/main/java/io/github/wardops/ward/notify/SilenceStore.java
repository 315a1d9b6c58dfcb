package io.github.wardops.ward.notify;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Keeps silences (SPI; the PostgreSQL module keeps them fleet-wide for several runners,
 * {@link #inMemory(int)} is the built-in one). Implementations are thread-safe.
 */
public interface SilenceStore {

    /**
     * Stores a new silence.
     *
     * @param silence the silence; never {@code null}
     * @throws IllegalStateException when the store is full (it holds its maximum of silences that
     *     have not ended)
     * @throws Exception when it cannot be stored
     */
    void add(Silence silence) throws Exception;

    /**
     * Ends a silence now (or, for one not yet started, before it starts).
     *
     * @param id the silence's id
     * @param at the time it ends
     * @return the silence as it is now, or empty when there is no such silence
     * @throws Exception when the store cannot be written
     */
    Optional<Silence> expire(UUID id, Instant at) throws Exception;

    /**
     * The silences that have not ended at a time (active and future ones), oldest start first.
     *
     * @param at the time
     * @return the silences; never {@code null}
     * @throws Exception when the store cannot be read
     */
    List<Silence> current(Instant at) throws Exception;

    /**
     * Silences that ended after a time, most recent end first: for the status page.
     *
     * @param since the earliest end
     * @param limit the most to return, at least 1
     * @return the silences; never {@code null}
     * @throws Exception when the store cannot be read
     */
    List<Silence> endedSince(Instant since, int limit) throws Exception;

    /**
     * A thread-safe store in memory. It keeps at most {@code max} silences that have not ended
     * ({@link #add} refuses more) and the {@code max} most recently ended ones.
     *
     * @param max the bound, 1-1,000,000
     * @return a new, empty store
     */
    static SilenceStore inMemory(int max) {
        return new io.github.wardops.ward.internal.notify.InMemorySilenceStore(max);
    }
}
