package io.ssegateway.ingress;

import io.ssegateway.testing.JsonTree;
import io.ssegateway.core.EventDraft;
import io.ssegateway.core.IdempotencyKey;
import io.ssegateway.core.KeyedOutcome;
import io.ssegateway.core.Namespace;
import io.ssegateway.core.PublishGrant;
import io.ssegateway.core.Publisher;
import io.ssegateway.testing.Await;
import io.ssegateway.testing.Gateway;
import io.ssegateway.testing.Http;
import io.ssegateway.testing.SseRecorder;
import io.ssegateway.testing.TestTokens;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code Idempotency-Key} on the local broker: the same answers as in Redis mode, in memory, expiring. */
class LocalIdempotencyTest {
    private static final Duration WINDOW = Duration.ofMillis(500);
    private static Gateway gateway;
    private static String publisher;
    private static String otherPublisher;

    @BeforeAll
    static void start() {
        gateway = Gateway.start(Map.of("jwt.secret", TestTokens.SECRET, "sse.idempotency.window", WINDOW.toMillis() + "ms"));
        publisher = TestTokens.publisher(gateway);
        otherPublisher = TestTokens.issue(gateway, "other-service", List.of("publisher"), null, List.of());
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private static Http.Reply post(String token, String path, String key, String body) {
        return Http.send(new Request.Builder().url(gateway.url(path))
                .post(RequestBody.create(body, MediaType.get("text/plain")))
                .header("Authorization", "Bearer " + token).header("Idempotency-Key", key).build());
    }

    private static String id(Http.Reply reply) throws IOException {
        return JsonTree.parse(reply.body()).get("id").asText();
    }

    @Test
    void repeatIsAnsweredAsTheFirstAndPublishesNothing() throws IOException {
        SseRecorder subscriber = SseRecorder.open(gateway.url("/subscribe/local-once"));
        assertEquals(200, subscriber.awaitOpen().code());

        Http.Reply first = post(publisher, "/publish/local-once", "k1", "paid");
        Http.Reply repeat = post(publisher, "/publish/local-once", "k1", "paid");
        Http.Reply mismatch = post(publisher, "/publish/local-once", "k1", "other");

        assertEquals(201, first.status(), first.body());
        assertNull(first.headers().get("Idempotent-Replayed"));
        assertEquals(201, repeat.status());
        assertEquals("true", repeat.headers().get("Idempotent-Replayed"));
        assertEquals(first.body(), repeat.body());
        assertEquals(422, mismatch.status());
        assertEquals(id(first), subscriber.next().id());
        String marker = gateway.publish("/local-once", null, "marker").id().toString();
        assertEquals(marker, subscriber.next().id(), "the repeat published nothing");
        subscriber.close();
    }

    @Test
    void keysArePerPublisher() throws IOException {
        Http.Reply mine = post(publisher, "/publish/local-scope", "shared-key", "mine");
        Http.Reply theirs = post(otherPublisher, "/publish/local-scope", "shared-key", "theirs");

        assertEquals(201, mine.status());
        assertEquals(201, theirs.status(), "another publisher's key of the same name is another key");
        assertNotEquals(id(mine), id(theirs));
    }

    @Test
    void keyIsForgottenAfterTheWindow() throws IOException {
        String first = id(post(publisher, "/publish/local-window", "k-window", "x"));

        Await.until(Duration.ofSeconds(10), "the window to pass", () -> {
            Http.Reply again = post(publisher, "/publish/local-window", "k-window", "x");
            return again.headers().get("Idempotent-Replayed") == null;
        });
        assertTrue(first.length() > 0);
    }

    @Test
    void batchThatStoppedHalfWayIsFinishedByItsRetryWithoutRepeats() {
        Publisher p = gateway.bean(Publisher.class);
        List<EventDraft> batch = List.of(EventDraft.of(Namespace.parse("/local-batch"), null, "1"),
                EventDraft.of(Namespace.parse("/local-batch"), null, "2"));
        // The first attempt published only the first event (its caller went away after it).
        KeyedOutcome half = p.publishOnce(batch.subList(0, 1), key("half", batch), PublishGrant.ANYWHERE, "test").join();

        KeyedOutcome retry = p.publishOnce(batch, key("half", batch), PublishGrant.ANYWHERE, "test").join();
        KeyedOutcome repeat = p.publishOnce(batch, key("half", batch), PublishGrant.ANYWHERE, "test").join();

        assertEquals(half.ids().get(0), retry.ids().get(0), "the first event was not published again");
        assertEquals(2, retry.ids().size());
        assertEquals(retry.ids(), repeat.ids());
        assertTrue(repeat.replayed());
    }

    /** One key and fingerprint for the whole batch, as a request would have. */
    private static IdempotencyKey key(String key, List<EventDraft> batch) {
        return IdempotencyKey.of(key, "test", "/broadcast", batch, Duration.ofMinutes(1));
    }
}
