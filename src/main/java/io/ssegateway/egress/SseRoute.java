package io.ssegateway.egress;

/**
 * A server-sent events endpoint served by the gateway's own stream writer rather than by a
 * controller, so that every byte on the wire comes from the gateway's encoder.
 */
public interface SseRoute {

    /** A short name for metrics and status, such as {@code subscribe} or {@code time}. */
    String name();

    /** What kind of stream this route serves, for status: a subscription or one the gateway makes. */
    StreamKind kind();

    /** True when this route serves the decoded request path. */
    boolean serves(String path);

    /**
     * Checks the request before anything is written. Throws a
     * {@link io.ssegateway.core.GatewayException} to refuse it (its reason gives the HTTP status);
     * otherwise returns what to run once the stream is open.
     */
    Opening prepare(SseRequest request);

    /** Starts the stream's content, on the stream's event loop, after the opening was flushed. */
    @FunctionalInterface
    interface Opening {
        void start(SseStream stream);
    }
}
