package io.ssegateway.egress;

import io.ssegateway.core.Event;
import io.ssegateway.testing.Gateway;
import io.ssegateway.testing.RawSse;
import io.ssegateway.testing.SseParser;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many clients resuming from one id, as after a restart or a network blip, share the replay's
 * bytes on the server; each still gets every event after its id once, in order, then live ones.
 */
class SharedReplayTest {
    private static final int CLIENTS = 12;
    /** Several slices of replay per client, each run well past {@link SharedRuns#MIN_EVENTS}. */
    private static final int EVENTS = 600;
    private static final String PAYLOAD = "s".repeat(200);

    @Test
    void clientsResumingFromOneIdEachGetEveryLaterEventOnceInOrderThenLiveOnes() throws Exception {
        try (Gateway gateway = Gateway.start(Map.of())) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < EVENTS; i++) {
                ids.add(gateway.publish("/shared", "message", i + ":" + PAYLOAD).id().toString());
            }
            List<RawSse> clients = new ArrayList<>();
            try {
                for (int i = 0; i < CLIENTS; i++) {
                    clients.add(new RawSse(gateway.port(), "/subscribe/shared", "Last-Event-ID: " + ids.get(0)));
                }
                for (RawSse c : clients) {
                    c.readUntil((EVENTS - 1) + ":" + PAYLOAD);
                }
                SseStream stream = gateway.bean(Connections.class).streams().get(0);
                int shared = stream.eventLoop().submit(() -> SharedRuns.of(stream.eventLoop()).size()).get(5, TimeUnit.SECONDS);
                assertTrue(shared > 0, "no replay run was shared on the streams' loop");
                Event live = gateway.publish("/shared", "message", "live");
                for (RawSse c : clients) {
                    c.readUntil("data: live");
                    List<String> got = new ArrayList<>();
                    for (SseParser.Parsed e : c.events()) {
                        got.add(e.id());
                    }
                    List<String> expected = new ArrayList<>(ids.subList(1, EVENTS));
                    expected.add(live.id().toString());
                    assertEquals(expected, got);
                }
            } finally {
                for (RawSse c : clients) {
                    c.close();
                }
            }
        }
    }
}
