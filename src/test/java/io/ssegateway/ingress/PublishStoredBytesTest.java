package io.ssegateway.ingress;

import io.ssegateway.testing.Gateway;
import io.ssegateway.testing.Http;
import io.ssegateway.testing.SseRecorder;
import io.ssegateway.testing.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One publish request stores a bounded amount of history: each event's data once per namespace,
 * summed over the batch. A request over it is refused whole with a 413 that says why.
 */
class PublishStoredBytesTest {
    private static final int MAX_PUBLISH_BYTES = 100_000;
    private static final String DATA = "x".repeat(20_000);
    private static Gateway gateway;
    private static String publisher;

    @BeforeAll
    static void start() {
        gateway = Gateway.start(Map.of("jwt.secret", TestTokens.SECRET, "sse.max-publish-bytes", MAX_PUBLISH_BYTES));
        publisher = TestTokens.publisher(gateway);
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private static String event(String data) {
        return "{\"namespaces\":[\"/stored/a\",\"/stored/b\"],\"data\":\"" + data + "\"}";
    }

    @Test
    void aBatchThatWouldStoreMoreThanTheBoundIsRefusedWholeWith413() {
        try (SseRecorder sub = SseRecorder.open(gateway.url("/subscribe/stored"))) {
            sub.awaitOpen();
            // 3 events x 20 KB x 2 namespaces = 120 KB stored, from a 60 KB body.
            Http.Reply refused = Http.postJson(gateway.url("/broadcast"), publisher,
                    "[" + event(DATA) + "," + event(DATA) + "," + event(DATA) + "]");
            assertEquals(413, refused.status(), refused.body());
            assertTrue(refused.body().contains("\"error\":\"PUBLISH_TOO_LARGE\""), refused.body());
            assertTrue(refused.body().contains("per namespace"), refused.body());

            // 2 x 20 KB x 2 = 80 KB: within the bound, and the first thing the subscriber sees.
            Http.Reply accepted = Http.postJson(gateway.url("/broadcast"), publisher,
                    "[" + event("first") + "," + event(DATA) + "]");
            assertEquals(201, accepted.status(), accepted.body());
            assertEquals("first", sub.next().data());
            assertEquals(DATA, sub.next().data());
        }
    }
}
