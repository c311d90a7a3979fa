package io.ssegateway.egress;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.ssegateway.core.Event;
import io.ssegateway.core.EventDraft;
import io.ssegateway.core.EventId;
import io.ssegateway.core.Namespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Streams that write the same run of a replay share one chunk; any other run, even one that
 * starts at the same event and is as long, gets the bytes of its own events.
 */
class SharedRunsTest {
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final SharedRuns runs = SharedRuns.of(channel.eventLoop());

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    @Test
    void twoStreamsWritingTheSameEventsWriteOneChunkHoldingTheirFramesInOrder() {
        List<Event> history = events(1, 10);
        ByteBuf first = runs.chunkOf(new ArrayList<>(history));
        ByteBuf second = runs.chunkOf(new ArrayList<>(history));
        assertSame(first, second, "the second stream built a chunk of its own");
        StringBuilder frames = new StringBuilder();
        for (Event e : history) {
            frames.append(new String(e.frame(), StandardCharsets.US_ASCII));
        }
        assertEquals(Integer.toHexString(frames.length()) + "\r\n" + frames + "\r\n",
                first.toString(StandardCharsets.US_ASCII));
    }

    @Test
    void theSameEventsReadAgainUnderTheSameIdsShareTheChunk() {
        // A Redis replay decodes every read anew: other objects, the same ids, the same frames.
        ByteBuf first = runs.chunkOf(events(1, 10));
        assertSame(first, runs.chunkOf(events(1, 10)));
    }

    @Test
    void aRunWithTheSameFirstEventAndLengthButAnotherEventBetweenGetsItsOwnBytes() {
        List<Event> anonymous = events(1, 10);
        // A stream that may see a private event the other may not: it skips event 5, the other event 11.
        List<Event> other = new ArrayList<>(anonymous);
        other.remove(4);
        other.add(event(11));
        ByteBuf a = runs.chunkOf(anonymous);
        ByteBuf b = runs.chunkOf(other);
        assertNotSame(a, b);
        String text = b.toString(StandardCharsets.US_ASCII);
        assertTrue(text.contains("data: 11\n") && !text.contains("data: 5\n"), text);
    }

    @Test
    void theLeastRecentlyUsedRunIsDroppedPastTheBound() {
        ByteBuf oldest = runs.chunkOf(events(1, 10));
        for (int i = 1; i <= SharedRuns.ENTRIES; i++) {
            runs.chunkOf(events(100 * i, 10));
        }
        assertEquals(SharedRuns.ENTRIES, runs.size());
        assertNotSame(oldest, runs.chunkOf(events(1, 10)), "a run past the bound was kept");
    }

    private static List<Event> events(long firstSeq, int count) {
        List<Event> out = new ArrayList<>();
        for (long s = firstSeq; s < firstSeq + count; s++) {
            out.add(event(s));
        }
        return out;
    }

    private static Event event(long seq) {
        return new Event(new EventId("e1", 1000, seq), EventDraft.of(Namespace.parse("/runs"), "message", Long.toString(seq)));
    }
}
