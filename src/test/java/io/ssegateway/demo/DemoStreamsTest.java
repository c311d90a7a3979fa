package io.ssegateway.demo;

import io.ssegateway.testing.Gateway;
import io.ssegateway.testing.Http;
import io.ssegateway.testing.RawSse;
import io.ssegateway.testing.SseRecorder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sse-server demo stream and the two small API streams, over real HTTP. */
class DemoStreamsTest {
    private static final Pattern MESSAGE = Pattern.compile("\\{\n  \"time\": \\d+,\n  \"random\": \"([A-Za-z]{16})\"\n}");
    private static Gateway gateway;

    @BeforeAll
    static void start() {
        gateway = Gateway.start(Map.of("sse.demo-interval", "100ms"));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void streamSaysHelloToTheClientThenNumberedMessages() {
        try (SseRecorder s = SseRecorder.open(gateway.url("/stream"))) {
            SseRecorder.Received hello = s.next();
            assertEquals("hello", hello.id());
            assertTrue(hello.data().matches("Hello, 127\\.0\\.0\\.1:\\d+!"), hello.data());
            SseRecorder.Received first = s.next();
            assertEquals("message-1", first.id());
            assertTrue(MESSAGE.matcher(first.data()).matches(), first.data());
            assertEquals("message-2", s.next().id());
        }
    }

    @Test
    void messagesSpanSeveralDataLinesOnTheWire() throws Exception {
        try (RawSse raw = new RawSse(gateway.port(), "/stream?count=1")) {
            String text = raw.readUntil("data: }\n\n");
            assertTrue(text.contains("id: hello\ndata: Hello, 127.0.0.1:"), text);
            assertTrue(Pattern.compile("id: message-1\ndata: \\{\ndata:   \"time\": \\d+,\ndata:   \"random\": \"[A-Za-z]{16}\"\ndata: }\n\n")
                    .matcher(text).find(), text);
        }
    }

    @Test
    void randomStringIsTheSameForTheSameNumberOnEveryConnection() {
        String a;
        String b;
        try (SseRecorder one = SseRecorder.open(gateway.url("/stream"))) {
            one.next();
            a = random(one.next().data());
        }
        try (SseRecorder two = SseRecorder.open(gateway.url("/stream"))) {
            two.next();
            b = random(two.next().data());
            assertNotEquals(a, random(two.next().data()));
        }
        assertEquals(a, b);
    }

    @Test
    void lastEventIdResumesTheSequenceAtN() {
        String randomOf7;
        try (SseRecorder s = SseRecorder.open(gateway.url("/stream"), "message-7")) {
            assertEquals("hello", s.next().id());
            SseRecorder.Received seven = s.next();
            assertEquals("message-7", seven.id());
            randomOf7 = random(seven.data());
            assertEquals("message-8", s.next().id());
        }
        assertEquals(DemoStreamRoute.random(7), randomOf7);
    }

    @Test
    void countEndsTheStreamAfterThatManyMessages() {
        try (SseRecorder s = SseRecorder.open(gateway.url("/stream?count=2"))) {
            assertEquals("hello", s.next().id());
            assertEquals("message-1", s.next().id());
            assertEquals("message-2", s.next().id());
            s.awaitEnd();
        }
    }

    @Test
    void timeStreamSendsTheTimeAsJsonString() {
        try (SseRecorder s = SseRecorder.open(gateway.url("/api/time"))) {
            SseRecorder.Received t = s.next();
            assertEquals("time", t.type());
            assertTrue(t.data().matches("\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\""), t.data());
        }
    }

    @Test
    void clientCountFollowsOpenStreams() {
        try (SseRecorder counter = SseRecorder.open(gateway.url("/api/client-count"))) {
            SseRecorder.Received first = counter.next();
            assertEquals("client-count", first.type());
            int base = count(first.data());
            try (SseRecorder other = SseRecorder.open(gateway.url("/subscribe/cc"))) {
                other.awaitOpen();
                assertEquals(base + 1, nextCountOtherThan(counter, base));
            }
            assertEquals(base, nextCountOtherThan(counter, base + 1));
        }
    }

    @Test
    void disabledDemoStreamsAreNotServed() {
        try (Gateway off = Gateway.start(Map.of("sse.demo-enabled", false))) {
            assertEquals(404, Http.get(off.url("/stream"), null).status());
            assertEquals(404, Http.get(off.url("/api/time"), null).status());
        }
    }

    private static int nextCountOtherThan(SseRecorder counter, int old) {
        while (true) {
            int n = count(counter.next().data());
            if (n != old) {
                return n;
            }
        }
    }

    private static int count(String data) {
        var m = Pattern.compile("\\{\"Count\": (\\d+)}").matcher(data);
        assertTrue(m.matches(), data);
        return Integer.parseInt(m.group(1));
    }

    private static String random(String data) {
        var m = MESSAGE.matcher(data);
        assertTrue(m.matches(), data);
        return m.group(1);
    }
}
