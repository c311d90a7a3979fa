package io.ssegateway.core;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Publishes the events of one request with an {@code Idempotency-Key}, step by step through
 * {@link Broker#publish(EventDraft, KeyedStep)}, which keeps the promise across instances. Here,
 * a second request with a key still being published on this instance is refused at once (409)
 * instead of queueing behind the first.
 */
final class KeyedPublisher {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Held only while a request runs: bounded by the requests in flight. */
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final Broker broker;

    interface Observer {
        void published(Event event, long startNanos);
    }

    KeyedPublisher(Broker broker) {
        this.broker = broker;
    }

    CompletableFuture<KeyedOutcome> publish(List<EventDraft> drafts, IdempotencyKey key, Observer observer) {
        if (!inFlight.add(key.scoped())) {
            throw inUse();
        }
        Run run = new Run(drafts, key, observer);
        CompletableFuture<KeyedOutcome> done;
        try {
            done = run.step(0);
        } catch (RuntimeException e) {
            done = CompletableFuture.failedFuture(e);
        }
        return done.whenComplete((outcome, error) -> inFlight.remove(key.scoped()));
    }

    private final class Run {
        private final List<EventDraft> drafts;
        private final IdempotencyKey key;
        private final Observer observer;
        private final String attempt = attemptId();
        private final List<EventId> ids = new ArrayList<>();
        private boolean publishedAny;

        Run(List<EventDraft> drafts, IdempotencyKey key, Observer observer) {
            this.drafts = drafts;
            this.key = key;
            this.observer = observer;
        }

        CompletableFuture<KeyedOutcome> step(int index) {
            if (index == drafts.size()) {
                return CompletableFuture.completedFuture(new KeyedOutcome(ids, !publishedAny));
            }
            long start = System.nanoTime();
            return broker.publish(drafts.get(index), new KeyedStep(key, attempt, index, drafts.size()))
                    .handle((result, error) -> {
                        if (error != null) {
                            throw failed(error);
                        }
                        return result;
                    })
                    .thenCompose(result -> next(index, start, result));
        }

        private CompletableFuture<KeyedOutcome> next(int index, long start, KeyedResult result) {
            if (result instanceof KeyedResult.Published p) {
                publishedAny = true;
                ids.add(p.event().id());
                observer.published(p.event(), start);
                return step(index + 1);
            }
            if (result instanceof KeyedResult.AlreadyPublished a) {
                ids.add(a.id());
                return step(index + 1);
            }
            if (result instanceof KeyedResult.Completed c) {
                return CompletableFuture.completedFuture(new KeyedOutcome(c.ids(), !publishedAny));
            }
            if (result instanceof KeyedResult.Mismatch) {
                throw new GatewayException(Reason.IDEMPOTENCY_KEY_MISMATCH,
                        "this Idempotency-Key was used with a different request");
            }
            throw inUse();
        }

        private GatewayException failed(Throwable error) {
            GatewayException cause = Publisher.unavailable(error);
            if (!publishedAny) {
                return cause;
            }
            return new GatewayException(Reason.PUBLISH_OUTCOME_UNKNOWN, "the first " + ids.size() + " of " + drafts.size()
                    + " events were published, then: " + cause.getMessage()
                    + "; a retry with the same Idempotency-Key publishes the rest", cause);
        }
    }

    private static GatewayException inUse() {
        return new GatewayException(Reason.IDEMPOTENCY_KEY_IN_USE,
                "a request with this Idempotency-Key is still being published; retry after it");
    }

    private static String attemptId() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
