package io.ssegateway.egress;

import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/**
 * The head of every {@code text/event-stream} response, a stream's and a transient refusal's
 * alike: a browser's EventSource tells them apart by nothing but the body.
 */
final class StreamHead {
    private StreamHead() {
    }

    static HttpResponse create() {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        HttpHeaders h = head.headers();
        h.set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream");
        h.set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
        h.set("X-Accel-Buffering", "no");
        // A stream ends only by closing its connection, so the client must not pool it: a reused
        // connection would already be closed under the next request.
        h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        return head;
    }
}
