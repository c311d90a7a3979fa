package io.ssegateway.core;

import java.util.List;

/**
 * What one subscription listens to and may see: its topics, and the audience its token made
 * it. A private event reaches it only through a namespace the token grants, and an event
 * addressed to a user only when the token's subject is that user (SPEC §3).
 *
 * <p>Immutable, so any thread may ask.
 *
 * @param topics the namespaces subscribed to; each covers its descendants by whole segments
 * @param audience who the subscriber is, by its token
 */
public record Interest(List<Namespace> topics, Audience audience) {

    public Interest {
        topics = List.copyOf(topics);
    }

    /**
     * True when this subscriber may receive the event: one of its namespaces is under one of
     * the topics, and, for a private event, that same namespace is granted by the token; for an
     * event addressed to a user, the token's subject is that user.
     */
    public boolean wants(Event event) {
        String user = event.user();
        if (user != null && !user.equals(audience.subject())) {
            return false;
        }
        for (Namespace n : event.namespaces()) {
            if (covered(n) && (!event.isPrivate() || audience.grants(n))) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@link #wants} for a subscription the index found under one of its topics while walking
     * one of the event's namespaces: that namespace is covered, so an event for everyone is
     * wanted without looking further. Private and addressed events get the full check.
     */
    boolean wantsMatched(Event event) {
        return (!event.isPrivate() && event.user() == null) || wants(event);
    }

    private boolean covered(Namespace n) {
        for (Namespace t : topics) {
            if (t.covers(n)) {
                return true;
            }
        }
        return false;
    }
}
