package io.ssegateway.core;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where events are stored and from where they fan out: the one seam between the gateway and
 * its backend ({@link LocalBroker} in process, {@code RedisBroker} across instances).
 *
 * <p>Guarantees every implementation gives (the shared contract tests check them):
 * <ul>
 *   <li><b>Atomic publish.</b> Saving an event to history and publishing it live are one step:
 *       when {@link #publish} completes normally the event is in history and on its way to
 *       every listener. When it fails with {@link Reason#BROKER_UNAVAILABLE} it is in
 *       neither; when the outcome cannot be known (the backend was asked and did not answer)
 *       it fails with {@link Reason#PUBLISH_OUTCOME_UNKNOWN}: then it is in both or in
 *       neither, never in one only.</li>
 *   <li><b>Total order.</b> Ids are increasing across all namespaces within one epoch, and the
 *       listener sees stored events in id order.</li>
 *   <li><b>Exact replay.</b> {@link #replay} returns, in id order and once each, the retained
 *       events after a given id in the namespaces covered by the topics, or says there is a
 *       gap when some of them are no longer retained or the id is not of this history.</li>
 *   <li><b>Replay cost bounded by what is sent.</b> One replay reads about {@code limit}
 *       entries however many namespaces it covers and however long their histories are; an
 *       unknown id costs no more than the newest {@code limit}.</li>
 *   <li><b>Never blocks the caller.</b> Every method returns at once; the listener is called
 *       on the broker's own thread(s), one call at a time, and must not block either.</li>
 * </ul>
 */
public interface Broker extends AutoCloseable {

    /** Gives the draft an id, stores it and publishes it, atomically. */
    CompletableFuture<Event> publish(EventDraft draft);

    /**
     * One event of a request with an {@code Idempotency-Key}, on every instance of a cluster at
     * most once within the key's window: checks the key's record, and either publishes the event
     * and adds its id to the record in the same atomic step (a key is never remembered for an
     * event that was not published, nor an event published without its key), or publishes
     * nothing and says why. Fails as {@link #publish} does.
     */
    CompletableFuture<KeyedResult> publish(EventDraft draft, KeyedStep step);

    /**
     * Refuses, before any of it is published, a request this broker cannot publish as asked (a
     * sharded broker: an event whose namespaces are on different shards, or a keyed batch that
     * spans shards, whose key record could not be kept beside each event). Throws
     * {@link GatewayException}; the default accepts everything.
     */
    default void checkPublishable(List<EventDraft> drafts, boolean keyed) {
    }

    /**
     * Retained events after {@code after} (null: from the oldest retained) whose namespaces are
     * covered by any of {@code topics}, at most {@code limit} of the newest.
     */
    CompletableFuture<Replay> replay(List<Namespace> topics, EventId after, int limit);

    /**
     * Retained events published at or after {@code sinceMillis} (the millis of their ids) whose
     * namespaces are covered by any of {@code topics}, at most {@code limit} of the newest; a gap
     * when the time is older than the age bound, a horizon is at or past it, or more remain.
     */
    CompletableFuture<Replay> replaySince(List<Namespace> topics, long sinceMillis, int limit);

    /** The newest id given out so far, or null when the history is empty. */
    CompletableFuture<EventId> head();

    /** Registers the one consumer of live events (the hub). Called once, before traffic. */
    void listen(BrokerListener listener);

    /** True while publishes can be accepted and live delivery is known to work. */
    boolean isHealthy();

    /** A short name for logs and status: {@code local} or {@code redis}. */
    String kind();

    @Override
    void close();
}
