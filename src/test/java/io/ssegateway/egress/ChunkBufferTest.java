package io.ssegateway.egress;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.ssegateway.core.Event;
import io.ssegateway.core.EventDraft;
import io.ssegateway.core.EventId;
import io.ssegateway.core.Namespace;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The HTTP/1.1 chunk framing of what a stream writes, byte for byte. */
class ChunkBufferTest {
    private final ByteBufAllocator alloc = new UnpooledByteBufAllocator(true);

    @Test
    void framesOfOneTurnLeaveAsOneChunkWithAZeroPaddedSizeLine() {
        ChunkBuffer chunk = new ChunkBuffer();
        chunk.append(alloc, bytes("id: 1\ndata: a\n\n"));
        chunk.append(alloc, bytes("id: 2\ndata: b\n\n"));
        assertEquals(30, chunk.size());
        assertEquals("0000001e\r\nid: 1\ndata: a\n\nid: 2\ndata: b\n\n\r\n", take(chunk));
    }

    @Test
    void aTakenChunkLeavesTheBufferEmptyAndTheNextStartsAfresh() {
        ChunkBuffer chunk = new ChunkBuffer();
        chunk.append(alloc, bytes(": keepalive\n\n"));
        assertEquals("0000000d\r\n: keepalive\n\n\r\n", take(chunk));
        assertEquals(0, chunk.size());
        assertNull(chunk.take(), "nothing gathered, nothing to write");
        chunk.append(alloc, bytes("retry: 3000\n\n"));
        assertEquals("0000000d\r\nretry: 3000\n\n\r\n", take(chunk));
    }

    @Test
    void aChunkLargerThanItsFirstBufferKeepsEveryByteAndTheSizeOfAll() {
        ChunkBuffer chunk = new ChunkBuffer();
        String big = "data: " + "x".repeat(70_000) + "\n\n";
        chunk.append(alloc, bytes("id: 7\n"));
        chunk.append(alloc, bytes(big));
        // 6 + 70,008 = 70,014 bytes = 0x1117e.
        assertEquals("0001117e\r\nid: 7\n" + big + "\r\n", take(chunk));
    }

    @Test
    void aReleasedChunkIsGoneAndWritesNothing() {
        ChunkBuffer chunk = new ChunkBuffer();
        chunk.append(alloc, bytes("data: dropped\n\n"));
        chunk.release();
        assertEquals(0, chunk.size());
        assertNull(chunk.take());
    }

    @Test
    void aSharedRunIsOneCompleteChunkOfItsFramesInOrder() {
        List<Event> run = List.of(event(1, "a"), event(2, "b"));
        ByteBuf shared = ChunkBuffer.sharedChunk(run);
        String frames = "id: e1-1000-1\ndata: a\n\nid: e1-1000-2\ndata: b\n\n";
        assertEquals(Integer.toHexString(frames.length()) + "\r\n" + frames + "\r\n", shared.toString(StandardCharsets.US_ASCII));
    }

    private static Event event(long seq, String data) {
        return new Event(new EventId("e1", 1000, seq), EventDraft.of(Namespace.parse("/c"), "message", data));
    }

    @Test
    void aSharedChunkIsOneCompleteChunkWithAPlainHexSize() {
        ByteBuf shared = ChunkBuffer.sharedChunk(bytes("data: " + "y".repeat(4096) + "\n\n"));
        assertEquals("1008\r\ndata: " + "y".repeat(4096) + "\n\n\r\n", shared.toString(StandardCharsets.US_ASCII));
    }

    @Test
    void theLastChunkEndsTheBody() {
        assertEquals("0\r\n\r\n", ChunkBuffer.LAST.duplicate().toString(StandardCharsets.US_ASCII));
    }

    private static String take(ChunkBuffer chunk) {
        ByteBuf out = chunk.take();
        try {
            return out.toString(StandardCharsets.US_ASCII);
        } finally {
            out.release();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
