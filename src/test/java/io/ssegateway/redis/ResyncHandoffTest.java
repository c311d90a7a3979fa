package io.ssegateway.redis;

import io.ssegateway.core.Event;
import io.ssegateway.core.EventDraft;
import io.ssegateway.core.EventId;
import io.ssegateway.core.Namespace;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which stored events pass around a resync: none that neither history nor the stream would have. */
class ResyncHandoffTest {
    private final ResyncHandoff handoff = new ResyncHandoff();
    private final List<String> handedOn = new ArrayList<>();

    @Test
    void eventsArriveWhileInterruptedAreLeftToTheCatchUp() {
        handoff.offer(event(1), this::handOn);
        assertFalse(handoff.need(), "was not interrupted before");
        assertTrue(handoff.need(), "already interrupted");
        handoff.offer(event(2), this::handOn);

        assertEquals(List.of("1"), handedOn, "2 arrived before any catch-up read was sent: history has it");
    }

    @Test
    void anEventArrivingWhileTheCatchUpsAreQueuedIsHandedOnRightAfterThem() {
        handoff.need();
        handoff.offer(event(1), this::handOn);
        handoff.resync(() -> {
            handedOn.add("catch-ups queued");
            // On the pub/sub thread while the resync runs on another: the catch-up read may
            // have been sent already and not see this event.
            handoff.offer(event(2), this::handOn);
        }, this::handOn);
        handoff.offer(event(3), this::handOn);

        assertEquals(List.of("catch-ups queued", "2", "3"), handedOn);
        assertFalse(handoff.needed());
    }

    @Test
    void aFailingResyncStillLetsStoredEventsFlowAgain() {
        handoff.need();
        try {
            handoff.resync(() -> {
                throw new IllegalStateException("listener failed");
            }, this::handOn);
        } catch (IllegalStateException expected) {
            // the link logs it
        }
        handoff.offer(event(1), this::handOn);

        assertEquals(List.of("1"), handedOn);
    }

    private void handOn(Event event) {
        handedOn.add(event.data());
    }

    private static Event event(long seq) {
        return new Event(new EventId("ep", 1000, seq), EventDraft.of(Namespace.parse("/a"), "message", Long.toString(seq)));
    }
}
