package io.ssegateway.status;

import io.micronaut.context.ApplicationContext;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.ssegateway.testing.JsonTree;
import io.ssegateway.core.Event;
import io.ssegateway.testing.Await;
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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code GET /status}: sse-server's client map, extended, behind the admin role. */
class StatusEndpointTest {
    private static Gateway gateway;

    @BeforeAll
    static void start() {
        gateway = Gateway.start(Map.of("jwt.secret", TestTokens.SECRET));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void statusListsClientsByAddressWithTheirPosition() throws Exception {
        try (SseRecorder s = SseRecorder.open(gateway.url("/subscribe/st/pets?topic=/st/news"))) {
            s.awaitOpen();
            Event e = gateway.publish("/st/pets", "message", "x");
            s.next();
            Http.Reply reply = Http.get(gateway.url("/status"), TestTokens.admin(gateway));
            assertEquals(200, reply.status(), reply.body());
            JsonTree status = JsonTree.parse(reply.body());
            assertTrue(status.get("instance").asText().length() > 0);
            assertTrue(status.get("uptimeSeconds").isNumber());
            JsonTree clients = status.get("clients");
            JsonTree mine = null;
            for (JsonTree c : clients) {
                if (c.get("namespaces").toString().contains("/st/news")) {
                    mine = c;
                }
            }
            assertTrue(mine != null, reply.body());
            String remote = mine.get("remote").asText();
            assertTrue(remote.matches("127\\.0\\.0\\.1:\\d+"), remote);
            assertEquals(mine, clients.get(remote));
            assertTrue(mine.get("connectedAt").asText().contains("T"));
            assertEquals(e.id().toString(), mine.get("lastEventId").asText());
            assertEquals("[\"/st/pets\",\"/st/news\"]", mine.get("namespaces").toString());
            assertEquals(1, status.get("namespaces").get("/st/news").asInt());
        }
    }

    @Test
    void aClientWithNoEventYetHasLastEventIdNull() throws Exception {
        try (SseRecorder s = SseRecorder.open(gateway.url("/subscribe/st/quiet"))) {
            s.awaitOpen();
            JsonTree mine = Await.value(Await.TIMEOUT, "the stream in /status", () -> {
                for (JsonTree c : status().get("clients")) {
                    if (c.get("namespaces").toString().equals("[\"/st/quiet\"]")) {
                        return c;
                    }
                }
                return null;
            });
            // sse-server's format always carries the key: null until the first event.
            assertTrue(mine.has("lastEventId"), mine.toString());
            assertTrue(mine.get("lastEventId").isNull(), mine.toString());
        }
    }

    @Test
    void anInstanceWithNoStreamStillListsEveryMapEmpty() {
        try (Gateway fresh = Gateway.start(Map.of("jwt.secret", TestTokens.SECRET))) {
            JsonTree status = JsonTree.parse(Http.get(fresh.url("/status"), TestTokens.admin(fresh)).body());
            for (String map : List.of("clients", "namespaces", "endpoints")) {
                assertTrue(status.has(map), map + " is missing: " + status);
                assertEquals("{}", status.get(map).toString(), map);
            }
            assertEquals(0, status.get("clientCount").asInt(), status.toString());
            assertEquals(0, status.get("cluster").get("clientCount").asInt(), status.toString());
            assertEquals(1, status.get("cluster").get("instances").size(), status.toString());
        }
    }

    private static JsonTree status() {
        Http.Reply reply = Http.get(gateway.url("/status"), TestTokens.admin(gateway));
        assertEquals(200, reply.status(), reply.body());
        return JsonTree.parse(reply.body());
    }

    @Test
    void uptimeCountsFromStartupNotFromTheFirstRequest() throws Exception {
        java.time.Instant afterStart;
        try (Gateway fresh = Gateway.start(Map.of("jwt.secret", TestTokens.SECRET))) {
            afterStart = java.time.Instant.now();
            Await.until(() -> java.time.Instant.now().isAfter(afterStart.plusMillis(20)));
            JsonTree status = JsonTree.parse(Http.get(fresh.url("/status"), TestTokens.admin(fresh)).body());
            java.time.Instant startedAt = java.time.Instant.parse(status.get("startedAt").asText());
            assertTrue(!startedAt.isAfter(afterStart), startedAt + " is after " + afterStart);
        }
    }

    @Test
    void statusNeedsTheAdminRole() {
        assertEquals(401, Http.get(gateway.url("/status"), null).status());
        assertEquals(403, Http.get(gateway.url("/status"), TestTokens.publisher(gateway)).status());
    }

    @Test
    void statusIsOpenWhenConfiguredPublic() {
        try (Gateway open = Gateway.start(Map.of("jwt.secret", TestTokens.SECRET, "sse.admin-public", true))) {
            assertEquals(200, Http.get(open.url("/status"), null).status());
        }
    }

    /**
     * An indicator built on Micronaut's AbstractHealthIndicator computes on the I/O pool, and its
     * answer reaches the probe's connection through the event loop's task queue, behind the
     * fan-out waiting there: under 2,000 clients that never read, up to 1.8 s per probe.
     */
    @Test
    void probesAreAnsweredFromMemoryWithoutWaitingForAPoolThread() {
        for (HealthIndicator indicator : gateway.bean(ApplicationContext.class).getBeansOfType(HealthIndicator.class)) {
            assertFalse(indicator instanceof AbstractHealthIndicator, indicator.getClass().getName() + " runs on the I/O pool");
        }
        Http.Reply liveness = Http.get(gateway.url("/health/liveness"), null);
        assertEquals(200, liveness.status());
        assertEquals("UP", JsonTree.parse(liveness.body()).get("status").asText(), liveness.body());
    }

    @Test
    void readinessIsUpWithAHealthyBroker() {
        Await.until(() -> Http.get(gateway.url("/health/readiness"), null).status() == 200);
        assertEquals(200, Http.get(gateway.url("/health/liveness"), null).status());
    }
}
