package io.ssegateway.security;

import io.ssegateway.core.Broker;
import io.ssegateway.testing.Await;
import io.ssegateway.testing.Gateway;
import io.ssegateway.testing.Http;
import io.ssegateway.testing.RedisServer;
import io.ssegateway.testing.SseRecorder;
import io.ssegateway.testing.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Private and per-user events across two instances on one Redis: published on one, delivered
 * live and replayed on the other under the same rules as on a single instance. The envelope
 * that crosses Redis must carry the private flag and the user, or the other instance would show
 * the event to everyone.
 */
class ClusterVisibilityTest {
    private static Gateway publishing;
    private static Gateway serving;
    private static String publisher;

    @BeforeAll
    static void start() {
        Map<String, Object> cluster = Map.of("redis.uri", RedisServer.shared().uri(),
                "sse.channel-prefix", RedisServer.uniquePrefix(), "jwt.secret", TestTokens.SECRET);
        publishing = Gateway.start(cluster);
        serving = Gateway.start(cluster);
        Await.until(() -> publishing.bean(Broker.class).isHealthy() && serving.bean(Broker.class).isHealthy());
        publisher = TestTokens.publisher(publishing);
    }

    @AfterAll
    static void stop() {
        publishing.close();
        serving.close();
    }

    private static SseRecorder subscribe(String namespace, String token, String lastEventId) {
        String url = serving.url("/subscribe" + namespace) + (token == null ? "" : "?access_token=" + token);
        SseRecorder r = SseRecorder.open(url, lastEventId);
        assertEquals(200, r.awaitOpen().code());
        return r;
    }

    private static String publish(String json) {
        Http.Reply reply = Http.postJson(publishing.url("/broadcast"), publisher, json);
        assertEquals(201, reply.status(), reply.body());
        return reply.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
    }

    @Test
    void privateAndUserEventsPublishedOnOneInstanceReachOnlyTheirAudienceOnAnother() {
        try (SseRecorder ann = subscribe("/c1", TestTokens.subscriber(serving, "ann", "/c1/pets"), null);
             SseRecorder bob = subscribe("/c1", TestTokens.subscriber(serving, "bob", "/c1/news"), null);
             SseRecorder anonymous = subscribe("/c1", null, null)) {
            publish("{\"namespace\":\"/c1/pets/cats\",\"private\":true,\"data\":\"private cats\"}");
            publish("{\"namespace\":\"/c1/inbox\",\"user\":\"ann\",\"data\":\"for ann\"}");
            publish("{\"namespace\":\"/c1\",\"data\":\"end\"}");
            assertEquals(List.of("private cats", "for ann", "end"), ann.nextData(3));
            assertEquals(List.of("end"), bob.nextData(1));
            assertEquals(List.of("end"), anonymous.nextData(1));
        }
    }

    @Test
    void resumeOnAnotherInstanceReplaysPrivateAndUserEventsOnlyToTheirAudience() {
        String from = publish("{\"namespace\":\"/c2\",\"data\":\"start\"}");
        publish("{\"namespace\":\"/c2/pets\",\"private\":true,\"data\":\"private pets\"}");
        publish("{\"namespace\":\"/c2/inbox\",\"user\":\"ann\",\"data\":\"for ann\"}");
        publish("{\"namespace\":\"/c2/inbox\",\"user\":\"bob\",\"data\":\"for bob\"}");
        publish("{\"namespace\":\"/c2\",\"data\":\"end\"}");
        try (SseRecorder ann = subscribe("/c2", TestTokens.subscriber(serving, "ann", "/c2/pets"), from);
             SseRecorder bob = subscribe("/c2", TestTokens.subscriber(serving, "bob"), from);
             SseRecorder anonymous = subscribe("/c2", null, from)) {
            assertEquals(List.of("private pets", "for ann", "end"), ann.nextData(3));
            assertEquals(List.of("for bob", "end"), bob.nextData(2));
            assertEquals(List.of("end"), anonymous.nextData(1));
        }
    }
}
