package io.ssegateway.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Completes a replay that a request shared with a read already sent before it was made. That
 * read looked at history at a moment that may precede the request's subscription, so events
 * published in between would reach the client neither from history nor live. A second, small
 * read after the shared read's newest event (sent after the subscription) closes that gap.
 */
final class ReplayTopUp {
    private ReplayTopUp() {
    }

    /** The read that tops {@code shared} up to now: after its newest event, or all of it again. */
    static ReplayQueue.Key after(ReplayQueue.Key asked, Replay shared) {
        List<Event> events = shared.events();
        if (events.isEmpty()) {
            return asked;
        }
        return new ReplayQueue.Key(asked.topics(), events.get(events.size() - 1).id(), -1, asked.limit());
    }

    /**
     * {@code shared} followed by {@code newer}, the newest {@code limit} of them. When the top-up
     * itself found a gap (the history was trimmed past, or lost, since the shared read, or more
     * than the limit was published since), what it read is the answer: newest first, said as a gap.
     */
    static Replay merge(Replay shared, Replay newer, int limit) {
        if (newer.gap() || shared.events().isEmpty()) {
            return newer;
        }
        if (newer.events().isEmpty()) {
            return shared;
        }
        List<Event> all = new ArrayList<>(shared.events().size() + newer.events().size());
        all.addAll(shared.events());
        all.addAll(newer.events());
        boolean gap = shared.gap();
        if (all.size() > limit) {
            all = all.subList(all.size() - limit, all.size());
            gap = true;
        }
        EventId oldest = newer.oldestRetained() != null ? newer.oldestRetained() : shared.oldestRetained();
        return new Replay(all, gap, oldest);
    }
}
