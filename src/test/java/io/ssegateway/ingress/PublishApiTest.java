package io.ssegateway.ingress;

import io.ssegateway.testing.Gateway;
import io.ssegateway.testing.Http;
import io.ssegateway.testing.SseRecorder;
import io.ssegateway.testing.TestTokens;
import okhttp3.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The HTTP ways to publish: auth matrix, bad bodies, and what subscribers receive. */
class PublishApiTest {
    private static final Duration QUIET = Duration.ofMillis(300);
    private static Gateway gateway;
    private static String publisher;

    @BeforeAll
    static void start() {
        gateway = Gateway.start(Map.of("jwt.secret", TestTokens.SECRET, "sse.max-payload", 1024));
        publisher = TestTokens.publisher(gateway);
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private static Http.Reply broadcast(String token, String json) {
        return Http.postJson(gateway.url("/broadcast"), token, json);
    }

    private static SseRecorder subscribe(String path) {
        SseRecorder r = SseRecorder.open(gateway.url(path));
        r.awaitOpen();
        return r;
    }

    @Test
    void broadcastReachesSubscribersOfTheNamespaceAndItsAncestors() {
        try (SseRecorder pets = subscribe("/subscribe/b1/pets")) {
            Http.Reply reply = broadcast(publisher, "{\"namespace\":\"/b1/pets/cats\",\"event\":\"new-cat\",\"data\":\"Persian\"}");
            assertEquals(201, reply.status(), reply.body());
            assertTrue(reply.body().contains("\"namespaces\":[\"/b1/pets/cats\"]"), reply.body());
            SseRecorder.Received r = pets.next();
            assertEquals("new-cat", r.type());
            assertEquals("Persian", r.data());
            assertTrue(reply.body().contains("\"id\":\"" + r.id() + "\""), reply.body());
        }
    }

    @Test
    void goSseAliasesAndJsonDataAreAccepted() {
        try (SseRecorder s = subscribe("/subscribe/b2")) {
            assertEquals(201, broadcast(publisher, "{\"namespace\":\"/b2\",\"type\":\"t\",\"content\":\"hello\"}").status());
            assertEquals(201, broadcast(publisher, "{\"namespace\":\"/b2\",\"data\":{\"a\":[1,2]}}").status());
            SseRecorder.Received first = s.next();
            assertEquals("t", first.type());
            assertEquals("hello", first.data());
            assertEquals("{\"a\":[1,2]}", s.next().data());
        }
    }

    @Test
    void batchPublishesInOrderAndAnswersIds() {
        try (SseRecorder s = subscribe("/subscribe/b3")) {
            Http.Reply reply = broadcast(publisher, "[{\"namespace\":\"/b3\",\"data\":\"1\"},{\"namespace\":\"/b3/x\",\"data\":\"2\"},"
                    + "{\"namespaces\":[\"/b3\",\"/other\"],\"data\":\"3\"}]");
            assertEquals(201, reply.status(), reply.body());
            assertTrue(reply.body().contains("\"ids\":["), reply.body());
            assertEquals(List.of("1", "2", "3"), s.nextData(3));
            s.assertNoMore(QUIET);
        }
    }

    @Test
    void noNamespaceMeansRoot() {
        try (SseRecorder s = subscribe("/subscribe")) {
            Http.Reply reply = broadcast(publisher, "{\"data\":\"to-root\"}");
            assertEquals(201, reply.status());
            assertTrue(reply.body().contains("\"namespaces\":[\"/\"]"), reply.body());
            assertEquals("to-root", s.next().data());
        }
    }

    @Test
    void publishWithoutTokenIs401() {
        Http.Reply reply = broadcast(null, "{\"data\":\"x\"}");
        assertEquals(401, reply.status());
        assertTrue(reply.body().contains("UNAUTHORIZED"));
        assertEquals("Bearer", reply.headers().get("WWW-Authenticate"));
        assertEquals(401, broadcast("not.a.token", "{\"data\":\"x\"}").status());
    }

    @Test
    void publishWithoutPublisherRoleIs403() {
        String subscriberOnly = TestTokens.subscriber(gateway, "u1", "/");
        Http.Reply reply = broadcast(subscriberOnly, "{\"data\":\"x\"}");
        assertEquals(403, reply.status());
        assertTrue(reply.body().contains("FORBIDDEN"));
    }

    @Test
    void publishOutsideThePublishClaimIs403AndPublishesNothing() {
        String petsOnly = TestTokens.publisher(gateway, "/pets");
        try (SseRecorder s = subscribe("/subscribe")) {
            assertEquals(403, broadcast(petsOnly, "{\"namespace\":\"/petshop\",\"data\":\"x\"}").status());
            assertEquals(403, broadcast(petsOnly, "{\"namespaces\":[\"/pets/cats\",\"/news\"],\"data\":\"x\"}").status());
            assertEquals(403, broadcast(petsOnly, "[{\"namespace\":\"/pets\",\"data\":\"1\"},{\"namespace\":\"/x\",\"data\":\"2\"}]").status());
            assertEquals(201, broadcast(petsOnly, "{\"namespace\":\"/pets/cats\",\"data\":\"ok\"}").status());
            assertEquals("ok", s.next().data());
            s.assertNoMore(QUIET);
        }
    }

    @Test
    void badBodiesAre400WithAReason() {
        assertBad(broadcast(publisher, "not json"), "INVALID_BODY");
        assertBad(broadcast(publisher, ""), "INVALID_BODY");
        assertBad(broadcast(publisher, "{\"namespace\":\"pets\",\"data\":\"x\"}"), "INVALID_NAMESPACE");
        assertBad(broadcast(publisher, "{\"namespace\":\"/a/../b\",\"data\":\"x\"}"), "INVALID_NAMESPACE");
        assertBad(broadcast(publisher, "{\"event\":\"bad type\",\"data\":\"x\"}"), "INVALID_EVENT_TYPE");
        assertBad(broadcast(publisher, "{\"event\":\"a\\nid: 1\",\"data\":\"x\"}"), "INVALID_EVENT_TYPE");
        assertBad(broadcast(publisher, "{\"namespace\":\"/x\"}"), "INVALID_DATA");
        assertBad(broadcast(publisher, "{\"data\":\"x\",\"private\":\"yes\"}"), "INVALID_BODY");
        assertBad(broadcast(publisher, "{\"data\":\"x\",\"user\":\"a\\rb\"}"), "INVALID_BODY");
        assertBad(broadcast(publisher, "[]"), "INVALID_BODY");
        assertBad(broadcast(publisher, "42"), "INVALID_BODY");
    }

    @Test
    void malformedJsonSaysWhereTheParserStopped() {
        Http.Reply reply = broadcast(publisher, "{\"namespace\":\"/x\",\n \"data\": x}");
        assertBad(reply, "INVALID_BODY");
        assertTrue(reply.body().contains("(line 2, column "), reply.body());
    }

    @Test
    void publishAnswersAreExactlyTheDocumentedForms() {
        Http.Reply one = broadcast(publisher, "{\"namespaces\":[\"/f1\",\"/f2\"],\"data\":\"x\"}");
        assertEquals(201, one.status(), one.body());
        assertTrue(one.body().matches("\\{\"id\":\"[a-z0-9-]+\",\"namespaces\":\\[\"/f1\",\"/f2\"]}"), one.body());
        Http.Reply batch = broadcast(publisher, "[{\"namespace\":\"/f1\",\"data\":\"a\"},{\"namespace\":\"/f1\",\"data\":\"b\"}]");
        assertEquals(201, batch.status(), batch.body());
        assertTrue(batch.body().matches("\\{\"ids\":\\[\"[a-z0-9-]+\",\"[a-z0-9-]+\"],\"count\":2}"), batch.body());
    }

    @Test
    void payloadOverTheLimitIs413() {
        Http.Reply reply = broadcast(publisher, "{\"data\":\"" + "x".repeat(1025) + "\"}");
        assertEquals(413, reply.status());
        assertTrue(reply.body().contains("PAYLOAD_TOO_LARGE"));
    }

    @Test
    void postPublishTakesTheRawBodyAsData() {
        try (SseRecorder s = subscribe("/subscribe/p1")) {
            Http.Reply reply = Http.postText(gateway.url("/publish/p1/cats?event=new-cat"), publisher, "line1\nline2");
            assertEquals(201, reply.status(), reply.body());
            SseRecorder.Received r = s.next();
            assertEquals("new-cat", r.type());
            assertEquals("line1\nline2", r.data());
        }
    }

    @Test
    void queryPublishIsOffByDefault() {
        Http.Reply reply = Http.get(gateway.url("/publish/q?greeting=hi"), publisher);
        assertEquals(405, reply.status());
        assertTrue(reply.body().contains("\"error\":\"METHOD_NOT_ALLOWED\""), reply.body());
        assertTrue(reply.body().contains("SSE_HTTP_QUERY_PUBLISH"), reply.body());
        assertEquals("POST", reply.headers().get("Allow"));
    }

    @Test
    void queryPublishWhenEnabledPublishesEachParameterInOrderAndStillNeedsAToken() {
        try (Gateway on = Gateway.start(Map.of("jwt.secret", TestTokens.SECRET, "sse.http-query-publish", true))) {
            SseRecorder s = SseRecorder.open(on.url("/subscribe/color"));
            s.awaitOpen();
            String token = TestTokens.publisher(on);
            assertEquals(401, Http.get(on.url("/publish/color?q1=go"), null).status());
            Http.Reply reply = Http.send(new Request.Builder()
                    .url(on.url("/publish/color?q1=go&q2=stop%20now&q1=again")).header("Authorization", "Bearer " + token).build());
            assertEquals(201, reply.status(), reply.body());
            List<SseRecorder.Received> got = s.next(3);
            assertEquals(List.of("q1", "q2", "q1"), got.stream().map(SseRecorder.Received::type).toList());
            assertEquals(List.of("go", "stop now", "again"), got.stream().map(SseRecorder.Received::data).toList());
            s.close();
        }
    }

    private static void assertBad(Http.Reply reply, String reason) {
        assertEquals(400, reply.status(), reply.body());
        assertTrue(reply.body().contains("\"error\":\"" + reason + "\""), reply.body());
    }
}
