package io.ssegateway.egress;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.ssegateway.core.Refusal;

import java.util.concurrent.TimeUnit;

/** A {@link Refusal} as a Netty response, for the handlers that answer before Micronaut's router. */
public final class NettyRefusals {
    /**
     * How long a refused client may go on sending after its answer before the connection is
     * closed under it: long enough for the answer to be read, short enough that a client that
     * never stops costs little.
     */
    static final long DRAIN_SECONDS = 2;

    private NettyRefusals() {
    }

    /** The full response, with its length set; keep-alive is the caller's decision. */
    public static FullHttpResponse response(Refusal refusal) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(refusal.status()), Unpooled.wrappedBuffer(refusal.bodyBytes()));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        refusal.headers().forEach(response.headers()::set);
        HttpUtil.setContentLength(response, response.content().readableBytes());
        return response;
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
