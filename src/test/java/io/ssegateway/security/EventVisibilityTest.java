package io.ssegateway.security;

import com.nimbusds.jwt.JWTClaimsSet;
import io.ssegateway.testing.Gateway;
import io.ssegateway.testing.Http;
import io.ssegateway.testing.SseRecorder;
import io.ssegateway.testing.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Private and per-user events, live and replayed, on a gateway where anyone may subscribe
 * ({@code SSE_SUBSCRIBE_AUTH=none}): a private event reaches only a subscriber whose token
 * covers one of the event's namespaces that the subscription matched; a user event reaches only
 * the token whose {@code sub} is that user. Each check publishes a public marker last, so
 * "never arrives" is read off the order of the stream rather than waited for.
 */
class EventVisibilityTest {
    private static Gateway gateway;
    private static String publisher;

    @BeforeAll
    static void start() {
        gateway = Gateway.start(Map.of("jwt.secret", TestTokens.SECRET));
        publisher = TestTokens.publisher(gateway);
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    /** {@code GET /subscribe<namespace>}, with the token as {@code access_token} when there is one. */
    private static SseRecorder subscribe(String namespace, String token, String lastEventId) {
        String path = "/subscribe" + namespace;
        String url = gateway.url(path) + (token == null ? "" : (path.contains("?") ? "&" : "?") + "access_token=" + token);
        SseRecorder r = SseRecorder.open(url, lastEventId);
        assertEquals(200, r.awaitOpen().code());
        return r;
    }

    private static SseRecorder subscribe(String path, String token) {
        return subscribe(path, token, null);
    }

    /** Publishes through /broadcast and returns the new event's id. */
    private static String publish(String json) {
        Http.Reply reply = Http.postJson(gateway.url("/broadcast"), publisher, json);
        assertEquals(201, reply.status(), reply.body());
        return reply.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
    }

    private static String privately(String data, String... namespaces) {
        return publish("{\"namespaces\":[\"" + String.join("\",\"", namespaces) + "\"],\"private\":true,\"data\":\"" + data + "\"}");
    }

    private static String toUser(String user, String namespace, String data) {
        return publish("{\"namespace\":\"" + namespace + "\",\"user\":\"" + user + "\",\"data\":\"" + data + "\"}");
    }

    private static String openly(String namespace, String data) {
        return publish("{\"namespace\":\"" + namespace + "\",\"data\":\"" + data + "\"}");
    }

    @Test
    void privateEventReachesOnlySubscribersWhoseTokenCoversAMatchedNamespace() {
        try (SseRecorder pets = subscribe("/v1", TestTokens.subscriber(gateway, "ann", "/v1/pets"));
             SseRecorder news = subscribe("/v1", TestTokens.subscriber(gateway, "bob", "/v1/news"));
             SseRecorder everything = subscribe("/v1", TestTokens.subscriber(gateway, "eve", "/"))) {
            privately("cats", "/v1/pets/cats");
            privately("headline", "/v1/news");
            privately("both", "/v1/pets/cats", "/v1/news");
            openly("/v1", "end");
            assertEquals(List.of("cats", "both", "end"), pets.nextData(3));
            assertEquals(List.of("headline", "both", "end"), news.nextData(3));
            assertEquals(List.of("cats", "headline", "both", "end"), everything.nextData(4));
        }
    }

    @Test
    void privateEventNeverReachesAnUncoveredSubscriber() {
        try (SseRecorder anonymous = subscribe("/v2", null);
             SseRecorder lookalike = subscribe("/v2", TestTokens.subscriber(gateway, "pat", "/v2/petshop"));
             SseRecorder noClaim = subscribe("/v2", TestTokens.subscriber(gateway, "nia"))) {
            privately("secret", "/v2/pets");
            privately("secret", "/v2/pets/cats");
            openly("/v2/pets", "end");
            assertEquals("end", anonymous.next().data());
            assertEquals("end", lookalike.next().data());
            assertEquals("end", noClaim.next().data());
        }
    }

    @Test
    void privateEventNeedsTheGrantOnTheNamespaceTheSubscriptionMatched() {
        // Subscribed to /v3/pets, granted /v3/news: the event matches through /v3/pets/cats, which
        // the token does not cover, so the grant on /v3/news must not open it.
        try (SseRecorder s = subscribe("/v3/pets", TestTokens.subscriber(gateway, "ann", "/v3/news"))) {
            privately("crossed", "/v3/pets/cats", "/v3/news");
            openly("/v3/pets", "end");
            assertEquals("end", s.next().data());
        }
    }

    @Test
    void userEventReachesOnlyTheTokenWithThatSubject() {
        String noSubject = Jwts.hs256(TestTokens.SECRET, new JWTClaimsSet.Builder().claim("subscribe", List.of("/")).build());
        try (SseRecorder ann = subscribe("/v4", TestTokens.subscriber(gateway, "ann"));
             SseRecorder bob = subscribe("/v4", TestTokens.subscriber(gateway, "bob", "/"));
             SseRecorder anonymous = subscribe("/v4", null);
             SseRecorder nobody = subscribe("/v4", noSubject)) {
            toUser("ann", "/v4/inbox", "hello ann");
            openly("/v4", "end");
            assertEquals(List.of("hello ann", "end"), ann.nextData(2));
            assertEquals("end", bob.next().data());
            assertEquals("end", anonymous.next().data());
            assertEquals("end", nobody.next().data());
        }
    }

    @Test
    void userEventIsNotReplayedToAnotherUser() {
        String from = openly("/v5", "start");
        toUser("ann", "/v5/inbox", "for ann");
        toUser("bob", "/v5/inbox", "for bob");
        openly("/v5", "end");
        try (SseRecorder ann = subscribe("/v5", TestTokens.subscriber(gateway, "ann"), from);
             SseRecorder bob = subscribe("/v5", TestTokens.subscriber(gateway, "bob"), from);
             SseRecorder anonymous = subscribe("/v5", null, from)) {
            assertEquals(List.of("for ann", "end"), ann.nextData(2));
            assertEquals(List.of("for bob", "end"), bob.nextData(2));
            assertEquals(List.of("end"), anonymous.nextData(1));
        }
    }

    @Test
    void privateEventIsNotReplayedToAnUncoveredSubscriber() {
        String from = openly("/v6", "start");
        privately("pets only", "/v6/pets");
        privately("news only", "/v6/news");
        openly("/v6", "end");
        try (SseRecorder pets = subscribe("/v6", TestTokens.subscriber(gateway, "ann", "/v6/pets"), from);
             SseRecorder anonymous = subscribe("/v6", null, from)) {
            assertEquals(List.of("pets only", "end"), pets.nextData(2));
            assertEquals(List.of("end"), anonymous.nextData(1));
        }
    }

    @Test
    void aResumeFromAnUnknownIdReplaysEverythingRetainedUnderTheSameRules() {
        privately("hidden", "/v7/pets");
        toUser("ann", "/v7", "ann's");
        openly("/v7", "visible");
        try (SseRecorder anonymous = subscribe("/v7", null, "not-an-id")) {
            SseRecorder.Received gap = anonymous.next();
            assertEquals("history-gap", gap.type());
            assertTrue(gap.data().startsWith("{\"lastEventId\":\"not-an-id\""), gap.data());
            assertEquals("visible", anonymous.next().data());
        }
    }
}
