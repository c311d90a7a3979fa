package io.ssegateway.egress;

import io.ssegateway.core.Event;
import io.ssegateway.testing.Gateway;
import io.ssegateway.testing.RawSse;
import io.ssegateway.testing.SseRecorder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code SSE_MAX_CONNECTION_AGE}: a stream ends cleanly at that age (less a random part), with a
 * last random {@code retry:}, and its client resumes.
 */
class MaxConnectionAgeTest {
    private static final Duration MAX_AGE = Duration.ofSeconds(1);
    /** The stream's last chunk: a retry: alone, then the end of the chunked body. */
    private static final Pattern LAST_RETRY = Pattern.compile("\r\nretry: ([0-9]+)\n\n\r\n0\r\n\r\n$");
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
    void theLastFrameOfAnAgedStreamIsARandomRetryThenTheBodyEndsCleanly() throws Exception {
        try (RawSse raw = new RawSse(gateway.port(), "/subscribe/age-wire")) {
            String text = raw.readUntil("\r\n0\r\n\r\n");
            Matcher last = LAST_RETRY.matcher(text);
            assertTrue(last.find(), text);
            long retry = Long.parseLong(last.group(1));
            assertTrue(retry >= 500 && retry <= 3000, "within the default reconnect delay range: " + retry);
            assertTrue(raw.readsToTheEnd(), "closed after the last chunk");
        }
    }

    @Test
    void agesAreShortenedAtRandomByUpToTheJitterAndNeverLengthened() {
        Duration age = Duration.ofMinutes(60);
        Set<Duration> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            Duration jittered = MaxAge.jittered(age, 0.2);
            assertTrue(jittered.compareTo(age) <= 0 && jittered.compareTo(Duration.ofMinutes(48)) >= 0, jittered.toString());
            seen.add(jittered);
        }
        assertTrue(seen.size() > 50, "spread: " + seen.size() + " distinct ages of 100");
        assertEquals(age, MaxAge.jittered(age, 0));
        assertEquals(Duration.ofDays(400 * 365L), MaxAge.jittered(Duration.ofDays(400 * 365L), 0.2));
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
