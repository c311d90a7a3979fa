package io.ssegateway.egress;

import io.micronaut.http.server.netty.configuration.NettyHttpServerConfiguration;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpServerCodec;

/**
 * Request headers that remember a {@code Content-Length} the decoder dropped. Netty's decoder,
 * given both {@code Content-Length} and {@code Transfer-Encoding: chunked}, removes the length and
 * reads the body as chunked, silently: the request then looks like any chunked one and the
 * connection stays open, though a proxy in front may have framed it by its length and sent a
 * second request inside what we read as this one's body (request smuggling, RFC 9112 §6.3).
 * Netty has no setting for it and hides its decoder; what it does let us choose is the headers
 * object it decodes into, so the gateway's HTTP/1.1 codec is Micronaut's, built from the same
 * settings, with these headers.
 */
final class FramingHeaders extends DefaultHttpHeaders {
    private boolean contentLengthDropped;

    private FramingHeaders(DefaultHttpHeadersFactory like) {
        super(like.getNameValidator(), like.getValueValidator());
    }

    /** True when a {@code Content-Length} was removed from {@code headers} while it also named a transfer coding. */
    static boolean contentLengthDropped(HttpHeaders headers) {
        return headers instanceof FramingHeaders framing && framing.contentLengthDropped;
    }

    @Override
    public HttpHeaders remove(String name) {
        return remove((CharSequence) name);
    }

    @Override
    public HttpHeaders remove(CharSequence name) {
        // Only with a Transfer-Encoding already there: that is the decoder's case. A decompressor
        // that swaps a length for chunked removes the length first and adds the coding after.
        if (HttpHeaderNames.CONTENT_LENGTH.contentEqualsIgnoreCase(name) && contains(name)
                && contains(HttpHeaderNames.TRANSFER_ENCODING)) {
            contentLengthDropped = true;
        }
        return super.remove(name);
    }

    /** The codec Micronaut builds for an HTTP/1.1 connection (same bounds), decoding into these headers. */
    static HttpServerCodec codec(NettyHttpServerConfiguration server) {
        HttpDecoderConfig config = new HttpDecoderConfig()
                .setMaxInitialLineLength(server.getMaxInitialLineLength())
                .setMaxHeaderSize(server.getMaxHeaderSize())
                .setMaxChunkSize(server.getMaxChunkSize())
                .setValidateHeaders(server.isValidateHeaders())
                .setInitialBufferSize(server.getInitialBufferSize());
        DefaultHttpHeadersFactory base = (DefaultHttpHeadersFactory) config.getHeadersFactory();
        config.setHeadersFactory(new HttpHeadersFactory() {
            @Override
            public HttpHeaders newHeaders() {
                return new FramingHeaders(base);
            }

            @Override
            public HttpHeaders newEmptyHeaders() {
                return base.newEmptyHeaders();
            }
        });
        return new HttpServerCodec(config);
    }
}
