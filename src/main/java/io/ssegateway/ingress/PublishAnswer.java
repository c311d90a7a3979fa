package io.ssegateway.ingress;

import io.micronaut.serde.annotation.Serdeable;
import io.ssegateway.core.Event;
import io.ssegateway.core.Namespace;

import java.util.List;

/**
 * The body of a {@code 201} to a publish: {@code {"id":…,"namespaces":[…]}} for one event,
 * {@code {"ids":[…],"count":n}} for a batch. An idempotent repeat answers the same body.
 */
sealed interface PublishAnswer {

    /** One published event: its id and the namespaces it went to. */
    @Serdeable
    record One(String id, List<String> namespaces) implements PublishAnswer {
    }

    /** A published batch: the ids in order, and how many. */
    @Serdeable
    record Batch(List<String> ids, int count) implements PublishAnswer {
    }

    static PublishAnswer of(Event e) {
        return new One(e.id().toString(), e.namespaces().stream().map(Namespace::path).toList());
    }

    static PublishAnswer of(List<Event> events) {
        return new Batch(events.stream().map(e -> e.id().toString()).toList(), events.size());
    }
}
