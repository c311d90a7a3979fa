package io.ssegateway.egress;

import io.ssegateway.testing.Await;
import io.ssegateway.testing.Gateway;
import io.ssegateway.testing.RawHttp;
import io.ssegateway.testing.Scrape;
import io.ssegateway.testing.SseRecorder;
import io.ssegateway.testing.TransientRefusals;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stream refused for now (draining, at the connection limit) is a 200 event stream that says
 * why, tells the client when to come back (a random delay in the configured range), sends no
 * event and ends: a browser's EventSource reconnects instead of failing for good, and a
 * cross-origin one accepts it. Permanent refusals keep their status.
 */
class TransientRefusalTest {
    private static final long MIN = 200;
    private static final long MAX = 400;
    private static final String ORIGIN = "https://app.example";
    private static final int REFUSALS = 12;

    private static Gateway limited() {
        return Gateway.start(Map.of("sse.max-connections", 1, "sse.allowed-origins", ORIGIN,
                "sse.reconnect-delay-min", MIN + "ms", "sse.reconnect-delay-max", MAX + "ms"));
    }

    @Test
    void atTheConnectionLimitAStreamIsRefusedWithAJitteredRetryCorsHeadersAndTheEndOfTheStream() {
        try (Gateway gateway = limited(); SseRecorder holder = SseRecorder.open(gateway.url("/subscribe/full"))) {
            holder.awaitOpen();
            Set<Long> delays = new HashSet<>();
            for (int i = 0; i < REFUSALS; i++) {
                long retry = TransientRefusals.assertRefusedForNow(gateway.port(), "/subscribe/full", "too-many-connections");
                assertTrue(retry >= MIN && retry <= MAX, "retry " + retry);
                delays.add(retry);
            }
            assertTrue(delays.size() > 1, "the delay is drawn for each client: " + delays);

            TransientRefusals.Refusal crossOrigin = TransientRefusals.read(gateway.port(), "/api/time", "Origin: " + ORIGIN);
            crossOrigin.assertStreamHead();
            assertTrue(crossOrigin.head().contains("\r\naccess-control-allow-origin: " + ORIGIN), crossOrigin.head());

            assertEquals(REFUSALS + 1, Scrape.of(gateway).require("sse_streams_refused_total", "reason", "too-many-connections"));
            assertEquals(0, Scrape.of(gateway).require("sse_streams_refused_total", "reason", "draining"));
            assertEquals(1, gateway.bean(Connections.class).count(), "refused streams never counted as open");
        }
    }

    @Test
    void anEventSourceClientSeesTheRefusalAsAnOpenedStreamThatEndsNotAsAFailure() {
        try (Gateway gateway = limited(); SseRecorder holder = SseRecorder.open(gateway.url("/subscribe/full"))) {
            holder.awaitOpen();
            try (SseRecorder refused = SseRecorder.open(gateway.url("/subscribe/full"))) {
                assertEquals(200, refused.awaitOpen().code());
                assertEquals("closed", refused.awaitEnd(), "ended cleanly, as a stream the server closed");
                assertEquals(List.of(), refused.eventsUntilEnd());
            }
        }
    }

    @Test
    void whileDrainingEveryStreamRouteRefusesForNow() {
        try (Gateway gateway = Gateway.start(Map.of("sse.drain-period", "3s", "sse.allowed-origins", ORIGIN))) {
            // Open streams keep the draining instance up while the requests below arrive.
            List<SseRecorder> open = List.of(SseRecorder.open(gateway.url("/subscribe/x")),
                    SseRecorder.open(gateway.url("/subscribe/x")), SseRecorder.open(gateway.url("/subscribe/x")));
            open.forEach(SseRecorder::awaitOpen);
            gateway.bean(Drain.class).begin("test");
            for (String path : List.of("/subscribe/x", "/stream", "/api/time", "/api/client-count")) {
                TransientRefusals.assertRefusedForNow(gateway.port(), path, "draining");
            }
            assertEquals(4, Scrape.of(gateway).require("sse_streams_refused_total", "reason", "draining"));
            Await.until(() -> !gateway.context().isRunning());
            open.forEach(SseRecorder::close);
        }
    }

    @Test
    void aBadRequestIsStillA400AtTheConnectionLimit() {
        try (Gateway gateway = limited(); SseRecorder holder = SseRecorder.open(gateway.url("/subscribe/full"))) {
            holder.awaitOpen();
            RawHttp.Response bad = RawHttp.exchange(gateway.port(), "GET", "/subscribe/a//b", null);
            assertEquals(400, bad.status(), bad.body());
            assertTrue(bad.header("content-type").startsWith("application/json"), String.valueOf(bad.headers()));
        }
    }
}
