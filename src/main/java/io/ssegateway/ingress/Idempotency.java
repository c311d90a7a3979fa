package io.ssegateway.ingress;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.ssegateway.config.IdempotencyConfig;
import io.ssegateway.core.Event;
import io.ssegateway.core.EventDraft;
import io.ssegateway.core.IdempotencyKey;
import io.ssegateway.core.KeyedOutcome;
import io.ssegateway.core.Publisher;
import io.ssegateway.security.Principal;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The {@code Idempotency-Key} header of the publish routes (after
 * draft-ietf-httpapi-idempotency-key-header): a request that carries one publishes at most once
 * within {@code SSE_IDEMPOTENCY_WINDOW}, and a repeat is answered exactly as the first was, with
 * {@code Idempotent-Replayed: true}.
 *
 * <p>Keys are scoped per publisher (the token's subject): two services that happen to pick the
 * same key never get each other's ids, nor a mismatch that tells one the other used it.
 */
@Singleton
final class Idempotency {
    static final String HEADER = "Idempotency-Key";
    static final String REPLAYED = "Idempotent-Replayed";

    private final Publisher publisher;
    private final IdempotencyConfig config;

    Idempotency(Publisher publisher, IdempotencyConfig config) {
        this.publisher = publisher;
        this.config = config;
    }

    /**
     * Publishes {@code drafts} under {@code key} for {@code caller}; {@code route} names the
     * endpoint, part of what makes two requests the same; {@code batch} shapes the answer.
     */
    CompletableFuture<HttpResponse<PublishAnswer>> publish(String key, Principal caller, String route,
                                                                 List<EventDraft> drafts, boolean batch) {
        IdempotencyKey scoped = IdempotencyKey.of(key, caller.subject(), route, drafts, config.window());
        return publisher.publishOnce(drafts, scoped, caller.publishGrant(), "http")
                .thenApply(outcome -> answer(outcome, drafts, batch));
    }

    private static HttpResponse<PublishAnswer> answer(KeyedOutcome outcome, List<EventDraft> drafts, boolean batch) {
        List<Event> events = new ArrayList<>(drafts.size());
        for (int i = 0; i < drafts.size(); i++) {
            events.add(new Event(outcome.ids().get(i), drafts.get(i)));
        }
        MutableHttpResponse<PublishAnswer> response = HttpResponse.<PublishAnswer>status(HttpStatus.CREATED)
                .body(batch ? PublishAnswer.of(events) : PublishAnswer.of(events.get(0)));
        if (outcome.replayed()) {
            response.header(REPLAYED, "true");
        }
        return response;
    }
}
