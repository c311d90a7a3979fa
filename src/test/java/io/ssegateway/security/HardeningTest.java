package io.ssegateway.security;

import io.ssegateway.core.Event;
import io.ssegateway.egress.Connections;
import io.ssegateway.testing.Await;
import io.ssegateway.testing.Gateway;
import io.ssegateway.testing.Http;
import io.ssegateway.testing.RawHttp;
import io.ssegateway.testing.RawSse;
import io.ssegateway.testing.SseRecorder;
import io.ssegateway.testing.TestTokens;
import io.ssegateway.testing.TransientRefusals;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a hostile client can send over HTTP, and what it gets: field injection through every
 * HTTP ingress, oversized URLs, headers and bodies, bad escapes, too many topics, too long a
 * resume, too many streams. Every refusal is a 4xx with a JSON reason (a stream beyond the
 * connection limit: a 200 event stream that only says retry, which an EventSource survives), and
 * the gateway goes on serving.
 */
class HardeningTest {
    private static final Duration QUIET = Duration.ofMillis(300);
    private static final int MAX_PAYLOAD = 1024;
    private static final int REPLAY_LIMIT = 5;
    private static final int MAX_TOPICS = 4;
    /** The default of micronaut.server.max-request-size in application.properties. */
    private static final int MAX_REQUEST_BYTES = 16 * 1024 * 1024;

    private static Gateway gateway;
    private static String publisher;

    @BeforeAll
    static void start() {
        gateway = Gateway.start(Map.of("jwt.secret", TestTokens.SECRET, "sse.max-payload", MAX_PAYLOAD,
                "sse.replay-limit", REPLAY_LIMIT, "sse.max-topics", MAX_TOPICS, "sse.http-query-publish", true));
        publisher = TestTokens.publisher(gateway);
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private static SseRecorder subscribe(String path) {
        SseRecorder r = SseRecorder.open(gateway.url(path));
        assertEquals(200, r.awaitOpen().code());
        return r;
    }

    private static RawHttp.Response raw(String method, String target, String body, String... headers) {
        return RawHttp.exchange(gateway.port(), method, target, body, headers);
    }

    private static void assertRefused(int status, String reason, RawHttp.Response response) {
        assertEquals(status, response.status(), response.body());
        assertTrue(response.header("content-type").startsWith("application/json"), String.valueOf(response.headers()));
        assertTrue(response.body().contains("\"error\":\"" + reason + "\""), response.body());
    }

    private static void assertRefused(int status, String reason, Http.Reply reply) {
        assertEquals(status, reply.status(), reply.body());
        assertTrue(reply.body().contains("\"error\":\"" + reason + "\""), reply.body());
    }

    private static void assertStillServing() {
        try (SseRecorder s = subscribe("/subscribe/alive")) {
            assertEquals(201, Http.postText(gateway.url("/publish/alive"), publisher, "still here").status());
            assertEquals("still here", s.next().data());
        }
    }

    // --- SSE field injection -------------------------------------------------------------

    /** Data that tries every way to end its field early or to forge another. */
    private static final String HOSTILE_DATA = "a\rid: forged\nevent: forged\r\nretry: 1\n\ndata: x\u2028y\0z\r";
    private static final String HOSTILE_ON_THE_WIRE =
            "data: a\ndata: id: forged\ndata: event: forged\ndata: retry: 1\ndata: \ndata: data: x\u2028y\0z\ndata: \n\n";
    private static final String HOSTILE_AS_READ = "a\nid: forged\nevent: forged\nretry: 1\n\ndata: x\u2028y\0z\n";

    @Test
    void lineBreaksAndFieldLookalikesInPublishedDataStayDataOnTheWire() throws Exception {
        try (RawSse wire = new RawSse(gateway.port(), "/subscribe/inj/raw")) {
            wire.readUntil("retry: 3000\n\n");
            Http.Reply reply = Http.postText(gateway.url("/publish/inj/raw"), publisher, HOSTILE_DATA);
            assertEquals(201, reply.status(), reply.body());
            String text = wire.readUntil("x\u2028y\0z\ndata: \n\n");
            assertTrue(text.contains(HOSTILE_ON_THE_WIRE), text);
            assertFalse(text.contains("\nid: forged"), text);
            assertFalse(text.contains("\nevent: forged"), text);
            assertFalse(text.contains("\nretry: 1\n"), text);
        }
    }

    @Test
    void anSseClientReadsExactlyOneEventWithTheOriginalDataFromEveryHttpIngress() {
        String json = "{\"namespace\":\"/inj/client\",\"data\":\"a\\rid: forged\\nevent: forged\\r\\nretry: 1\\n\\ndata: x\\u2028y\\u0000z\\r\"}";
        try (SseRecorder s = subscribe("/subscribe/inj/client")) {
            assertEquals(201, Http.postText(gateway.url("/publish/inj/client"), publisher, HOSTILE_DATA).status());
            assertEquals(201, Http.postJson(gateway.url("/broadcast"), publisher, json).status());
            assertEquals(201, Http.postJson(gateway.url("/broadcast"), publisher, "[" + json + "]").status());
            for (int i = 0; i < 3; i++) {
                SseRecorder.Received r = s.next();
                assertEquals("message", r.typeOrMessage());
                assertEquals(HOSTILE_AS_READ, r.data());
            }
            s.assertNoMore(QUIET);
        }
    }

    @Test
    void crInEventTypeCannotReachTheWire() {
        try (SseRecorder s = subscribe("/subscribe/inj/type")) {
            assertRefused(400, "INVALID_EVENT_TYPE", Http.postJson(gateway.url("/broadcast"), publisher,
                    "{\"namespace\":\"/inj/type\",\"event\":\"a\\rid: forged\",\"data\":\"x\"}"));
            assertRefused(400, "INVALID_EVENT_TYPE", Http.postJson(gateway.url("/broadcast"), publisher,
                    "{\"namespace\":\"/inj/type\",\"type\":\"a\\nevent: forged\",\"data\":\"x\"}"));
            assertRefused(400, "INVALID_EVENT_TYPE", Http.postText(gateway.url("/publish/inj/type?event=a%0Did:%20forged"), publisher, "x"));
            assertRefused(400, "INVALID_EVENT_TYPE", Http.postText(gateway.url("/publish/inj/type?event=a%00b"), publisher, "x"));
            assertRefused(400, "INVALID_EVENT_TYPE", Http.get(gateway.url("/publish/inj/type?a%0D%0Aid:%20forged=x"), publisher));
            s.assertNoMore(QUIET);
        }
    }

    @Test
    void userWithALineBreakOrNulIsRefused() {
        assertRefused(400, "INVALID_BODY", Http.postJson(gateway.url("/broadcast"), publisher, "{\"data\":\"x\",\"user\":\"u\\nid: 1\"}"));
        assertRefused(400, "INVALID_BODY", Http.postJson(gateway.url("/broadcast"), publisher, "{\"data\":\"x\",\"user\":\"u\\u0000\"}"));
        assertRefused(400, "INVALID_BODY", Http.postText(gateway.url("/publish/inj/user?user=u%0Dx"), publisher, "x"));
    }

    @Test
    void lastEventIdWithLineBreaksIsEscapedInsideTheHistoryGap() throws Exception {
        try (RawSse wire = new RawSse(gateway.port(), "/subscribe/inj/gap?lastEventId=x%0D%0Aid:%20forged%0Aevent:%20forged%0D")) {
            String text = wire.readUntil("oldestRetainedId");
            assertTrue(text.contains("data: {\"lastEventId\":\"x\\r\\nid: forged\\nevent: forged\\r\",\"oldestRetainedId\":"), text);
            assertFalse(text.contains("\nid: forged"), text);
            assertFalse(text.contains("\nevent: forged"), text);
        }
    }

    @Test
    void lastEventIdHeaderWithABareCrIsRefusedOrEscapedNeverAField() throws Exception {
        try (RawSse wire = new RawSse(gateway.port(), "/subscribe/inj/header", "Last-Event-ID: x\rid: forged")) {
            String text = wire.readUntil("\r\n\r\n");
            if (text.startsWith("HTTP/1.1 200")) {
                text = wire.readUntil("oldestRetainedId");
                assertFalse(text.contains("\nid: forged"), text);
            } else {
                assertTrue(text.startsWith("HTTP/1.1 400"), text);
            }
        }
    }

    @Test
    void hugeLastEventIdIsAnsweredAsAHistoryGapAndOverTheHeaderBoundWith431() throws Exception {
        String big = "z".repeat(20_000);
        try (RawSse wire = new RawSse(gateway.port(), "/subscribe/inj/big", "Last-Event-ID: " + big)) {
            assertTrue(wire.readUntil("oldestRetainedId").contains("{\"lastEventId\":\"" + big + "\""));
        }
        RawHttp.Response tooBig = raw("GET", "/subscribe/inj/big", null, "Last-Event-ID: " + "z".repeat(40_000));
        assertRefused(431, "HEADERS_TOO_LARGE", tooBig);
    }

    // --- Sizes and shapes ----------------------------------------------------------------

    @Test
    void hugeUrlIsRefusedNotCrashed() {
        String hundredKb = "a".repeat(100_000);
        assertRefused(414, "URI_TOO_LONG", raw("GET", "/subscribe/x?topic=" + hundredKb, null));
        assertRefused(414, "URI_TOO_LONG", raw("POST", "/broadcast?x=" + hundredKb, "{}"));
        assertRefused(414, "URI_TOO_LONG", raw("GET", "/" + hundredKb, null));
        assertStillServing();
    }

    @Test
    void oversizedHeadersOnAStreamRouteAreRefusedNotStreamed() {
        RawHttp.Response response = raw("GET", "/subscribe/big-headers", null, "X-Padding: " + "p".repeat(40_000));
        assertRefused(431, "HEADERS_TOO_LARGE", response);
        assertRefused(431, "HEADERS_TOO_LARGE", raw("GET", "/health", null, "X-Padding: " + "p".repeat(40_000)));
        assertStillServing();
    }

    @Test
    void badPercentEscapeIsRefusedNotHung() {
        assertRefused(400, "MALFORMED_REQUEST", raw("GET", "/subscribe/%zz", null));
        assertRefused(400, "MALFORMED_REQUEST", raw("GET", "/subscribe/x?topic=%zz", null));
        assertRefused(400, "MALFORMED_REQUEST", raw("GET", "/subscribe/x?access_token=%e", null));
        assertRefused(400, "MALFORMED_REQUEST", raw("POST", "/publish/%zz", "x", "Authorization: Bearer " + publisher));
        assertRefused(400, "MALFORMED_REQUEST", raw("POST", "/broadcast?x=%zz", "{}", "Authorization: Bearer " + publisher));
        assertStillServing();
    }

    @Test
    void bodyOverTheRequestSizeBoundIs413WithAReason() {
        String oversized = "{\"data\":\"" + "x".repeat(MAX_REQUEST_BYTES) + "\"}";
        assertRefused(413, "PAYLOAD_TOO_LARGE", Http.postJson(gateway.url("/broadcast"), publisher, oversized));
        // Past Micronaut's own default (10 MB) but within the configured bound: read and published.
        String padded = "{" + " ".repeat(MAX_REQUEST_BYTES - 1024) + "\"namespace\":\"/big\",\"data\":\"fits\"}";
        Http.Reply fits = Http.postJson(gateway.url("/broadcast"), publisher, padded);
        assertEquals(201, fits.status(), fits.body());

        RequestBody chunked = new RequestBody() {
            @Override
            public okhttp3.MediaType contentType() {
                return Http.JSON;
            }

            @Override
            public void writeTo(BufferedSink sink) throws IOException {
                byte[] block = "x".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
                for (int written = 0; written <= MAX_REQUEST_BYTES; written += block.length) {
                    sink.write(block);
                }
            }
        };
        Http.Reply reply;
        try {
            reply = Http.send(new Request.Builder().url(gateway.url("/publish/big")).header("Authorization", "Bearer " + publisher)
                    .post(chunked).build());
        } catch (RuntimeException e) {
            // The server may answer and close before the client has finished sending.
            reply = null;
        }
        if (reply != null) {
            assertRefused(413, "PAYLOAD_TOO_LARGE", reply);
        }
        assertStillServing();
    }

    @Test
    void payloadOverTheLimitIs413OnEveryHttpIngress() {
        String tooMuch = "x".repeat(MAX_PAYLOAD + 1);
        try (SseRecorder s = subscribe("/subscribe/lim")) {
            assertRefused(413, "PAYLOAD_TOO_LARGE", Http.postJson(gateway.url("/broadcast"), publisher,
                    "{\"namespace\":\"/lim\",\"data\":\"" + tooMuch + "\"}"));
            assertRefused(413, "PAYLOAD_TOO_LARGE", Http.postJson(gateway.url("/broadcast"), publisher,
                    "[{\"namespace\":\"/lim\",\"data\":\"ok\"},{\"namespace\":\"/lim\",\"data\":\"" + tooMuch + "\"}]"));
            assertRefused(413, "PAYLOAD_TOO_LARGE", Http.postText(gateway.url("/publish/lim"), publisher, tooMuch));
            assertRefused(413, "PAYLOAD_TOO_LARGE", Http.get(gateway.url("/publish/lim?t=" + tooMuch), publisher));
            // Multi-byte characters count as the bytes they are on the wire.
            assertRefused(413, "PAYLOAD_TOO_LARGE", Http.postText(gateway.url("/publish/lim"), publisher, "é".repeat(MAX_PAYLOAD / 2 + 1)));
            assertEquals(201, Http.postText(gateway.url("/publish/lim"), publisher, "x".repeat(MAX_PAYLOAD)).status());
            assertEquals(MAX_PAYLOAD, s.next().data().length());
            s.assertNoMore(QUIET);
        }
    }

    @Test
    void moreTopicsThanTheLimitIs400() {
        assertRefused(400, "TOO_MANY_TOPICS", raw("GET", "/subscribe/t0?topic=/t1&topic=/t2&topic=/t3&topic=/t4", null));
        try (SseRecorder s = subscribe("/subscribe/t0?topic=/t1&topic=/t2&topic=/t3")) {
            gateway.publish("/t3", "message", "in");
            assertEquals("in", s.next().data());
        }
    }

    @Test
    void resumeOverMoreThanTheReplayLimitGetsHistoryGapAndTheNewest() {
        Event from = gateway.publish("/replay", "message", "seen");
        List<String> newest = new ArrayList<>();
        for (int i = 0; i < REPLAY_LIMIT + 3; i++) {
            gateway.publish("/replay", "message", "m" + i);
            newest.add("m" + i);
        }
        newest = newest.subList(newest.size() - REPLAY_LIMIT, newest.size());
        try (SseRecorder s = SseRecorder.open(gateway.url("/subscribe/replay"), from.id().toString())) {
            SseRecorder.Received gap = s.next();
            assertEquals("history-gap", gap.type());
            assertEquals("{\"lastEventId\":\"" + from.id() + "\",\"oldestRetainedId\":\"" + from.id() + "\"}", gap.data());
            assertEquals(newest, s.nextData(REPLAY_LIMIT));
            s.assertNoMore(QUIET);
        }
    }

    @Test
    void privateFlagThatIsNotABooleanIsRefusedNotPublishedInTheOpen() {
        try (SseRecorder anonymous = subscribe("/subscribe/flag")) {
            assertRefused(400, "INVALID_BODY", Http.postText(gateway.url("/publish/flag?private=ture"), publisher, "secret"));
            assertRefused(400, "INVALID_BODY", Http.postText(gateway.url("/publish/flag?private=1"), publisher, "secret"));
            assertEquals(201, Http.postText(gateway.url("/publish/flag?private=true"), publisher, "secret").status());
            assertEquals(201, Http.postText(gateway.url("/publish/flag?private"), publisher, "secret").status());
            assertEquals(201, Http.postText(gateway.url("/publish/flag?private=false"), publisher, "public").status());
            assertEquals("public", anonymous.next().data());
            anonymous.assertNoMore(QUIET);
        }
    }

    @Test
    void deeplyNestedJsonIsRefusedWith400() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        assertRefused(400, "INVALID_BODY", Http.postJson(gateway.url("/broadcast"), publisher, deep));
        String deepData = "{\"data\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}";
        assertEquals(400, Http.postJson(gateway.url("/broadcast"), publisher, deepData).status());
        assertStillServing();
    }

    @Test
    void refusalsMicronautMakesHaveTheGatewaysShapeAndDoNotEchoTheToken() {
        RawHttp.Response notFound = raw("GET", "/no-such-page?access_token=secret-token-value", null);
        assertRefused(404, "NOT_FOUND", notFound);
        assertFalse(notFound.body().contains("secret-token-value"), notFound.body());
        RawHttp.Response wrongMethod = raw("PUT", "/broadcast?access_token=secret-token-value", "{}");
        assertRefused(405, "METHOD_NOT_ALLOWED", wrongMethod);
        assertFalse(wrongMethod.body().contains("secret-token-value"), wrongMethod.body());
    }

    @Test
    void slowLorisHeadersDoNotPinAnEventLoop() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 64; i++) {
                Socket s = new Socket("127.0.0.1", gateway.port());
                OutputStream out = s.getOutputStream();
                out.write(("GET /subscribe/slow HTTP/1.1\r\nHost: x\r\nX-Slow-" + i + ": ").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                slow.add(s);
            }
            for (Socket s : slow) {
                s.getOutputStream().write('a');
                s.getOutputStream().flush();
            }
            assertStillServing();
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
    }

    @Test
    void streamsBeyondTheConnectionLimitAreRefusedForNowAsAnEventSourceSurvivesOnEveryStreamEndpoint() {
        try (Gateway limited = Gateway.start(Map.of("sse.max-connections", 2))) {
            SseRecorder subscription = SseRecorder.open(limited.url("/subscribe/a"));
            SseRecorder demo = SseRecorder.open(limited.url("/stream"));
            assertEquals(200, subscription.awaitOpen().code());
            assertEquals(200, demo.awaitOpen().code());
            for (String path : List.of("/subscribe/b", "/stream", "/api/time", "/api/client-count")) {
                TransientRefusals.assertRefusedForNow(limited.port(), path, "too-many-connections");
            }
            demo.close();
            Await.until(() -> limited.bean(Connections.class).count() < 2);
            try (SseRecorder again = SseRecorder.open(limited.url("/api/time"))) {
                Response opened = again.awaitOpen();
                assertEquals(200, opened.code());
            }
            subscription.close();
        }
    }
}
