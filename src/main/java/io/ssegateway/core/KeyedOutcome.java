package io.ssegateway.core;

import java.util.List;

/**
 * The answer to a request with an {@code Idempotency-Key}: the ids of its events in order, and
 * whether this request published none of them (a repeat, answered as the first one was).
 */
public record KeyedOutcome(List<EventId> ids, boolean replayed) {
    public KeyedOutcome {
        ids = List.copyOf(ids);
    }
}
