package io.ssegateway.egress;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;

import java.util.List;

/**
 * The one transfer coding a request may use is {@code chunked}, alone (RFC 9112 §6.1). Netty's
 * decoder reads a body as chunked only when the header says exactly that and otherwise by its
 * {@code Content-Length}: {@code Transfer-Encoding: xchunked} was accepted and its body read as
 * something else than the sender meant, the mismatch request smuggling through a proxy lives on.
 * Nor may a request carry a length and a transfer coding at once.
 */
final class TransferCoding {
    private TransferCoding() {
    }

    /** True when the request names a transfer coding other than a single {@code chunked}. */
    static boolean unsupported(HttpRequest request) {
        List<String> values = request.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING);
        if (values.isEmpty()) {
            return false;
        }
        return values.size() != 1 || !values.get(0).trim().equalsIgnoreCase("chunked");
    }

    /**
     * True when the request has both a {@code Content-Length} and a {@code Transfer-Encoding}
     * (the decoder may have dropped the length already: {@link FramingHeaders}). RFC 9112 §6.3:
     * such a message "ought to be handled as an error", and the connection closed after it.
     */
    static boolean ambiguousLength(HttpRequest request) {
        HttpHeaders h = request.headers();
        return h.contains(HttpHeaderNames.TRANSFER_ENCODING)
                && (h.contains(HttpHeaderNames.CONTENT_LENGTH) || FramingHeaders.contentLengthDropped(h));
    }
}
