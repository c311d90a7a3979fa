package io.ssegateway.egress;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.ssegateway.core.Reason;
import io.ssegateway.core.Refusal;
import io.ssegateway.ingress.RefusalResponses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Bounds the time a request head may take to arrive ({@code sse.request-head-timeout}). Nothing
 * else did: a client trickling its headers at one byte a second kept its connection for ever,
 * and 2,100 of them held every file descriptor of an instance at a 2,048 limit. Sits right after
 * the HTTP codec, so it covers every route on the port, the gateway's streams and Micronaut's
 * controllers alike.
 *
 * <p>The clock runs from the connection's opening until its first head is decoded, and again from
 * the first byte of each later request (the codec reports every read, also one that decoded
 * nothing) until that head is decoded; a kept-alive connection that is merely idle between
 * requests is left to the server's idle timeout. A body, and a stream once its head is read,
 * are never timed here (a stream's connection drops this handler with the rest of HTTP). When
 * the clock runs out: {@code 408} with the gateway's error body, and the connection closes; if
 * an earlier response is still being written on it, the connection just closes, since a 408
 * would land inside that response.
 *
 * <p>Event loop only, one per connection.
 */
final class RequestHeadTimeout extends ChannelDuplexHandler {
    private static final Logger LOG = LoggerFactory.getLogger(RequestHeadTimeout.class);

    private final long timeoutNanos;
    private ScheduledFuture<?> timer;
    /** A head was decoded and the rest of its request has not yet been read. */
    private boolean inRequest;
    /** The codec passed on a message during the current read. */
    private boolean decodedThisRead;
    /** Requests read whose response has not been written to its end. */
    private int unanswered;
    private boolean expired;

    RequestHeadTimeout(long timeoutNanos) {
        this.timeoutNanos = timeoutNanos;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            arm(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        arm(ctx);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (expired) {
            // Answered and closing: what the client still sends is dropped, not served.
            ReferenceCountUtil.release(msg);
            return;
        }
        decodedThisRead = true;
        if (msg instanceof HttpRequest) {
            cancel();
            inRequest = true;
            unanswered++;
        }
        if (msg instanceof LastHttpContent) {
            inRequest = false;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // Bytes that made no message, outside a request: the first of the next request's head.
        if (!decodedThisRead && !inRequest) {
            arm(ctx);
        }
        decodedThisRead = false;
        ctx.fireChannelReadComplete();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        boolean informational = msg instanceof HttpResponse response
                && response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
        if (msg instanceof LastHttpContent && !informational && unanswered > 0) {
            unanswered--;
        }
        ctx.write(msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    private void arm(ChannelHandlerContext ctx) {
        if (timer == null && !expired) {
            timer = ctx.executor().schedule(() -> expire(ctx), timeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void expire(ChannelHandlerContext ctx) {
        timer = null;
        if (!ctx.channel().isActive() || ctx.isRemoved()) {
            return;
        }
        expired = true;
        LOG.debug("event=request-head-timeout remote={}", ctx.channel().remoteAddress());
        if (unanswered > 0) {
            ctx.close();
            return;
        }
        FullHttpResponse response = RefusalResponses.netty(Refusal.of(Reason.REQUEST_TIMEOUT,
                "the request head did not arrive in time"));
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        NettyRefusals.answerAndClose(ctx, response);
    }
}
