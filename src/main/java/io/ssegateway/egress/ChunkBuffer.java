package io.ssegateway.egress;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.ssegateway.core.Event;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What one stream writes during one event-loop turn, gathered into a single HTTP/1.1 chunk.
 *
 * <p>A stream's connection carries only chunks we encode ourselves (see {@link SseRouter}), so
 * a burst of small events leaves as one buffer and one chunk: a few bytes copied per event,
 * instead of a buffer view, a write promise and an outbound entry per event and connection.
 * The frames themselves are encoded once per event ({@code Event.frame()}) and only copied.
 *
 * <p>Event loop only. An idle stream holds no buffer.
 */
final class ChunkBuffer {
    /** The chunk-size line: eight hex digits, zero-padded (HTTP allows it), and CRLF. */
    private static final int HEADER = 10;
    /** Most bursts are a few small events; the pooled buffer grows when a replay needs more. */
    private static final int INITIAL_CAPACITY = 512;
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    /** The last chunk: the end of the response body. */
    static final ByteBuf LAST = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer(5).writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));

    private ByteBuf buf;

    /** Bytes of frames gathered so far. */
    int size() {
        return buf == null ? 0 : buf.writerIndex() - HEADER;
    }

    void append(ByteBufAllocator alloc, byte[] frame) {
        if (buf == null) {
            buf = alloc.directBuffer(Math.max(INITIAL_CAPACITY, HEADER + frame.length + 2));
            buf.writerIndex(HEADER);
        }
        buf.writeBytes(frame);
    }

    /** The gathered chunk, framed and ready to write (the caller owns it), or null if empty. */
    ByteBuf take() {
        ByteBuf out = buf;
        if (out == null) {
            return null;
        }
        buf = null;
        int length = out.writerIndex() - HEADER;
        for (int i = 0; i < 8; i++) {
            out.setByte(i, HEX[(length >>> (28 - 4 * i)) & 0xF]);
        }
        out.setByte(8, '\r');
        out.setByte(9, '\n');
        out.writeByte('\r').writeByte('\n');
        return out;
    }

    void release() {
        if (buf != null) {
            buf.release();
            buf = null;
        }
    }

    /**
     * One off-heap chunk per large event, made by the first connection that writes it and shared
     * by all: each write is a view of it, not a copy. The base buffer is never released; it
     * wraps a JDK direct buffer, which the garbage collector frees with the event.
     */
    static ByteBuf sharedChunk(Event event) {
        Object cached = event.transportFrame();
        if (cached instanceof ByteBuf buf) {
            return buf;
        }
        ByteBuf buf = sharedChunk(event.frame());
        event.transportFrame(buf);
        return buf;
    }

    /**
     * A complete chunk holding {@code frame}, off-heap, for frames large enough that every
     * connection should write views of one copy rather than copy it.
     */
    static ByteBuf sharedChunk(byte[] frame) {
        return sharedChunk(List.of(frame), frame.length);
    }

    /** One chunk holding the frames of {@code run} in order, off-heap, for {@link SharedRuns}. */
    static ByteBuf sharedChunk(List<Event> run) {
        List<byte[]> frames = new ArrayList<>(run.size());
        int length = 0;
        for (Event e : run) {
            byte[] f = e.frame();
            frames.add(f);
            length += f.length;
        }
        return sharedChunk(frames, length);
    }

    private static ByteBuf sharedChunk(List<byte[]> frames, int length) {
        byte[] size = (Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer direct = ByteBuffer.allocateDirect(size.length + length + 2).put(size);
        for (byte[] f : frames) {
            direct.put(f);
        }
        return Unpooled.wrappedBuffer(direct.put((byte) '\r').put((byte) '\n').flip());
    }
}
