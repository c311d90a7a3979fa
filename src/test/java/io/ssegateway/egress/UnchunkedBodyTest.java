package io.ssegateway.egress;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The chunks a stream writes, as an HTTP/1.0 client receives them: their data only, byte for byte. */
class UnchunkedBodyTest {
    private static String through(ByteBuf... writes) {
        EmbeddedChannel channel = new EmbeddedChannel(new UnchunkedBody());
        StringBuilder out = new StringBuilder();
        for (ByteBuf write : writes) {
            channel.writeOutbound(write);
            for (ByteBuf b; (b = channel.readOutbound()) != null; ) {
                out.append(b.toString(StandardCharsets.UTF_8));
                b.release();
            }
        }
        channel.finishAndReleaseAll();
        return out.toString();
    }

    private static ByteBuf bytes(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }

    @Test
    void aGatheredChunkASharedChunkAndTheLastChunkLeaveAsTheBareEventStream() {
        ChunkBuffer gathered = new ChunkBuffer();
        gathered.append(UnpooledByteBufAllocator.DEFAULT, "retry: 3000\n\n".getBytes(StandardCharsets.UTF_8));
        gathered.append(UnpooledByteBufAllocator.DEFAULT, "id: 1\ndata: é\n\n".getBytes(StandardCharsets.UTF_8));
        ByteBuf shared = ChunkBuffer.sharedChunk("id: 2\ndata: big\n\n".getBytes(StandardCharsets.UTF_8));
        assertEquals("retry: 3000\n\nid: 1\ndata: é\n\nid: 2\ndata: big\n\n",
                through(gathered.take(), shared.retainedDuplicate(), ChunkBuffer.LAST.duplicate()));
        assertEquals(1, shared.refCnt(), "the shared chunk is only viewed");
    }

    @Test
    void severalChunksInOneWriteAndAnEmptyFlushPassWhole() {
        assertEquals("abcdefghij", through(bytes("3\r\nabc\r\n7\r\ndefghij\r\n"), Unpooled.EMPTY_BUFFER, bytes("0\r\n\r\n")));
    }
}
