package io.ssegateway.egress;

import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/**
 * The head of every {@code text/event-stream} response, a stream's and a transient refusal's
 * alike: a browser's EventSource tells them apart by nothing but the body.
 *
 * <p>An HTTP/1.0 client knows no chunked coding (RFC 9112 §7.1: a server must not send it to
 * one): its body is the bare event stream, ended by the close ({@link UnchunkedBody}).
 */
final class StreamHead {
    private StreamHead() {
    }

    /** True when the answer to {@code request} may use the chunked coding: HTTP/1.1 and later. */
    static boolean chunked(HttpRequest request) {
        return !HttpVersion.HTTP_1_0.equals(request.protocolVersion());
    }

    static HttpResponse create(HttpRequest request) {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        HttpHeaders h = head.headers();
        h.set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream");
        h.set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
        h.set("X-Accel-Buffering", "no");
        // A stream ends only by closing its connection, so the client must not pool it: a reused
        // connection would already be closed under the next request.
        h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        if (chunked(request)) {
            h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        return head;
    }
}
