package io.ssegateway.core;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The id of a stream that reads several Redis shards: a position for every shard. */
class ShardCursorTest {
    private static final EventId A5 = new EventId("aaaaaaaaaa", 1000, 5);
    private static final EventId A7 = new EventId("aaaaaaaaaa", 1002, 7);
    private static final EventId B3 = new EventId("bbbbbbbbbb", 1001, 3);
    private static final EventId B9 = new EventId("bbbbbbbbbb", 1005, 9);

    private static EventId event(int own, EventId... positions) {
        return EventId.ofShard(new ShardCursor(own, Arrays.asList(positions)));
    }

    @Test
    void anIdCarriesEveryShardsPositionAndReadsBackAsTheSameCursor() {
        EventId id = event(1, A5, B3);
        assertEquals("aaaaaaaaaa-1000-5.bbbbbbbbbb-1001-3", id.toString());
        EventId back = EventId.parseOrNull(id.toString());
        assertNotNull(back);
        assertEquals(id.cursor().positions(), back.cursor().positions());
        assertEquals(-1, back.cursor().own());
    }

    @Test
    void aShardNotSeenYetIsAnEmptyPosition() {
        EventId id = event(0, A5, null);
        assertEquals("aaaaaaaaaa-1000-5.", id.toString());
        assertNull(EventId.parseOrNull(id.toString()).cursor().at(1));
    }

    @Test
    void malformedCursorsAreNoIds() {
        for (String bad : new String[] {"aaaaaaaaaa-1000-5.x", "aaaaaaaaaa-1000-5..bbbbbbbbbb-1-1x", ".", "a-1-2.b-1",
                "aaaaaaaaaa-1000-5." + "a-1-1.".repeat(70)}) {
            assertNull(EventId.parseOrNull(bad), bad);
        }
    }

    @Test
    void aCursorReadBackIsNoPositionOfAnyStore() {
        // An unsharded broker compares the epoch: it must never match a store's.
        EventId back = EventId.parseOrNull("aaaaaaaaaa-1000-5.bbbbbbbbbb-1001-3");
        assertFalse(back.sameEpoch(A5));
        assertFalse(back.sameEpoch(new EventId(LocalBroker.newEpoch(), 0, 0)));
    }

    @Test
    void anEventIsCoveredWhenTheStreamHasItsShardAtOrPastIt() {
        EventId stream = EventId.parseOrNull("aaaaaaaaaa-1002-7.bbbbbbbbbb-1001-3");
        assertTrue(event(0, A5, B9).isCoveredBy(stream));
        assertTrue(event(1, A5, B3).isCoveredBy(stream));
        assertFalse(event(1, A5, B9).isCoveredBy(stream));
        assertFalse(event(0, A5, B9).isCoveredBy(EventId.parseOrNull("aaaaaaaaaa-1000-4.bbbbbbbbbb-1001-3")));
        assertFalse(event(0, A5, B9).isCoveredBy(null));
    }

    @Test
    void aStreamAheadOnAnotherShardKeepsItsPositionThereInTheIdItIsShown() {
        // The stream resumed past B9 elsewhere; this instance has seen B only up to B3.
        EventId stream = event(1, A5, B9);
        EventId live = event(0, A7, B3);
        EventId shown = live.seenAfter(stream);
        assertEquals("aaaaaaaaaa-1002-7.bbbbbbbbbb-1005-9", shown.toString());
        assertEquals(0, shown.cursor().own());
        // Nothing further on: the event keeps its id, and the frame every stream shares.
        assertSame(live, live.seenAfter(event(1, A5, B3)));
    }
}
