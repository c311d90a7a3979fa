package io.ssegateway.egress;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.ssegateway.core.GatewayException;
import io.ssegateway.core.Reason;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What an SSE route sees of the request that opens a stream: the decoded path and query, the
 * headers, and the client's address as {@code ip:port}.
 */
public final class SseRequest {
    /** Bounds the query a stream request may carry; more is refused before parsing. */
    static final int MAX_QUERY_PARAMS = 256;

    private final String path;
    private final Map<String, List<String>> query;
    private final HttpHeaders headers;
    private final String remote;

    SseRequest(String uri, HttpHeaders headers, SocketAddress remoteAddress) {
        QueryStringDecoder decoder = new QueryStringDecoder(uri, java.nio.charset.StandardCharsets.UTF_8, true, MAX_QUERY_PARAMS);
        this.path = decode(decoder::path);
        this.query = decode(decoder::parameters);
        this.headers = headers;
        this.remote = remote(remoteAddress);
    }

    /**
     * Runs a percent-decoding step, refusing a bad escape ({@code %zz}) with a 400. Netty's
     * message quotes the whole URI, which may hold an {@code access_token}: it is not passed on.
     */
    static <T> T decode(Supplier<T> step) {
        try {
            return step.get();
        } catch (IllegalArgumentException e) {
            throw new GatewayException(Reason.MALFORMED_REQUEST, "the request URI has an invalid percent-escape");
        }
    }

    static String remote(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            String host = inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString();
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }

    public String path() {
        return path;
    }

    public String header(CharSequence name) {
        return headers.get(name);
    }

    /** The first value of a query parameter, or null. */
    public String param(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public List<String> params(String name) {
        return query.getOrDefault(name, List.of());
    }

    /** The client's address, {@code ip:port}, as in sse-server's status page. */
    public String remote() {
        return remote;
    }
}
