package io.ssegateway.egress;

import io.ssegateway.core.Event;
import io.ssegateway.testing.Gateway;
import io.ssegateway.testing.Http;
import io.ssegateway.testing.RawSse;
import io.ssegateway.testing.SseRecorder;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code GET /subscribe/...} over real HTTP, read by an independent SSE client. */
class SubscribeStreamTest {
    private static final Duration QUIET = Duration.ofMillis(300);
    private static Gateway gateway;

    @BeforeAll
    static void start() {
        gateway = Gateway.start(Map.of("sse.keepalive-interval", "1s"));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    /** Opens a stream; once its headers are in, it receives everything published next. */
    private SseRecorder subscribe(String path, String lastEventId) {
        SseRecorder r = SseRecorder.open(gateway.url(path), lastEventId);
        r.awaitOpen();
        return r;
    }

    @Test
    void responseHasTheEventStreamHeaders() {
        try (SseRecorder r = SseRecorder.open(gateway.url("/subscribe/headers"))) {
            Response response = r.awaitOpen();
            assertEquals(200, response.code());
            assertEquals("text/event-stream", response.header("Content-Type"));
            assertEquals("no-cache", response.header("Cache-Control"));
            assertEquals("no", response.header("X-Accel-Buffering"));
        }
    }

    @Test
    void streamOpensWithRetryFlushedAtOnceAndSendsKeepalivesWhenIdle() throws Exception {
        try (RawSse raw = new RawSse(gateway.port(), "/subscribe/raw")) {
            String opening = raw.readUntil("retry: 3000\n\n");
            assertTrue(opening.startsWith("HTTP/1.1 200 OK"), opening);
            String more = raw.readUntil(": keepalive\n\n");
            assertTrue(more.indexOf("retry: 3000") < more.indexOf(": keepalive"));
        }
    }

    @Test
    void eventOnTheWireIsExact() throws Exception {
        try (RawSse raw = new RawSse(gateway.port(), "/subscribe/wire")) {
            raw.readUntil("retry: 3000\n\n");
            Event e = gateway.publish("/wire", "new-cat", "Persian\r\nsecond line");
            String text = raw.readUntil("second line\n\n");
            assertTrue(text.contains("id: " + e.id() + "\nevent: new-cat\ndata: Persian\ndata: second line\n\n"), text);
        }
    }

    @Test
    void parentGetsDescendantsNotLookalikeSiblings() {
        try (SseRecorder pets = subscribe("/subscribe/h1/pets", null);
             SseRecorder cats = subscribe("/subscribe/h1/pets/cats", null)) {
            gateway.publish("/h1/pets/cats", "message", "a");
            gateway.publish("/h1/petshop", "message", "b");
            gateway.publish("/h1/pets", "message", "c");
            assertEquals(List.of("a", "c"), pets.nextData(2));
            assertEquals(List.of("a"), cats.nextData(1));
            pets.assertNoMore(QUIET);
            cats.assertNoMore(QUIET);
        }
    }

    @Test
    void topicParametersMultiplexAndEachEventArrivesOnce() {
        try (SseRecorder s = subscribe("/subscribe/m1/news?topic=/m1/pets&topic=m1/pets/cats", null)) {
            gateway.publish("/m1/pets/cats", "message", "a");
            gateway.publish("/m1/news", "message", "b");
            gateway.publish("/m1/other", "message", "c");
            assertEquals(List.of("a", "b"), s.nextData(2));
            s.assertNoMore(QUIET);
        }
    }

    @Test
    void resumeWithLastEventIdReplaysExactlyWhatWasMissedThenGoesLive() {
        Event seen = gateway.publish("/r1/pets/cats", "message", "seen");
        List<String> missed = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            gateway.publish(i % 2 == 0 ? "/r1/pets/cats" : "/r1/pets/dogs", "message", "m" + i);
            missed.add("m" + i);
        }
        try (SseRecorder s = subscribe("/subscribe/r1/pets", seen.id().toString())) {
            assertEquals(missed, s.nextData(25));
            gateway.publish("/r1/pets", "message", "live");
            SseRecorder.Received live = s.next();
            assertEquals("live", live.data());
            s.assertNoMore(QUIET);
        }
    }

    @Test
    void lastEventIdQueryParameterWorksAndTheHeaderWins() {
        Event a = gateway.publish("/q1", "message", "a");
        Event b = gateway.publish("/q1", "message", "b");
        gateway.publish("/q1", "message", "c");
        try (SseRecorder byParam = subscribe("/subscribe/q1?lastEventId=" + a.id(), null)) {
            assertEquals(List.of("b", "c"), byParam.nextData(2));
        }
        try (SseRecorder both = subscribe("/subscribe/q1?lastEventId=" + a.id(), b.id().toString())) {
            assertEquals(List.of("c"), both.nextData(1));
            both.assertNoMore(QUIET);
        }
    }

    @Test
    void unknownIdGetsHistoryGapThenWhatIsRetained() {
        gateway.publish("/g1", "message", "kept");
        try (SseRecorder s = subscribe("/subscribe/g1", "bogus")) {
            SseRecorder.Received gap = s.next();
            assertEquals("history-gap", gap.type());
            assertTrue(gap.data().startsWith("{\"lastEventId\":\"bogus\",\"oldestRetainedId\":\""), gap.data());
            assertEquals("kept", s.next().data());
        }
    }

    @Test
    void invalidNamespaceIsRefusedWithAReason() {
        Http.Reply reply = Http.get(gateway.url("/subscribe/pets//cats"), null);
        assertEquals(400, reply.status());
        assertTrue(reply.body().contains("INVALID_NAMESPACE"), reply.body());
        Http.Reply space = Http.get(gateway.url("/subscribe/a%20b"), null);
        assertEquals(400, space.status());
    }
}
