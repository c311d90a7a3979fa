package io.ssegateway.egress;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.ssegateway.config.CorsPolicy;
import io.ssegateway.config.GatewayConfig;
import io.ssegateway.core.GatewayException;
import io.ssegateway.core.Reason;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What every stream has in common, whatever its route: admission (draining, connection limit),
 * CORS, the opening {@code retry:}, keepalives, the outbound bound and the maximum age.
 */
@Singleton
public class SseService {
    static final String PREFLIGHT_METHODS = "GET, OPTIONS";

    private final List<SseRoute> routes;
    private final GatewayConfig config;
    private final Connections connections;
    private final CorsPolicy cors;
    private final Provider<Drain> drain;
    private final OutboundBudget budget;
    private final TransientRefusal refusal;
    private final ReconnectDelay reconnectDelay;

    public SseService(List<SseRoute> routes, GatewayConfig config, Connections connections, CorsPolicy cors,
                      Provider<Drain> drain, OutboundBudget budget, TransientRefusal refusal,
                      ReconnectDelay reconnectDelay) {
        this.budget = budget;
        this.routes = routes;
        this.config = config;
        this.connections = connections;
        this.cors = cors;
        this.drain = drain;
        this.refusal = refusal;
        this.reconnectDelay = reconnectDelay;
    }

    /** The route that serves the request, or null; a path that cannot be decoded is refused. */
    SseRoute route(HttpRequest request) {
        String uri = request.uri();
        int q = uri.indexOf('?');
        String rawPath = q < 0 ? uri : uri.substring(0, q);
        String path = SseRequest.decode(() -> QueryStringDecoder.decodeComponent(rawPath));
        for (SseRoute route : routes) {
            if (route.serves(path)) {
                return route;
            }
        }
        return null;
    }

    SseRoute.Opening admit(SseRoute route, SseRequest request) {
        if (drain.get().isDraining()) {
            throw new GatewayException(Reason.DRAINING, "this instance is shutting down; reconnect to another");
        }
        return route.prepare(request);
    }

    /**
     * The kernel's send buffer for a stream. Left alone, Linux grows it up to tcp_wmem's maximum
     * (4 MB by default) for a client that stops reading, on top of our own outbound bound: a
     * lagging client was still not counted as slow after 10 s of a flat-out load, seconds
     * behind, and 5,000 such clients could hold gigabytes of kernel memory. Frames are small;
     * this (which the kernel doubles) still takes a burst or a replay slice in one write.
     */
    static final int KERNEL_SEND_BUFFER = 64 * 1024;

    /** Registers a stream for the channel, or returns null when the connection limit is reached. */
    SseStream open(Channel channel, SseRoute route, SseRequest request) {
        int high = Math.max(8 * 1024, config.outboundBuffer());
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(high / 2, high));
        channel.config().setOption(ChannelOption.SO_SNDBUF, KERNEL_SEND_BUFFER);
        StreamIdentity identity = new StreamIdentity(route.name(), route.kind(), request.remote(), request.path());
        SseStream stream = new SseStream(channel, connections, budget, identity, config.keepaliveInterval().toNanos());
        return connections.tryAdd(stream, config.maxConnections()) ? stream : null;
    }

    /**
     * Opens the stream: the headers and {@code retry:} leave in one flush, after the route has
     * started (for a subscription: after it is registered with the hub). So a client that has
     * the response headers is already receiving live events.
     */
    void start(SseStream stream, SseRoute.Opening opening) {
        stream.open(config.retry(), reconnectDelay::nextMillis);
        Duration maxAge = config.maxConnectionAge();
        if (maxAge != null && !maxAge.isZero() && !maxAge.isNegative()) {
            stream.closeAfter(MaxAge.jittered(maxAge, config.maxConnectionAgeJitter()), "maximum connection age reached");
        }
        opening.start(stream);
        stream.flush();
    }

    /** Turns the request away for now, in the form an EventSource survives: see {@link TransientRefusal}. */
    void refuseForNow(ChannelHandlerContext ctx, HttpRequest request, String origin, TransientRefusal.Cause cause) {
        refusal.write(ctx, request, origin, cause);
    }

    /** Adds the CORS headers for {@code origin}; {@code preflight} for the answer to an {@code OPTIONS} preflight. */
    void cors(String origin, HttpHeaders headers, boolean preflight) {
        cors.headers(origin, preflight ? PREFLIGHT_METHODS : null).forEach(headers::add);
    }

    /** The CORS headers of an answer (not a preflight's) to a request from {@code origin}. */
    Map<String, String> corsHeaders(String origin) {
        return cors.headers(origin, null);
    }

    boolean originAllowed(String origin) {
        return cors.allowOrigin(origin) != null;
    }
}
