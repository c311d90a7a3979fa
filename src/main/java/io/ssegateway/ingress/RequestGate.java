package io.ssegateway.ingress;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.ssegateway.config.CorsPolicy;
import io.ssegateway.core.Refusal;
import io.ssegateway.egress.NettyRefusals;

/**
 * Sits before the routes on every HTTP/1.1 connection and applies {@link HeaderChecks} to each
 * request head. A refused request is answered at once, before {@code 100 Continue} (which only
 * the route sends, so only a request that will be taken gets one); when its body has not been
 * read, the answer says {@code Connection: close}, what still arrives is dropped unread, and the
 * connection closes. A body the route bounds below the server's limit ({@code /login}) is
 * collected here within that bound, so the bound holds while it is read, not after.
 */
public final class RequestGate extends ChannelInboundHandlerAdapter {
    private enum Mode { PASS, COLLECT, DROP }

    private final HeaderChecks checks;
    private final CorsPolicy cors;
    private Mode mode = Mode.PASS;
    private HttpRequest held;
    private CompositeByteBuf body;
    private long limit;

    public RequestGate(HeaderChecks checks, CorsPolicy cors) {
        this.checks = checks;
        this.cors = cors;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        switch (mode) {
            case DROP -> ReferenceCountUtil.release(msg);
            case COLLECT -> collect(ctx, msg);
            case PASS -> {
                if (msg instanceof HttpRequest request && !request.decoderResult().isFailure()) {
                    admit(ctx, request);
                } else {
                    ctx.fireChannelRead(msg);
                }
            }
        }
    }

    private void admit(ChannelHandlerContext ctx, HttpRequest request) {
        HeaderChecks.Verdict verdict = checks.check(request);
        if (verdict.refusal() != null) {
            refuse(ctx, request, verdict.refusal(), !(request instanceof LastHttpContent));
            return;
        }
        if (!verdict.collect() || request instanceof LastHttpContent) {
            ctx.fireChannelRead(request);
            return;
        }
        mode = Mode.COLLECT;
        held = request;
        limit = verdict.bodyLimit();
        body = ctx.alloc().compositeBuffer();
        if (HttpUtil.is100ContinueExpected(request)) {
            // The body is taken here, so the go-ahead comes from here too; the route must not send a second.
            request.headers().remove(HttpHeaderNames.EXPECT);
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        }
    }

    private void collect(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HttpContent content)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        ByteBuf bytes = content.content();
        if (body.readableBytes() + (long) bytes.readableBytes() > limit) {
            content.release();
            release();
            refuse(ctx, null, Refusal.bodyTooLarge(limit),
                    !(msg instanceof LastHttpContent));
            return;
        }
        body.addComponent(true, bytes.retain());
        content.release();
        if (msg instanceof LastHttpContent) {
            HttpRequest request = held;
            ByteBuf whole = body;
            held = null;
            body = null;
            mode = Mode.PASS;
            request.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
            HttpUtil.setContentLength(request, whole.readableBytes());
            ctx.fireChannelRead(request);
            ctx.fireChannelRead(new DefaultLastHttpContent(whole));
        }
    }

    /**
     * Answers a refusal. With the body still unread the connection cannot carry another request
     * (its next bytes are that body), so the answer closes it; the output is shut first and what
     * the client still sends is dropped for a moment, so that it reads the answer instead of a
     * reset.
     */
    private void refuse(ChannelHandlerContext ctx, HttpRequest request, Refusal refusal, boolean bodyUnread) {
        String origin = request == null ? null : request.headers().get(HttpHeaderNames.ORIGIN);
        FullHttpResponse response = RefusalResponses.netty(refusal.with(cors.headers(origin, null)));
        boolean keepAlive = !bodyUnread && request != null && HttpUtil.isKeepAlive(request);
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        if (request != null) {
            ReferenceCountUtil.release(request);
        }
        if (keepAlive) {
            ctx.writeAndFlush(response);
            return;
        }
        mode = Mode.DROP;
        NettyRefusals.answerAndClose(ctx, response);
    }

    private void release() {
        if (body != null) {
            body.release();
            body = null;
        }
        if (held != null) {
            ReferenceCountUtil.release(held);
            held = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        release();
        super.channelInactive(ctx);
    }
}
