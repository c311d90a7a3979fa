package io.ssegateway.egress;

import io.ssegateway.core.Event;
import io.ssegateway.testing.Gateway;
import io.ssegateway.testing.SseRecorder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code SSE_MAX_CONNECTION_AGE}: a stream ends cleanly at that age, and its client resumes. */
class MaxConnectionAgeTest {
    private static final Duration MAX_AGE = Duration.ofSeconds(1);
    private static Gateway gateway;

    @BeforeAll
    static void start() {
        gateway = Gateway.start(Map.of("sse.max-connection-age", MAX_AGE.toString()));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void streamEndsAtTheMaximumAgeAndTheClientResumesWithoutLoss() {
        Event seen;
        try (SseRecorder first = SseRecorder.open(gateway.url("/subscribe/age"))) {
            long opened = System.nanoTime();
            first.awaitOpen();
            seen = gateway.publish("/age", "message", "a");
            assertEquals("a", first.next().data());
            assertEquals("closed", first.awaitEnd(), "ended with a last chunk, not cut");
            long lived = first.endedAtNanos() - opened;
            assertTrue(lived >= MAX_AGE.toNanos() / 2, "ended after " + Duration.ofNanos(lived));
        }
        gateway.publish("/age", "message", "missed");
        try (SseRecorder again = SseRecorder.open(gateway.url("/subscribe/age"), seen.id().toString())) {
            again.awaitOpen();
            assertEquals("missed", again.next().data());
            gateway.publish("/age", "message", "live");
            assertEquals("live", again.next().data());
        }
    }
}
