package io.ssegateway.core;

/** Receives what a {@link Broker} delivers live. Called one at a time; must never block. */
public interface BrokerListener {

    /** A live event; stored events arrive in id order. Raw events have no id. */
    void onEvent(Event event);

    /**
     * Live delivery was interrupted (for example the pub/sub connection dropped and came back)
     * while the history stayed available: events published meanwhile must be caught up from
     * {@link Broker#replay}.
     */
    void onResync();
}
