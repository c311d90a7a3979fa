package io.ssegateway.core;

/**
 * Hears how the hub's replays turn out, for metrics, without the core knowing who listens.
 *
 * <p>Called on the subscription's executor (a connection's event loop in the server), so an
 * implementation must not block; both methods do nothing by default.
 */
public interface HubObserver {
    HubObserver NONE = new HubObserver() { };

    /**
     * A client's resume ({@code Last-Event-ID}) was answered.
     *
     * @param gap true when the stream began with a {@code history-gap} event: the id was
     *     unknown, malformed or older than the retained history
     * @param replayed how many retained events were written to the client
     */
    default void resumed(boolean gap, int replayed) {
    }

    /** A live subscription was caught up from history after live delivery was interrupted. */
    default void caughtUp(int replayed) {
    }

    /**
     * A first connect with {@code rewind} or {@code since} was answered.
     *
     * @param gap true when the stream began with a {@code history-gap} event
     */
    default void rewound(boolean gap, int replayed) {
    }

    /** A read of history failed (timed out, refused, Redis gone): the stream was closed. */
    default void replayFailed() {
    }
}
