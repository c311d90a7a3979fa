package io.ssegateway.egress;

import io.ssegateway.status.GatewayMetrics;
import io.ssegateway.testing.Await;
import io.ssegateway.testing.Gateway;
import io.ssegateway.testing.RawSse;
import io.ssegateway.testing.Scrape;
import io.ssegateway.testing.SseRecorder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client that stops reading is cut once the bytes queued for it pass the outbound buffer, and
 * counted; it never makes the server hold more, and it does not slow anyone else down.
 */
class SlowClientTest {
    private static final int OUTBOUND_BUFFER = 64 * 1024;
    private static final String PAYLOAD = "x".repeat(32 * 1024);
    /**
     * More than the kernel can buffer for one loopback connection (send buffer up to 4 MiB by
     * default on Linux, plus the client's tiny receive buffer) and the outbound buffer: if the
     * stuck client has not been cut by then, its backlog is growing in the server.
     */
    private static final int MAX_EVENTS = 400;

    private static Gateway gateway;

    @BeforeAll
    static void start() {
        gateway = Gateway.start(Map.of("sse.outbound-buffer", OUTBOUND_BUFFER));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void aClientThatStopsReadingIsCutAndCountedWhileAReaderGetsEveryEvent() throws Exception {
        Connections connections = gateway.bean(Connections.class);
        GatewayMetrics metrics = gateway.bean(GatewayMetrics.class);
        try (SseRecorder reader = SseRecorder.open(gateway.url("/subscribe/slow"));
             RawSse stuck = RawSse.withReceiveBuffer(4096, gateway.port(), "/subscribe/slow")) {
            reader.awaitOpen();
            stuck.readUntil("retry: 3000\n\n");
            Await.until(() -> connections.count() == 2);
            SseStream stuckStream = connections.streams().stream()
                    .filter(s -> s.identity().remote().endsWith(":" + stuck.localPort())).findFirst().orElseThrow();

            int published = 0;
            while (metrics.slowDisconnects() == 0 && published < MAX_EVENTS) {
                gateway.publish("/slow", "message", published + ":" + PAYLOAD);
                // Paced by the reader, so only the stuck client falls behind.
                assertEquals(published + ":" + PAYLOAD, reader.next().data());
                published++;
            }
            assertEquals(1, metrics.slowDisconnects(), "cut after " + published + " events");
            Await.until(() -> connections.count() == 1);
            // Let go at once, not after the client has read the backlog: it may never read it.
            Await.until(() -> !stuckStream.isConnected());
            assertEquals(1, Scrape.of(gateway).require("sse_slow_disconnects_total"));

            gateway.publish("/slow", "message", "after");
            assertEquals("after", reader.next().data());
            assertTrue(stuck.readsToTheEnd(), "the server closed the stuck connection");
        }
    }
}
