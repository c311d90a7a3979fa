package io.ssegateway.egress;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

import java.nio.charset.StandardCharsets;

/**
 * The body of a stream to an HTTP/1.0 client: the bare event stream, ended by the close.
 *
 * <p>A stream writes HTTP/1.1 chunks it frames itself ({@link ChunkBuffer}), and a large event's
 * chunk is one buffer shared by every connection; an HTTP/1.0 client knows no chunked coding and
 * would take the chunk-size lines for event text (RFC 9112 §7.1 forbids sending it one). So on
 * such a connection, and only there, each chunk written is cut down to its data on the way out,
 * as views of the same bytes; the last chunk becomes nothing, and the close after it ends the
 * body. Installed behind the stream's router once its head has gone.
 */
final class UnchunkedBody extends ChannelOutboundHandlerAdapter {
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf chunks && chunks.isReadable()) {
            ctx.write(data(chunks), promise);
        } else {
            ctx.write(msg, promise);
        }
    }

    /**
     * The data of the complete chunks in {@code chunks} (chunk extensions and trailers are never
     * written by a stream), as retained views; {@code chunks} is released.
     */
    static ByteBuf data(ByteBuf chunks) {
        CompositeByteBuf joined = null;
        ByteBuf single = null;
        try {
            int at = chunks.readerIndex();
            int end = chunks.writerIndex();
            while (at < end) {
                int lineEnd = chunks.indexOf(at, end, (byte) '\n');
                if (lineEnd < 0) {
                    throw new IllegalStateException("a stream wrote an incomplete chunk");
                }
                int size = Integer.parseInt(chunks.toString(at, lineEnd - 1 - at, StandardCharsets.US_ASCII), 16);
                if (size == 0) {
                    break;
                }
                ByteBuf data = chunks.retainedSlice(lineEnd + 1, size);
                if (single == null) {
                    single = data;
                } else {
                    if (joined == null) {
                        joined = chunks.alloc().compositeBuffer().addComponent(true, single);
                        single = joined;
                    }
                    joined.addComponent(true, data);
                }
                at = lineEnd + 1 + size + 2;
            }
        } finally {
            chunks.release();
        }
        return single == null ? Unpooled.EMPTY_BUFFER : single;
    }
}
