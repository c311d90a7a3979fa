package io.ssegateway.core;

import java.util.List;

/** What a broker did with one {@link KeyedStep}; the key's record and the event changed together. */
public sealed interface KeyedResult {
    /** The event was published now, and its id added to the key's record. */
    record Published(Event event) implements KeyedResult {
    }

    /** This step was published by an earlier attempt, as {@code id}; nothing was published now. */
    record AlreadyPublished(EventId id) implements KeyedResult {
    }

    /** The whole request was published before: its ids, in order; nothing was published now. */
    record Completed(List<EventId> ids) implements KeyedResult {
    }

    /** The key was used with another request (another fingerprint). */
    record Mismatch() implements KeyedResult {
    }

    /** Another attempt with the key is publishing right now. */
    record InUse() implements KeyedResult {
    }
}
