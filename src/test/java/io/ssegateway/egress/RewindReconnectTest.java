package io.ssegateway.egress;

import io.ssegateway.core.Event;
import io.ssegateway.testing.Gateway;
import io.ssegateway.testing.Http;
import io.ssegateway.testing.RawSse;
import io.ssegateway.testing.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code rewind} and {@code since} on a first connect, read by a raw-socket client that
 * reconnects as a browser's EventSource does: the same URL, still carrying {@code rewind}, plus
 * {@code Last-Event-ID}. It must resume, never rewind twice. On both brokers.
 */
class RewindReconnectTest {
    private static final Pattern DATA = Pattern.compile("id: (\\S+)\n(?:event: \\S+\n)?data: (\\S+)\n\n");

    private static Gateway gateway(String broker) {
        return broker.equals("redis")
                ? Gateway.start(Map.of("redis.uri", RedisServer.shared().uri(), "sse.channel-prefix", RedisServer.uniquePrefix()))
                : Gateway.start();
    }

    /** The data of every event in {@code text}, in order; {@code ids} gets their ids. */
    private static List<String> data(String text, List<String> ids) {
        List<String> out = new ArrayList<>();
        Matcher m = DATA.matcher(text.replace("\r\n", "\n"));
        while (m.find()) {
            ids.add(m.group(1));
            out.add(m.group(2));
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "redis"})
    void reconnectToTheRewindUrlWithLastEventIdResumesAndNeverRewindsTwice(String broker) throws Exception {
        try (Gateway gw = gateway(broker)) {
            for (int i = 0; i < 5; i++) {
                gw.publish("/rw", "message", "old" + i);
            }
            String url = "/subscribe/rw?rewind=3";
            List<String> ids = new ArrayList<>();
            String last;
            try (RawSse first = new RawSse(gw.port(), url)) {
                first.readUntil("data: old4\n");
                gw.publish("/rw", "message", "live1");
                String text = first.readUntil("data: live1\n");
                assertEquals(List.of("old2", "old3", "old4", "live1"), data(text, ids));
                assertTrue(!text.contains("history-gap"), text);
                last = ids.get(ids.size() - 1);
            }
            // Published while the client is away: the resume must bring it, and only it.
            gw.publish("/rw", "message", "missed");
            try (RawSse again = new RawSse(gw.port(), url, "Last-Event-ID: " + last)) {
                again.readUntil("data: missed\n");
                gw.publish("/rw", "message", "live2");
                String text = again.readUntil("data: live2\n");
                assertEquals(List.of("missed", "live2"), data(text, new ArrayList<>()));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "redis"})
    void sinceStartsAtThePublishTimeThenGoesLive(String broker) throws Exception {
        try (Gateway gw = gateway(broker)) {
            gw.publish("/since", "message", "before");
            Event from = gw.publish("/since", "message", "from");
            gw.publish("/since", "message", "after");
            try (RawSse s = new RawSse(gw.port(), "/subscribe/since?since=" + from.id().millis())) {
                s.readUntil("data: after\n");
                gw.publish("/since", "message", "live");
                List<String> got = data(s.readUntil("data: live\n"), new ArrayList<>());
                // "before" shares the millisecond with "from" when both fell within it.
                List<String> tail = got.subList(got.indexOf("from"), got.size());
                assertEquals(List.of("from", "after", "live"), tail);
            }
            String rfc3339 = java.time.Instant.ofEpochMilli(from.id().millis()).toString();
            try (RawSse s = new RawSse(gw.port(), "/subscribe/since?since=" + rfc3339)) {
                assertTrue(s.readUntil("data: after\n").contains("data: from\n"));
            }
        }
    }

    @Test
    void startPointOutsideWhatIsAllowedIsA400ThatSaysWhy() {
        try (Gateway gw = Gateway.start()) {
            for (String query : List.of("rewind=0", "rewind=10001", "rewind=two", "since=yesterday",
                    "since=12345678901234", "rewind=1&since=0")) {
                Http.Reply reply = Http.get(gw.url("/subscribe/bad?" + query), null);
                assertEquals(400, reply.status(), query + ": " + reply.body());
                assertTrue(reply.body().contains("INVALID_PARAMETER"), query + ": " + reply.body());
            }
        }
    }
}
