package io.ssegateway.egress;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import io.ssegateway.config.CorsPolicy;
import io.ssegateway.core.GatewayException;
import io.ssegateway.core.Reason;
import io.ssegateway.core.Refusal;
import io.ssegateway.ingress.RefusalResponses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits in front of Micronaut's request handler on every HTTP/1.1 connection and takes the
 * requests for SSE routes, and, whatever their path, those that could not be decoded (a URL or
 * header block over its bound, a bad percent-escape); everything else passes through untouched.
 *
 * <p>A connection that became a stream belongs to its {@link SseStream} until it closes: the
 * HTTP handlers leave its pipeline, and what the client sends after that is read and dropped,
 * which is also how a closed connection is noticed promptly.
 */
final class SseRouter extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(SseRouter.class);

    /**
     * {@code PASS}: to Micronaut; {@code SWALLOW}: the rest of a request answered here;
     * {@code STREAM}: the connection is a stream; {@code CLOSING}: answered a request whose
     * framing cannot be trusted, so nothing after it is read as a request.
     */
    private enum Mode { PASS, SWALLOW, STREAM, CLOSING }

    private final SseService service;
    private Mode mode = Mode.PASS;
    private SseStream stream;

    SseRouter(SseService service) {
        this.service = service;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request && mode != Mode.STREAM && mode != Mode.CLOSING) {
            if (request.decoderResult().isFailure()) {
                // The decoder keeps what it read of a request line or headers that broke a
                // bound and drops the rest: such a request must not reach any route.
                ReferenceCountUtil.release(msg);
                refuseUnreadable(ctx, request.decoderResult().cause());
                return;
            }
            if (TransferCoding.unsupported(request)) {
                ReferenceCountUtil.release(msg);
                refuseUnreadable(ctx, Refusal.of(Reason.UNSUPPORTED_TRANSFER_CODING, "the only transfer coding accepted is chunked"));
                return;
            }
            if (TransferCoding.ambiguousLength(request)) {
                ReferenceCountUtil.release(msg);
                refuseUnreadable(ctx, Refusal.of(Reason.MALFORMED_REQUEST,
                        "a request may not have both Content-Length and Transfer-Encoding"));
                return;
            }
            SseRoute route;
            try {
                route = service.route(request);
            } catch (GatewayException e) {
                mode = Mode.SWALLOW;
                ReferenceCountUtil.release(msg);
                refuse(ctx, request, null, e);
                return;
            }
            if (route == null) {
                mode = Mode.PASS;
                ctx.fireChannelRead(msg);
                return;
            }
            mode = Mode.SWALLOW;
            try {
                handle(ctx, request, route);
            } finally {
                if (msg instanceof LastHttpContent && mode == Mode.SWALLOW) {
                    mode = Mode.PASS;
                }
                ReferenceCountUtil.release(msg);
            }
            return;
        }
        switch (mode) {
            case PASS -> ctx.fireChannelRead(msg);
            case SWALLOW -> {
                if (msg instanceof LastHttpContent) {
                    mode = Mode.PASS;
                }
                ReferenceCountUtil.release(msg);
            }
            case STREAM, CLOSING -> ReferenceCountUtil.release(msg);
        }
    }

    private void handle(ChannelHandlerContext ctx, HttpRequest request, SseRoute route) {
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        if (HttpMethod.OPTIONS.equals(request.method())) {
            preflight(ctx, request, origin);
            return;
        }
        if (!HttpMethod.GET.equals(request.method())) {
            refuse(ctx, request, origin, Refusal.of(Reason.METHOD_NOT_ALLOWED, "use GET for an event stream")
                    .with(Refusal.ALLOW, SseService.PREFLIGHT_METHODS));
            return;
        }
        SseRequest sseRequest;
        SseRoute.Opening opening;
        try {
            sseRequest = new SseRequest(request.uri(), request.headers(), ctx.channel().remoteAddress());
            opening = service.admit(route, sseRequest);
        } catch (GatewayException e) {
            refuse(ctx, request, origin, e);
            return;
        } catch (RuntimeException e) {
            // The class only: messages of codec exceptions quote the URI, and with it any access_token.
            LOG.warn("event=stream-refused reason=INTERNAL error={}", e.getClass().getName());
            refuse(ctx, request, origin, Refusal.internal());
            return;
        }
        SseStream opened = service.open(ctx.channel(), route, sseRequest);
        if (opened == null) {
            service.refuseForNow(ctx, request, origin, TransientRefusal.Cause.TOO_MANY_CONNECTIONS);
            return;
        }
        mode = Mode.STREAM;
        stream = opened;
        // Reads continue so a client that goes away is noticed at once.
        ctx.channel().config().setAutoRead(true);
        HttpResponse head = StreamHead.create(request);
        service.cors(origin, head.headers(), false);
        ctx.write(head, ctx.voidPromise());
        leaveHttp(ctx);
        if (!StreamHead.chunked(request)) {
            ctx.pipeline().addBefore(ctx.name(), "unchunked-body", new UnchunkedBody());
        }
        service.start(opened, opening);
    }

    /**
     * After the head, the connection carries only chunks the stream encodes itself and is never
     * an HTTP exchange again ({@code Connection: close}). The handlers between here and the
     * socket would only walk every write: the HTTP encoder frames each one again, and the idle
     * handler hangs a listener on each write's promise, which together were the largest part
     * of a profile under fan-out load. The handlers after this one are never reached by a
     * stream. So all of them leave the pipeline, and the state they hold goes with them; TLS
     * stays. Called on the event loop, after the head went through the encoder.
     */
    private static void leaveHttp(ChannelHandlerContext ctx) {
        ChannelPipeline pipeline = ctx.pipeline();
        for (ChannelHandler handler : pipeline.toMap().values()) {
            if (handler != ctx.handler() && !(handler instanceof SslHandler)) {
                pipeline.remove(handler);
            }
        }
    }

    /**
     * {@code OPTIONS}: a CORS preflight from an allowed origin gets the policy's headers, one
     * from any other origin a 403; a plain {@code OPTIONS} learns the methods.
     */
    private void preflight(ChannelHandlerContext ctx, HttpRequest request, String origin) {
        HttpHeaders h = request.headers();
        if (CorsPolicy.isPreflight(request.method().name(), origin, h.get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD))
                && !service.originAllowed(origin)) {
            refuse(ctx, request, origin, Refusal.ORIGIN_REFUSED);
            return;
        }
        FullHttpResponse answer = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT);
        answer.headers().set(HttpHeaderNames.ALLOW, SseService.PREFLIGHT_METHODS);
        service.cors(origin, answer.headers(), true);
        respond(ctx, request, answer);
    }

    /** A request line or header block over its bound, or not HTTP: answered, then the connection closes. */
    private void refuseUnreadable(ChannelHandlerContext ctx, Throwable cause) {
        refuseUnreadable(ctx, cause instanceof TooLongHttpLineException
                ? Refusal.of(Reason.URI_TOO_LONG, "the request line is longer than this server accepts")
                : cause instanceof TooLongHttpHeaderException
                ? Refusal.of(Reason.HEADERS_TOO_LARGE, "the request headers are larger than this server accepts")
                : Refusal.of(Reason.MALFORMED_REQUEST, "the request is not valid HTTP"));
    }

    /**
     * A request whose framing cannot be trusted: what follows its head on the connection may be
     * its body or another request, so nothing more is read from it; answered, then closed.
     */
    private void refuseUnreadable(ChannelHandlerContext ctx, Refusal refusal) {
        LOG.debug("event=request-refused reason={}", refusal.code());
        mode = Mode.CLOSING;
        FullHttpResponse response = RefusalResponses.netty(refusal);
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        NettyRefusals.answerAndClose(ctx, response);
    }

    private void refuse(ChannelHandlerContext ctx, HttpRequest request, String origin, GatewayException e) {
        Reason reason = e.reason();
        TransientRefusal.Cause forNow = TransientRefusal.Cause.of(reason);
        if (forNow != null) {
            service.refuseForNow(ctx, request, origin, forNow);
            return;
        }
        refuse(ctx, request, origin, Refusal.of(e));
    }

    private void refuse(ChannelHandlerContext ctx, HttpRequest request, String origin, Refusal refusal) {
        respond(ctx, request, RefusalResponses.netty(refusal.with(service.corsHeaders(origin))));
    }

    private void respond(ChannelHandlerContext ctx, HttpRequest request, FullHttpResponse response) {
        HttpUtil.setContentLength(response, response.content().readableBytes());
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        HttpUtil.setKeepAlive(response, keepAlive);
        var future = ctx.writeAndFlush(response);
        if (!keepAlive) {
            future.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (stream != null) {
            stream.ended();
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (mode == Mode.STREAM) {
            // A reset by the client is the normal end of a stream.
            LOG.debug("event=stream-error remote={} error={}", stream.identity().remote(), cause.toString());
            ctx.close();
        } else {
            ctx.fireExceptionCaught(cause);
        }
    }
}
