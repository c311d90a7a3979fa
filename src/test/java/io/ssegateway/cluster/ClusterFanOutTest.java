package io.ssegateway.cluster;

import io.ssegateway.testing.JsonTree;
import io.lettuce.core.api.sync.RedisCommands;
import io.ssegateway.egress.Connections;
import io.ssegateway.testing.Await;
import io.ssegateway.testing.Gateway;
import io.ssegateway.testing.Http;
import io.ssegateway.testing.RawSse;
import io.ssegateway.testing.RedisServer;
import io.ssegateway.testing.SseRecorder;
import io.ssegateway.testing.SseRecorder.Received;
import io.ssegateway.testing.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.ssegateway.cluster.Cluster.ids;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three instances on one Redis: whatever is published, through any instance's HTTP API or
 * control port or straight into Redis by another tool, reaches the matching subscribers of
 * every instance, each event once and with the same id everywhere; and each instance counts the
 * others' clients.
 *
 * <p>"Nothing more arrived" is checked by publishing a last event and seeing it come next: a
 * stream delivers in order, so anything extra would have come before it.
 */
class ClusterFanOutTest {
    private static Cluster cluster;
    private static Gateway a;
    private static Gateway b;
    private static Gateway c;
    /** The control port of instance {@code a}; the others have none. */
    private static int controlPort;
    private static RedisCli tool;
    private static RedisCommands<String, String> redisCli;

    @BeforeAll
    static void start() {
        controlPort = freePort();
        cluster = Cluster.start(3, RedisServer.shared(), Map.of(), Map.of("sse.control.port", controlPort));
        a = cluster.get(0);
        b = cluster.get(1);
        c = cluster.get(2);
        tool = new RedisCli(RedisServer.shared().uri());
        redisCli = tool.commands();
    }

    @AfterAll
    static void stop() {
        tool.close();
        cluster.close();
    }

    @AfterEach
    void closeStreams() {
        cluster.closeStreams();
    }



    private List<SseRecorder> subscribeEverywhere(String pathAndQuery) {
        return List.of(cluster.subscribe(a, pathAndQuery), cluster.subscribe(b, pathAndQuery), cluster.subscribe(c, pathAndQuery));
    }

    private void rawPublish(String namespace, String payload) {
        redisCli.publish(cluster.prefix() + namespace, payload);
    }

    @Test
    void eventPublishedOnOneInstanceReachesSubscribersOnEveryInstanceWithTheSameId() {
        List<SseRecorder> everywhere = subscribeEverywhere("/subscribe/fan/pets/cats");

        String id = cluster.publishJson(a, "{\"namespace\":\"/fan/pets/cats\",\"event\":\"new-cat\",\"data\":\"Persian\"}");
        String last = cluster.publish(c, "/fan/pets/cats", "last");

        for (SseRecorder s : everywhere) {
            s.assertEvent(id, "new-cat", "Persian");
            s.assertEvent(last, null, "last");
        }
    }

    @Test
    void lineSentToOneInstancesControlPortReachesSubscribersOnEveryInstance() throws IOException {
        List<SseRecorder> everywhere = subscribeEverywhere("/subscribe/ctl/pets");

        String reply;
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), controlPort)) {
            socket.setSoTimeout((int) Await.TIMEOUT.toMillis());
            socket.getOutputStream().write("/ctl/pets/cats new-cat = Persian\n".getBytes(StandardCharsets.UTF_8));
            reply = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
        }

        assertTrue(reply.startsWith("OK "), reply);
        for (SseRecorder s : everywhere) {
            s.assertEvent(reply.substring(3), "new-cat", "Persian");
        }
    }

    @Test
    void parentOnEveryInstanceGetsItsDescendantsButNotLookalikeSiblings() {
        List<SseRecorder> parents = subscribeEverywhere("/subscribe/tree/pets");
        SseRecorder leaf = cluster.subscribe(b, "/subscribe/tree/pets/cats");

        String cat = cluster.publish(a, "/tree/pets/cats", "cat");
        cluster.publish(a, "/tree/petshop", "shop");
        String dog = cluster.publish(c, "/tree/pets/dogs", "dog");
        String own = cluster.publish(b, "/tree/pets", "own");
        String lastCat = cluster.publish(a, "/tree/pets/cats", "last");

        for (SseRecorder p : parents) {
            assertEquals(List.of(cat, dog, own, lastCat), ids(p.next(4)));
        }
        assertEquals(List.of(cat, lastCat), ids(leaf.next(2)));
    }

    @Test
    void multiplexedSubscriptionOnAnotherInstanceGetsEachEventOnce() {
        SseRecorder s = cluster.subscribe(b, "/subscribe/mux/news?topic=/mux/pets&topic=mux/pets/cats");

        String both = cluster.publishJson(a, "{\"namespaces\":[\"/mux/news\",\"/mux/pets/cats\"],\"data\":\"both\"}");
        String cat = cluster.publish(a, "/mux/pets/cats", "cat");
        cluster.publish(a, "/mux/other", "not subscribed");
        String news = cluster.publish(c, "/mux/news", "news");

        assertEquals(List.of(both, cat, news), ids(s.next(3)));
    }

    @Test
    void eventOfSeveralNamespacesReachesEachInstanceOnce() {
        List<SseRecorder> parents = subscribeEverywhere("/subscribe/multi");
        SseRecorder one = cluster.subscribe(c, "/subscribe/multi/one");
        SseRecorder two = cluster.subscribe(a, "/subscribe/multi/two");

        String id = cluster.publishJson(b, "{\"namespaces\":[\"/multi/one\",\"/multi/two\",\"/multi/three\"],\"data\":\"x\"}");
        String after = cluster.publishJson(b, "{\"namespaces\":[\"/multi/one\",\"/multi/two\"],\"data\":\"after\"}");

        for (SseRecorder s : List.of(parents.get(0), parents.get(1), parents.get(2), one, two)) {
            assertEquals(List.of(id, after), ids(s.next(2)));
        }
    }

    @Test
    void plainTextPublishedInRedisReachesEveryInstanceAsAMessageWithoutId() {
        List<SseRecorder> everywhere = subscribeEverywhere("/subscribe/pets/cats");

        rawPublish("/pets/cats", "Persian");

        for (SseRecorder s : everywhere) {
            s.assertEvent(null, null, "Persian");
        }
    }

    @Test
    void sseFieldsPublishedInRedisAreReadAsFieldsOnEveryInstance() {
        List<SseRecorder> everywhere = subscribeEverywhere("/subscribe/pets");

        rawPublish("/pets/cats", "event: new-cat\ndata: Persian");
        rawPublish("/pets/dogs", "event: new-dog\r\ndata: Beagle\r\ndata: Pug");

        for (SseRecorder s : everywhere) {
            s.assertEvent(null, "new-cat", "Persian");
            s.assertEvent(null, "new-dog", "Beagle\nPug");
        }
    }

    @Test
    void idInARawPayloadNeverReachesTheWireAndLineBreaksCannotInjectFields() throws Exception {
        try (RawSse raw = new RawSse(b.port(), "/subscribe/inject")) {
            raw.readUntil("retry: 3000\n\n");

            rawPublish("/inject", "id: 5\rdata: evil");
            rawPublish("/inject", "Persian\rid: 7\nevent: forged\r\n\r\nretry: 1");
            String last = cluster.publish(a, "/inject", "last");

            String wire = raw.readUntil("data: last\n\n");
            String events = wire.substring(wire.indexOf("retry: 3000\n\n"));
            // Each starts an event: after a chunk's size line, or after the event before it when
            // both left in one chunk.
            assertTrue(startsAnEvent(events, "data: evil\n\n"), events);
            assertTrue(startsAnEvent(events, "data: Persian\ndata: id: 7\ndata: event: forged\ndata: \ndata: retry: 1\n\n"), events);
            assertFalse(events.contains("id: 5\n"), events);
            assertFalse(events.contains("\nevent:"), events);
            assertEquals(1, occurrences(events, "\nid: "), events);
            assertTrue(events.contains("\nid: " + last + "\ndata: last\n\n"), events);
        }
    }

    private static boolean startsAnEvent(String wire, String event) {
        return wire.contains("\r\n" + event) || wire.contains("\n\n" + event);
    }

    @Test
    void rawEventsAreLiveOnlyAndNotReplayedOnResume() {
        SseRecorder first = cluster.subscribe(a, "/subscribe/live");
        String stored = cluster.publish(a, "/live", "stored");
        first.assertEvent(stored, null, "stored");
        rawPublish("/live", "raw");
        // okhttp-sse reports an event without an id under the stream's last id, as browsers do.
        first.assertEvent(stored, null, "raw");
        first.close();
        String missed = cluster.publish(b, "/live", "missed");

        SseRecorder resumed = cluster.subscribe(b, "/subscribe/live", stored);

        resumed.assertEvent(missed, null, "missed");
        rawPublish("/live", "raw again");
        resumed.assertEvent(missed, null, "raw again");
    }

    @Test
    void clientCountAndStatusOnOneInstanceIncludeTheStreamsOfTheOthers() {
        Await.until(Await.TIMEOUT, "the streams of earlier tests to close",
                () -> cluster.instances().stream().mapToInt(g -> g.bean(Connections.class).count()).sum() == 0);
        SseRecorder counter = cluster.subscribe(a, "/api/client-count");
        awaitCount(counter, 1);

        SseRecorder onB = cluster.subscribe(b, "/subscribe/counted");
        awaitCount(counter, 2);

        String admin = TestTokens.admin(a);
        JsonTree clusterStatus = Await.value(Await.TIMEOUT, "b's stream in a's /status", () -> {
            JsonTree status = Cluster.json(Http.get(a.url("/status"), admin).body()).get("cluster");
            // Each instance reports on its own schedule: wait for all three, not only for b.
            return status.get("clientCount").asInt() == 2 && status.get("instanceCount").asInt() == 3 ? status : null;
        });
        assertEquals(3, clusterStatus.get("instanceCount").asInt(), clusterStatus.toString());
        List<String> instances = new ArrayList<>();
        for (JsonTree i : clusterStatus.get("instances")) {
            instances.add(i.get("id").asText() + "=" + i.get("clients").asInt());
        }
        assertEquals(List.of("a=1", "b=1", "c=0"), instances.stream().sorted().toList());

        onB.close();
        awaitCount(counter, 1);
    }

    /** Reads {@code client-count} events until one says {@code n}. */
    private static void awaitCount(SseRecorder counter, int n) {
        String expected = "{\"Count\": " + n + "}";
        List<String> seen = new ArrayList<>();
        Await.until(Await.TIMEOUT, "a client count of " + n + " (seen " + seen + ")", () -> {
            Received r = counter.next();
            seen.add(r.data());
            return r.data().equals(expected);
        });
    }

    private static int occurrences(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
