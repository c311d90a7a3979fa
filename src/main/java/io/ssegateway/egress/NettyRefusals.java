package io.ssegateway.egress;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.ssegateway.core.Refusal;

/** A {@link Refusal} as a Netty response, for the handlers that answer before Micronaut's router. */
public final class NettyRefusals {
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
}
