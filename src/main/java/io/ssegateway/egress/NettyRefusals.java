package io.ssegateway.egress;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.FullHttpResponse;

import java.util.concurrent.TimeUnit;

/**
 * How a handler that answers before Micronaut's router ends a connection it refused a request
 * on (the response itself is {@code RefusalResponses.netty}).
 */
public final class NettyRefusals {
    /**
     * How long a refused client may go on sending after its answer before the connection is
     * closed under it: long enough for the answer to be read, short enough that a client that
     * never stops costs little.
     */
    static final long DRAIN_SECONDS = 2;

    private NettyRefusals() {
    }

    /**
     * Writes {@code response} (which says {@code Connection: close}) and closes the connection.
     * Closing with unread input makes the kernel send a reset, which can destroy the answer
     * before the client reads it; so the output is shut first and the close follows a moment
     * later. The caller drops what the client still sends meanwhile.
     */
    public static void answerAndClose(ChannelHandlerContext ctx, FullHttpResponse response) {
        ctx.writeAndFlush(response).addListener((ChannelFutureListener) f -> {
            if (f.channel() instanceof DuplexChannel duplex && f.isSuccess()) {
                duplex.shutdownOutput();
                ctx.executor().schedule(() -> ctx.close(), DRAIN_SECONDS, TimeUnit.SECONDS);
            } else {
                ctx.close();
            }
        });
    }
}
