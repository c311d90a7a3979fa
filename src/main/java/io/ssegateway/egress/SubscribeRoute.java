package io.ssegateway.egress;

import io.ssegateway.config.GatewayConfig;
import io.ssegateway.core.Audience;
import io.ssegateway.core.GatewayException;
import io.ssegateway.core.Hub;
import io.ssegateway.core.Namespace;
import io.ssegateway.core.Reason;
import io.ssegateway.core.StartPoint;
import io.ssegateway.core.Subscription;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code GET /subscribe/{namespace...}}: the events of a namespace and its descendants, plus
 * those of every {@code topic} parameter, each event once, resumable with
 * {@code Last-Event-ID} (or {@code lastEventId} for clients that cannot set headers); a first
 * connect may start from history with {@code rewind=N} or {@code since=<time>}.
 * A stream opened with a token ends when the token expires.
 */
@Singleton
public class SubscribeRoute implements SseRoute {
    static final String PREFIX = "/subscribe";

    private final Hub hub;
    private final GatewayConfig config;
    private final StreamAuthenticator authenticator;

    public SubscribeRoute(Hub hub, GatewayConfig config, StreamAuthenticator authenticator) {
        this.hub = hub;
        this.config = config;
        this.authenticator = authenticator;
    }

    @Override
    public String name() {
        return "subscribe";
    }

    @Override
    public StreamKind kind() {
        return StreamKind.SUBSCRIBE;
    }

    @Override
    public boolean serves(String path) {
        return path.equals(PREFIX) || path.startsWith(PREFIX + "/");
    }

    @Override
    public Opening prepare(SseRequest request) {
        List<Namespace> topics = topics(request);
        Audience audience = authenticator.authenticate(request, topics);
        String header = request.header("Last-Event-ID");
        String lastEventId = header != null && !header.isEmpty() ? header : emptyToNull(request.param("lastEventId"));
        // An EventSource reconnects to the same URL with Last-Event-ID: it resumes, and the
        // rewind or since it still carries is not read (nor refused).
        StartPoint start = lastEventId != null ? StartPoint.resume(lastEventId)
                : StartPoints.parse(request.param("rewind"), request.param("since"), config.replayLimit());
        return stream -> {
            Subscription subscription = hub.subscribe(topics, audience, start, stream);
            stream.describe(topics, () -> {
                var id = subscription.lastDelivered();
                return id != null ? id.toString() : lastEventId;
            });
            stream.onClose(subscription::disconnected);
            if (audience.expiresAt() != null) {
                // Private and per-user events were granted by the token, and only while it is valid;
                // the client reconnects with a fresh one and resumes where it was.
                stream.closeAfter(Duration.between(Instant.now(), audience.expiresAt()), "token expired");
            }
        };
    }

    private List<Namespace> topics(SseRequest request) {
        String rest = request.path().substring(PREFIX.length());
        Set<Namespace> topics = new LinkedHashSet<>();
        topics.add(rest.isEmpty() ? Namespace.ROOT : Namespace.parse(rest));
        List<String> extra = request.params("topic");
        if (extra.size() + 1 > config.maxTopics()) {
            throw new GatewayException(Reason.TOO_MANY_TOPICS, "at most " + config.maxTopics() + " namespaces per subscription");
        }
        for (String t : extra) {
            topics.add(Namespace.parse(t.startsWith("/") ? t : "/" + t));
        }
        return new ArrayList<>(topics);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
