package io.ssegateway.ingress;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.ssegateway.core.Refusal;

/**
 * A {@link Refusal} as a response: for the controllers, filters and error handlers a Micronaut
 * response, for the handlers that answer before Micronaut's router (the stream route, the
 * request gate, the request-head timeout) a Netty one. Both copy the refusal's status, headers
 * and body as they are and add nothing of their own but the content type, so an answer reads
 * the same whichever layer gave it.
 */
public final class RefusalResponses {
    private RefusalResponses() {
    }

    /** The refusal as a Micronaut response. */
    public static MutableHttpResponse<String> http(Refusal refusal) {
        MutableHttpResponse<String> response = HttpResponse.<String>status(HttpStatus.valueOf(refusal.status()))
                .body(refusal.body())
                .contentType(Refusal.CONTENT_TYPE);
        refusal.headers().forEach(response::header);
        return response;
    }

    /** The refusal as a full Netty response, with its length set; keep-alive is the caller's decision. */
    public static FullHttpResponse netty(Refusal refusal) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(refusal.status()), Unpooled.wrappedBuffer(refusal.bodyBytes()));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, Refusal.CONTENT_TYPE);
        refusal.headers().forEach(response.headers()::set);
        HttpUtil.setContentLength(response, response.content().readableBytes());
        return response;
    }
}
