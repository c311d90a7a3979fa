package io.ssegateway.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Publishes by HTTP POST, the payload as the body: the gateway's {@code /publish/<ns>} or
 * Nchan's publisher location. Each lane is one keep-alive connection with requests pipelined
 * up to the window; answers come back in order, so each one settles the oldest request.
 */
final class HttpPublisher extends PacedPublisher {
    private final URI uri;
    private final String path;
    private final String authorization;
    private final Channel[] channels;
    private volatile boolean closing;

    HttpPublisher(URI uri, String token, int lanes, int window) {
        super(lanes, window);
        this.uri = uri;
        this.path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        this.authorization = token == null || token.isEmpty() ? null : "Bearer " + token;
        this.channels = new Channel[lanes];
    }

    @Override
    void connect() throws Exception {
        for (int lane = 0; lane < lanes(); lane++) {
            channels[lane] = open(lane).sync().channel();
        }
    }

    private io.netty.channel.ChannelFuture open(int lane) {
        return new Bootstrap()
                .group(loop)
                .channel(Transport.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new Answers(lane));
                    }
                })
                .connect(uri.getHost(), uri.getPort());
    }

    @Override
    protected void send(int lane, String payload) {
        ByteBuf body = Unpooled.wrappedBuffer(payload.getBytes(StandardCharsets.UTF_8));
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, path, body);
        request.headers()
                .set(HttpHeaderNames.HOST, uri.getHost() + ":" + uri.getPort())
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN)
                .set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        if (authorization != null) {
            request.headers().set(HttpHeaderNames.AUTHORIZATION, authorization);
        }
        Channel ch = channels[lane];
        ch.writeAndFlush(request, ch.voidPromise());
    }

    @Override
    protected boolean ready(int lane) {
        return channels[lane].isActive();
    }

    private final class Answers extends ChannelInboundHandlerAdapter {
        private final int lane;
        private boolean ok;

        Answers(int lane) {
            this.lane = lane;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpResponse response) {
                    int code = response.status().code();
                    ok = code >= 200 && code < 300;
                }
                if (msg instanceof LastHttpContent) {
                    answered(lane, ok);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        /**
         * Servers close keep-alive connections after some requests (nginx: 1,000 by default):
         * what was unanswered is counted as failed, and the lane goes on on a new connection.
         */
        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            lost(lane);
            if (!closing) {
                open(lane).addListener((io.netty.channel.ChannelFutureListener) f -> {
                    if (f.isSuccess()) {
                        channels[lane] = f.channel();
                    }
                });
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    @Override
    public void close() {
        closing = true;
        for (Channel ch : channels) {
            if (ch != null) {
                ch.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
            }
        }
        super.close();
    }
}
