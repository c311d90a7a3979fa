package io.ssegateway.core;

/**
 * The one observer of what the gateway does, for metrics, so that the core and the transport
 * report without knowing who listens (after Mercure's {@code Metrics} and {@code NopMetrics}).
 * Every method does nothing by default, and {@link #NONE} is that no-op observer.
 *
 * <p>Threads: each method says where it is called. None may block: they run on the publishing
 * thread or on a connection's event loop, where a wait would hold up every stream of that loop.
 */
public interface Metrics {
    Metrics NONE = new Metrics() { };

    /**
     * An event was accepted for publishing. On the thread that completed the publish.
     *
     * @param source the ingress it came through, such as {@code http} or {@code control}
     * @param latencyNanos time from the validated publish to the broker's acceptance
     */
    default void published(Event event, String source, long latencyNanos) {
    }

    /**
     * A client's resume ({@code Last-Event-ID}) was answered. On the subscription's executor.
     *
     * @param gap true when the stream began with a {@code history-gap} event: the id was
     *     unknown, malformed or older than the retained history
     * @param replayed how many retained events were written to the client
     */
    default void resumed(boolean gap, int replayed) {
    }

    /**
     * A live subscription was caught up from history after live delivery was interrupted. On
     * the subscription's executor.
     */
    default void caughtUp(int replayed) {
    }

    /**
     * A first connect with {@code rewind} or {@code since} was answered. On the subscription's
     * executor.
     *
     * @param gap true when the stream began with a {@code history-gap} event
     */
    default void rewound(boolean gap, int replayed) {
    }

    /**
     * A read of history failed (timed out, refused, Redis gone): the stream was closed. On the
     * subscription's executor.
     */
    default void replayFailed() {
    }

    /** A stream was opened on the named route ({@code subscribe}, {@code time}…). On its event loop. */
    default void streamOpened(String route) {
    }

    /** A stream of the named route ended, whoever ended it. On its event loop. */
    default void streamClosed(String route) {
    }

    /**
     * Events were written to one stream: counted per flush, not per event, because a shared
     * counter touched on every delivery was measurable under fan-out. On its event loop.
     */
    default void delivered(int events) {
    }

    /** A stream was cut because its client fell behind the outbound bound. On its event loop. */
    default void slowCut() {
    }
}
