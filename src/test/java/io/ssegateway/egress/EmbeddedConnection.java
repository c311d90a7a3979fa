package io.ssegateway.egress;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One HTTP/1.1 connection through the gateway's stream pipeline with no socket: the server
 * codec, the {@link SseRouter}, and, standing in for Micronaut's handler, a recorder of what
 * the router passes on. Raw request bytes go in; what the server wrote comes out as text.
 *
 * <p>A connection can stall: then it takes no more bytes, as a client that stopped reading,
 * and what the server writes stays queued in Netty's outbound buffer, where it counts against
 * the channel's high water mark as on a real socket.
 */
final class EmbeddedConnection implements AutoCloseable {
    private final Channel channel;
    private final List<Object> passedOn = new ArrayList<>();

    EmbeddedConnection(SseService service) {
        channel = new Channel();
        channel.pipeline().addLast(new HttpServerCodec(), new SseRouter(service), new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                passedOn.add(msg instanceof HttpRequest r ? "request " + r.method() + " " + r.uri()
                        : msg instanceof LastHttpContent ? "end" : msg.getClass().getSimpleName());
                ReferenceCountUtil.release(msg);
            }
        });
    }

    /** Sends raw request bytes and runs what they set off. */
    void send(String raw) {
        channel.writeInbound(Unpooled.copiedBuffer(raw, StandardCharsets.UTF_8));
        runTasks();
    }

    /**
     * Runs the tasks queued on this connection's event loop (fan-out and flushes), pass after
     * pass while any is due: each slice of a backlog after the first waits for a pass of its own
     * ({@link SliceTurns}). Bounded, so work that always queues more cannot hang a test.
     */
    void runTasks() {
        channel.runPendingTasks();
        for (int pass = 0; pass < MAX_PASSES && channel.runScheduledPendingTasks() == 0; pass++) {
            channel.runPendingTasks();
        }
    }

    /** Everything the server wrote since the last call, as the client would read it. */
    String received() {
        StringBuilder out = new StringBuilder();
        ByteBuf b;
        while ((b = channel.readOutbound()) != null) {
            out.append(b.toString(StandardCharsets.UTF_8));
            b.release();
        }
        return out.toString();
    }

    /** What the router handed on to the next handler: {@code request METHOD URI}, {@code end}, or a type. */
    List<Object> passedOn() {
        return passedOn;
    }

    /** The client stops reading: what the server writes from now on stays queued. */
    void stall() {
        channel.stalled = true;
    }

    /** The client reads again and takes everything queued for it. */
    void resume() {
        channel.stalled = false;
        channel.flush();
    }

    /** From now on every buffer the server asks for this connection fails, as when direct memory is exhausted. */
    void failAllocations() {
        channel.config().setAllocator(new AbstractByteBufAllocator(true) {
            @Override
            public boolean isDirectBufferPooled() {
                return false;
            }

            @Override
            protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
                throw new OutOfMemoryError("Cannot reserve " + initialCapacity + " bytes of direct buffer memory");
            }

            @Override
            protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
                throw new OutOfMemoryError("Java heap space");
            }
        });
    }

    /** Bytes written and not taken by the client. */
    long queuedBytes() {
        ChannelOutboundBuffer queued = channel.unsafe().outboundBuffer();
        return queued == null ? 0 : queued.totalPendingWriteBytes();
    }

    boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() {
        channel.finishAndReleaseAll();
    }

    /** An embedded channel whose peer can stop reading. */
    private static final int MAX_PASSES = 10_000;

    private static final class Channel extends EmbeddedChannel {
        private boolean stalled;

        @Override
        protected void doWrite(ChannelOutboundBuffer in) throws Exception {
            if (!stalled) {
                super.doWrite(in);
            }
        }
    }
}
