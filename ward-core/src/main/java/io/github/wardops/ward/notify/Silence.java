package io.github.wardops.ward.notify;

import io.github.wardops.ward.alert.LabelSelector;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A silence: while it is active, notifications of the alerts its matchers select are held back.
 * The alerts themselves still open, resolve and are recorded; only their notifications wait (an
 * alert still open when the silence ends is notified then; one resolved under it never is).
 * Immutable and thread-safe.
 *
 * <p>Matchers are a {@link LabelSelector} over an alert's labels (see
 * {@link NotificationLabels}), such as {@code region = Tbilisi, severity in (critical, high)}.
 *
 * @param id the silence's id; never {@code null}
 * @param matchers which alerts it holds; never {@code null}
 * @param startsAt when it starts; never {@code null}
 * @param endsAt when it ends, after {@code startsAt}; never {@code null}
 * @param author who created it; never {@code null} or blank, at most 200 characters
 * @param comment why; never {@code null}, at most 2,000 characters
 * @param createdAt when it was created; never {@code null}
 */
public record Silence(UUID id, LabelSelector matchers, Instant startsAt, Instant endsAt, String author, String comment,
                      Instant createdAt) {

    /** The longest {@link #author()}. */
    public static final int MAX_AUTHOR = 200;
    /** The longest {@link #comment()}. */
    public static final int MAX_COMMENT = 2_000;

    /**
     * Checks the components; each is described on the record.
     *
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if {@code endsAt} is not after {@code startsAt}, the author is
     *     blank or a text is too long
     */
    public Silence {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(matchers, "matchers");
        Objects.requireNonNull(startsAt, "startsAt");
        Objects.requireNonNull(endsAt, "endsAt");
        Objects.requireNonNull(author, "author");
        Objects.requireNonNull(comment, "comment");
        Objects.requireNonNull(createdAt, "createdAt");
        if (!endsAt.isAfter(startsAt)) {
            throw new IllegalArgumentException("silence: end " + endsAt + " must be after start " + startsAt);
        }
        if (author.isBlank() || author.length() > MAX_AUTHOR) {
            throw new IllegalArgumentException("silence: author must be 1-" + MAX_AUTHOR + " characters");
        }
        if (comment.length() > MAX_COMMENT) {
            throw new IllegalArgumentException("silence: comment must be at most " + MAX_COMMENT + " characters");
        }
    }

    /**
     * Whether the silence is in force at a time.
     *
     * @param at the time
     * @return {@code true} from {@link #startsAt()} (inclusive) to {@link #endsAt()} (exclusive)
     */
    public boolean activeAt(Instant at) {
        return !at.isBefore(startsAt) && at.isBefore(endsAt);
    }

    /**
     * Whether it holds back the notifications of an alert with these labels at a time.
     *
     * @param labels the alert's labels ({@link NotificationLabels#of})
     * @param at the time
     * @return {@code true} when active and matching
     */
    public boolean mutes(Map<String, String> labels, Instant at) {
        return activeAt(at) && matchers.matches(labels);
    }

    /**
     * This silence ended at a time (a silence expired by hand); one that ends earlier is unchanged.
     *
     * @param at when it ends
     * @return the silence ending at {@code at}, or this one when it ends before; a silence that has
     *     not started yet ends at its start (it never takes effect)
     */
    public Silence expire(Instant at) {
        if (!at.isBefore(endsAt)) {
            return this;
        }
        Instant end = at.isAfter(startsAt) ? at : startsAt.plusNanos(1);
        return new Silence(id, matchers, startsAt, end, author, comment, createdAt);
    }
}
