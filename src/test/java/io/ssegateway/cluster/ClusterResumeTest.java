package io.ssegateway.cluster;

import io.ssegateway.core.EventId;
import io.ssegateway.egress.Drain;
import io.ssegateway.testing.Await;
import io.ssegateway.testing.Gateway;
import io.ssegateway.testing.RedisServer;
import io.ssegateway.testing.SseRecorder;
import io.ssegateway.testing.SseRecorder.Received;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static io.ssegateway.cluster.Cluster.ids;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client that leaves one instance and reconnects to another with {@code Last-Event-ID} gets
 * exactly what it missed, in publish order, once, then live events: whether it left by itself
 * or because its instance drained. Instances {@code a} and {@code b} serve the resumes; {@code c}
 * is the one that drains.
 */
class ClusterResumeTest {
    /** Bounds a publisher thread: the test stops it long before, this only guards a broken test. */
    private static final int MAX_PUBLISHES = 3000;
    private static Cluster cluster;
    private static Gateway a;
    private static Gateway b;
    private static Gateway c;

    @BeforeAll
    static void start() {
        cluster = Cluster.start(3, RedisServer.shared());
        a = cluster.get(0);
        b = cluster.get(1);
        c = cluster.get(2);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @AfterEach
    void closeStreams() {
        cluster.closeStreams();
    }


    /**
     * What is published while the client is away, on both instances, and which of it each kind
     * of subscription matches: {@code L} the leaf {@code /pets/cats}, {@code P} the parent
     * {@code /pets}, {@code M} {@code /news} multiplexed with {@code /pets/cats}.
     */
    private static final String[][] WHILE_AWAY = {
            {"a", "/pets/cats", "LPM"},
            {"b", "/pets/dogs", "P"},
            {"b", "/pets/cats", "LPM"},
            {"a", "/news", "M"},
            {"a", "/news /pets/cats", "LPM"},
            {"b", "/pets/dogs", "P"},
            {"a", "/pets", "P"},
            {"b", "/pets/cats", "LPM"},
    };

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "leaf, L, /subscribe/{r}/pets/cats",
            "parent, P, /subscribe/{r}/pets",
            "multiplexed, M, /subscribe/{r}/news?topic={r}/pets/cats",
    })
    void resumeOnAnotherInstanceGetsExactlyTheMissedEventsInOrderThenLive(String root, String kind, String path) {
        String subscription = path.replace("{r}", root);
        SseRecorder first = cluster.subscribe(a, subscription);
        String seen = cluster.publish(a, "/" + root + "/pets/cats", "seen");
        first.assertEvent(seen, null, "seen");
        first.close();

        List<String> expected = new ArrayList<>();
        for (String[] p : WHILE_AWAY) {
            Gateway on = p[0].equals("a") ? a : b;
            List<String> namespaces = List.of(p[1].split(" ")).stream().map(n -> "\"/" + root + n + "\"").toList();
            String id = cluster.publishJson(on, "{\"namespaces\":" + namespaces + ",\"data\":\"" + p[1] + "\"}");
            if (p[2].contains(kind)) {
                expected.add(id);
            }
        }

        SseRecorder resumed = cluster.subscribe(b, subscription, seen);

        assertEquals(expected, ids(resumed.next(expected.size())));
        String live = cluster.publish(a, "/" + root + "/pets/cats", "live");
        resumed.assertEvent(live, null, "live");
    }

    @Test
    void resumeWhileEventsArePublishedOnBothInstancesHasNoGapAndNoDuplicate() throws Exception {
        SseRecorder first = cluster.subscribe(a, "/subscribe/busy/pets");
        String seen = cluster.publish(a, "/busy/pets/cats", "seen");
        first.assertEvent(seen, null, "seen");
        first.close();

        try (Publishing publishing = new Publishing("/busy/pets/cats", "/busy/pets/dogs")) {
            Await.until(Await.TIMEOUT, "some events to be missed", () -> publishing.published.size() >= 20);
            SseRecorder resumed = cluster.subscribe(b, "/subscribe/busy/pets", seen);
            int atResume = publishing.published.size();

            List<String> received = new ArrayList<>();
            while (received.size() < atResume + 30) {
                received.add(resumed.next().id());
            }
            List<String> published = publishing.stop();
            while (received.size() < published.size()) {
                received.add(resumed.next().id());
            }

            assertStrictlyIncreasing(received);
            assertEquals(published, received);
            String last = cluster.publish(b, "/busy/pets/dogs", "last");
            resumed.assertEvent(last, null, "last");
        }
    }

    @Test
    void drainedInstanceClosesItsStreamsAndTheirClientsResumeElsewhereLosingNothing() throws Exception {
        List<SseRecorder> onC = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            onC.add(cluster.subscribe(c, "/subscribe/drain"));
        }
        String first = cluster.publish(a, "/drain/x", "first");
        for (SseRecorder s : onC) {
            s.assertEvent(first, null, "first");
        }

        try (Publishing publishing = new Publishing("/drain/x", "/drain/y")) {
            Await.until(Await.TIMEOUT, "publishing to be under way", () -> publishing.published.size() >= 10);
            c.bean(Drain.class).begin("test");

            List<List<String>> received = new ArrayList<>();
            List<SseRecorder> resumed = new ArrayList<>();
            for (int i = 0; i < onC.size(); i++) {
                List<String> got = new ArrayList<>(List.of(first));
                got.addAll(ids(onC.get(i).eventsUntilEnd()));
                received.add(got);
                // The load balancer sends the reconnecting client to an instance still in service.
                resumed.add(cluster.subscribe(i % 2 == 0 ? a : b, "/subscribe/drain", got.get(got.size() - 1)));
            }
            for (int i = 0; i < resumed.size(); i++) {
                received.get(i).add(resumed.get(i).next().id());
            }
            List<String> published = new ArrayList<>(List.of(first));
            published.addAll(publishing.stop());

            for (int i = 0; i < resumed.size(); i++) {
                List<String> got = received.get(i);
                while (got.size() < published.size()) {
                    got.add(resumed.get(i).next().id());
                }
                assertEquals(published, got, "client " + i);
            }
        }
    }

    private static void assertStrictlyIncreasing(List<String> ids) {
        for (int i = 1; i < ids.size(); i++) {
            EventId before = EventId.parseOrNull(ids.get(i - 1));
            EventId after = EventId.parseOrNull(ids.get(i));
            assertTrue(before.sameEpoch(after) && after.isAfter(before), ids.get(i - 1) + " then " + ids.get(i));
        }
    }

    /**
     * Publishes on a thread of its own, through {@code a} and {@code b} in turn and to the given
     * namespaces in turn, until stopped; each publish waits for its 201, so the list of ids is in
     * publish order.
     */
    private static final class Publishing implements AutoCloseable {
        final List<String> published = Collections.synchronizedList(new ArrayList<>());
        private final AtomicBoolean stopped = new AtomicBoolean();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final Thread thread;

        Publishing(String... namespaces) {
            thread = new Thread(() -> {
                try {
                    for (int i = 0; i < MAX_PUBLISHES && !stopped.get(); i++) {
                        published.add(cluster.publish(i % 2 == 0 ? a : b, namespaces[i % namespaces.length], "p" + i));
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, "test-publisher");
            thread.start();
        }

        /** Stops publishing and returns every id published, in order. */
        List<String> stop() throws InterruptedException {
            stopped.set(true);
            thread.join(TimeUnit.SECONDS.toMillis(10));
            assertFalse(thread.isAlive(), "the publisher stopped");
            assertNull(failure.get(), () -> "the publisher failed: " + failure.get());
            synchronized (published) {
                return List.copyOf(published);
            }
        }

        @Override
        public void close() throws InterruptedException {
            stopped.set(true);
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
    }
}
