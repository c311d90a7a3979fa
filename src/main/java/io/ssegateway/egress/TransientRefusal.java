package io.ssegateway.egress;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.ssegateway.config.CorsPolicy;
import io.ssegateway.core.Reason;
import io.ssegateway.core.SseEncoder;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Refuses a stream request in the one form a browser's EventSource survives (SPEC §3): any answer
 * but {@code 200 text/event-stream} "fails the connection" for good (WHATWG HTML), so a
 * {@code 503} at the connection limit or during a drain ended every client that reached an
 * instance without a retrying proxy in front. Instead: the stream's own head (with CORS, or a
 * cross-origin EventSource rejects it), a comment saying why for people with curl, a
 * {@code retry:} drawn at random ({@link ReconnectDelay}), no event, the end of the body, close.
 * The client reconnects later, through the load balancer, most likely elsewhere.
 */
@Singleton
public final class TransientRefusal {
    private static final Logger LOG = LoggerFactory.getLogger(TransientRefusal.class);

    /** Why a stream was turned away for now; {@link #tag()} is the comment and the metric's label. */
    public enum Cause {
        DRAINING("draining"),
        TOO_MANY_CONNECTIONS("too-many-connections");

        private final String tag;

        Cause(String tag) {
            this.tag = tag;
        }

        public String tag() {
            return tag;
        }

        /** The cause for a refusal's reason code, or null when the refusal is permanent. */
        static Cause of(Reason reason) {
            return switch (reason) {
                case DRAINING -> DRAINING;
                case TOO_MANY_CONNECTIONS -> TOO_MANY_CONNECTIONS;
                default -> null;
            };
        }
    }

    private final ReconnectDelay delay;
    private final CorsPolicy cors;
    private final Map<Cause, LongAdder> refused = new EnumMap<>(Cause.class);

    public TransientRefusal(ReconnectDelay delay, CorsPolicy cors) {
        this.delay = delay;
        this.cors = cors;
        for (Cause cause : Cause.values()) {
            refused.put(cause, new LongAdder());
        }
    }

    /** Answers the request on {@code ctx} (still an HTTP exchange) and closes the connection. */
    void write(ChannelHandlerContext ctx, HttpRequest request, String origin, Cause cause) {
        long retry = delay.nextMillis();
        refused.get(cause).increment();
        // Debug: at the connection limit every refused client comes back every few seconds.
        LOG.debug("event=stream-refused reason={} retry={} remote={}", cause.tag(), retry, ctx.channel().remoteAddress());
        HttpResponse head = StreamHead.create(request);
        cors.headers(origin, null).forEach(head.headers()::add);
        ctx.write(head, ctx.voidPromise());
        ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer(body(cause, retry))), ctx.voidPromise());
        ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
    }

    static byte[] body(Cause cause, long retryMillis) {
        byte[] comment = (": " + cause.tag() + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] retry = SseEncoder.retry(retryMillis);
        byte[] body = new byte[comment.length + retry.length];
        System.arraycopy(comment, 0, body, 0, comment.length);
        System.arraycopy(retry, 0, body, comment.length, retry.length);
        return body;
    }

    /** Stream requests refused for {@code cause} since start. */
    public long refused(Cause cause) {
        return refused.get(cause).sum();
    }
}
