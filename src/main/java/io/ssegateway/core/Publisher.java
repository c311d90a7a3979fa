package io.ssegateway.core;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The one way into the broker. Every ingress (HTTP, control port, FIFO) publishes through here,
 * so every event gets the same checks: the payload bound, the caller's grant, and the event
 * validation done by {@link EventDraft}.
 */
public final class Publisher {
    private final Broker broker;
    private final int maxPayloadBytes;
    private final StoredBytesLimit storedBytes;
    private final KeyedPublisher keyed;
    private volatile Metrics metrics = Metrics.NONE;

    public Publisher(Broker broker, int maxPayloadBytes) {
        this(broker, maxPayloadBytes, new StoredBytesLimit(StoredBytesLimit.DEFAULT_BYTES));
    }

    public Publisher(Broker broker, int maxPayloadBytes, StoredBytesLimit storedBytes) {
        this.broker = broker;
        this.maxPayloadBytes = maxPayloadBytes;
        this.storedBytes = storedBytes;
        this.keyed = new KeyedPublisher(broker);
    }

    /** Registers the one observer that hears of every accepted publish; replaces the previous one. */
    public void observe(Metrics metrics) {
        this.metrics = metrics;
    }

    public int maxPayloadBytes() {
        return maxPayloadBytes;
    }

    /** Checks a draft against the limits and the grant without publishing it. */
    public void check(EventDraft draft, PublishGrant grant) {
        String data = draft.data();
        // Cheap test first: a UTF-16 char is at most 3 UTF-8 bytes.
        if ((long) data.length() * 3 > maxPayloadBytes
                && data.getBytes(StandardCharsets.UTF_8).length > maxPayloadBytes) {
            throw new GatewayException(Reason.PAYLOAD_TOO_LARGE, "data is larger than " + maxPayloadBytes + " bytes");
        }
        for (Namespace n : draft.namespaces()) {
            if (!grant.allows(n)) {
                throw new GatewayException(Reason.FORBIDDEN, "not allowed to publish to " + n);
            }
        }
    }

    /**
     * Publishes one event. Fails fast with a {@link GatewayException} for bad input; the future
     * fails with {@link Reason#BROKER_UNAVAILABLE} when the broker could not take it (nothing
     * was published), or {@link Reason#PUBLISH_OUTCOME_UNKNOWN} when it may have been.
     */
    public CompletableFuture<Event> publish(EventDraft draft, PublishGrant grant, String source) {
        check(draft, grant);
        storedBytes.check(List.of(draft));
        broker.checkPublishable(List.of(draft), false);
        long start = System.nanoTime();
        return broker.publish(draft)
                .handle((event, error) -> {
                    if (error != null) {
                        throw unavailable(error);
                    }
                    metrics.published(event, source, System.nanoTime() - start);
                    return event;
                });
    }

    /**
     * Publishes several events in order, each after the previous one was accepted. Everything is
     * checked before the first is published, so bad input publishes nothing; a broker failure
     * stops the batch where it happened. Once part of the batch is published a failure is
     * {@link Reason#PUBLISH_OUTCOME_UNKNOWN}, never "nothing was published", and says how far
     * the batch got.
     */
    public CompletableFuture<List<Event>> publishAll(List<EventDraft> drafts, PublishGrant grant, String source) {
        for (EventDraft d : drafts) {
            check(d, grant);
        }
        storedBytes.check(drafts);
        broker.checkPublishable(drafts, false);
        List<Event> done = new ArrayList<>(drafts.size());
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (EventDraft d : drafts) {
            chain = chain.thenCompose(ignored -> publish(d, grant, source).thenAccept(done::add));
        }
        return chain.handle((ignored, error) -> {
            if (error == null) {
                return done;
            }
            GatewayException cause = unavailable(error);
            if (done.isEmpty()) {
                throw cause;
            }
            throw new GatewayException(Reason.PUBLISH_OUTCOME_UNKNOWN, "the first " + done.size() + " of "
                    + drafts.size() + " events were published (the last as " + done.get(done.size() - 1).id()
                    + "), then: " + cause.getMessage(), cause);
        });
    }

    /**
     * Publishes the events of a request with an {@code Idempotency-Key} at most once within the
     * key's window, on every instance: a repeat publishes nothing and gets the first one's ids
     * ({@link KeyedOutcome#replayed()}); the key with another request fails with
     * {@link Reason#IDEMPOTENCY_KEY_MISMATCH}, and while it is being published with
     * {@link Reason#IDEMPOTENCY_KEY_IN_USE}. Checked as {@link #publishAll}.
     */
    public CompletableFuture<KeyedOutcome> publishOnce(List<EventDraft> drafts, IdempotencyKey key, PublishGrant grant,
                                                       String source) {
        for (EventDraft d : drafts) {
            check(d, grant);
        }
        storedBytes.check(drafts);
        broker.checkPublishable(drafts, true);
        return keyed.publish(drafts, key, (event, start) -> metrics.published(event, source, System.nanoTime() - start));
    }

    static GatewayException unavailable(Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        if (cause instanceof GatewayException g) {
            return g;
        }
        // A broker says when nothing was stored; a failure it did not classify may have run.
        return new GatewayException(Reason.PUBLISH_OUTCOME_UNKNOWN, "the broker failed; the event may have been published", cause);
    }

    public boolean isAvailable() {
        return broker.isHealthy();
    }
}
