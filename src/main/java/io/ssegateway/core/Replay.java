package io.ssegateway.core;

import java.util.List;

/**
 * The answer to a resume.
 *
 * @param events the retained events after the requested id, in id order, each once
 * @param gap true when events after the requested id are no longer retained, or the id is not
 *     one of this history's (another epoch, or newer than anything given out)
 * @param oldestRetained the oldest retained event the topics cover, or null when there is none
 */
public record Replay(List<Event> events, boolean gap, EventId oldestRetained) {
    public Replay {
        events = List.copyOf(events);
    }

    public static Replay empty(boolean gap) {
        return new Replay(List.of(), gap, null);
    }
}
