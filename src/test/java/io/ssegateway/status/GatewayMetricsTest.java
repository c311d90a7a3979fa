package io.ssegateway.status;

import io.ssegateway.core.Event;
import io.ssegateway.core.EventDraft;
import io.ssegateway.core.Namespace;
import io.ssegateway.core.PublishGrant;
import io.ssegateway.core.Publisher;
import io.ssegateway.egress.Connections;
import io.ssegateway.testing.Await;
import io.ssegateway.testing.Gateway;
import io.ssegateway.testing.Http;
import io.ssegateway.testing.Scrape;
import io.ssegateway.testing.SseRecorder;
import io.ssegateway.testing.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gateway's series on {@code /prometheus}, scraped after real traffic. */
class GatewayMetricsTest {
    private static Gateway gateway;

    @BeforeAll
    static void start() {
        gateway = Gateway.start(Map.of("jwt.secret", TestTokens.SECRET));
        gateway.bean(Publisher.class).publish(EventDraft.of(Namespace.parse("/m0"), "message", "early"),
                PublishGrant.ANYWHERE, "early").join();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    /** Streams of an earlier test may still be closing on the server: start from none. */
    @BeforeEach
    void noStreamsOpen() {
        Await.until(() -> gateway.bean(Connections.class).count() == 0);
    }

    private static SseRecorder subscribe(String path, String lastEventId) {
        SseRecorder r = SseRecorder.open(gateway.url(path), lastEventId);
        r.awaitOpen();
        return r;
    }

    @Test
    void publishesBeforeTheFirstScrapeAreCounted() {
        assertEquals(1, Scrape.of(gateway).require("sse_events_published_total", "source", "early"));
    }

    @Test
    void publishesAreCountedAndTimedBySource() {
        Scrape before = Scrape.of(gateway);
        String token = TestTokens.publisher(gateway);
        for (int i = 0; i < 3; i++) {
            Http.Reply reply = Http.postJson(gateway.url("/broadcast"), token, "{\"namespace\":\"/m1\",\"data\":\"" + i + "\"}");
            assertEquals(201, reply.status(), reply.body());
        }
        gateway.publish("/m1", "message", "direct");
        Scrape after = Scrape.of(gateway);
        assertEquals(3, delta(before, after, "sse_events_published_total", "source", "http"));
        assertEquals(1, delta(before, after, "sse_events_published_total", "source", "test"));
        assertEquals(3, delta(before, after, "sse_publish_latency_seconds_count", "source", "http"));
        assertTrue(after.require("sse_publish_latency_seconds_sum", "source", "http") > 0);
        // The histogram has buckets, so a dashboard can compute quantiles across instances.
        assertEquals(after.require("sse_publish_latency_seconds_count", "source", "http"),
                after.require("sse_publish_latency_seconds_bucket", "le", "+Inf", "source", "http"));
    }

    @Test
    void openStreamsAreGaugedByEndpointAndDeliveriesCounted() {
        Scrape before = Scrape.of(gateway);
        try (SseRecorder a = subscribe("/subscribe/m2", null);
             SseRecorder b = subscribe("/subscribe/m2/x", null);
             SseRecorder time = subscribe("/api/time", null)) {
            time.next();
            gateway.publish("/m2/x", "message", "one");
            assertEquals("one", a.next().data());
            assertEquals("one", b.next().data());
            Scrape during = Scrape.of(gateway);
            assertEquals(2, during.require("sse_connections", "endpoint", "subscribe"));
            assertEquals(1, during.require("sse_connections", "endpoint", "time"));
            assertEquals(0, during.require("sse_connections", "endpoint", "stream"));
            assertEquals(3, delta(before, during, "sse_connections_opened_total"));
            assertTrue(delta(before, during, "sse_events_delivered_total") >= 2);
        }
        Await.until(() -> Scrape.of(gateway).require("sse_connections", "endpoint", "time") == 0);
    }

    @Test
    void resumesAreCountedAsExactOrGapWithTheEventsReplayed() {
        Event first = gateway.publish("/m3", "message", "a");
        gateway.publish("/m3", "message", "b");
        gateway.publish("/m3", "message", "c");
        Scrape before = Scrape.of(gateway);
        try (SseRecorder exact = subscribe("/subscribe/m3", first.id().toString())) {
            assertEquals(List.of("b", "c"), exact.nextData(2));
        }
        try (SseRecorder gap = subscribe("/subscribe/m3", "no-such-id")) {
            assertEquals("history-gap", gap.next().type());
            assertEquals(List.of("a", "b", "c"), gap.nextData(3));
        }
        Scrape after = Scrape.of(gateway);
        assertEquals(1, delta(before, after, "sse_resumes_total", "result", "exact"));
        assertEquals(1, delta(before, after, "sse_resumes_total", "result", "gap"));
        assertEquals(5, delta(before, after, "sse_events_replayed_total", "cause", "resume"));
    }

    @Test
    void healthOfTheInstanceIsExported() {
        Scrape now = Scrape.of(gateway);
        assertEquals(1, now.require("sse_broker_healthy", "kind", "local"));
        assertEquals(0, now.require("sse_draining"));
        assertEquals(0, now.require("sse_slow_disconnects_total"));
    }

    private static double delta(Scrape before, Scrape after, String name, String... labels) {
        Double was = before.value(name, labels);
        return after.require(name, labels) - (was == null ? 0 : was);
    }
}
