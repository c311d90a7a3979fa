package io.ssegateway.cluster;

import io.ssegateway.testing.JsonTree;
import io.lettuce.core.KillArgs;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.ssegateway.testing.Await;
import io.ssegateway.testing.Gateway;
import io.ssegateway.testing.Http;
import io.ssegateway.testing.RawSse;
import io.ssegateway.testing.RedisServer;
import io.ssegateway.testing.SseRecorder;
import io.ssegateway.testing.SseRecorder.Received;
import io.ssegateway.testing.Closing;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.ssegateway.cluster.Cluster.ids;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two instances through Redis trouble: a killed pub/sub connection, Redis stopped and started
 * again empty, {@code FLUSHALL}, history trimmed by count. On a Redis server of its own, since
 * the test stops and flushes it.
 */
class ClusterRedisTroubleTest {
    /** Small enough to trim in a test, large enough for what the other tests keep per namespace. */
    private static final int MAX_LENGTH = 100;
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration STALL = COMMAND_TIMEOUT.multipliedBy(2);
    private static RedisServer redis;
    private static Cluster cluster;
    private static Gateway a;
    private static Gateway b;
    private static RedisCli tool;
    private static RedisCommands<String, String> redisCli;

    @BeforeAll
    static void start() {
        redis = RedisServer.dedicated();
        cluster = Cluster.start(2, redis, Map.of("sse.keepalive-interval", "300ms",
                "sse.history.max-length", MAX_LENGTH, "sse.redis.command-timeout", COMMAND_TIMEOUT.toMillis() + "ms"));
        a = cluster.get(0);
        b = cluster.get(1);
        tool = new RedisCli(redis.uri());
        redisCli = tool.commands();
    }

    @AfterAll
    static void stop() {
        Closing.inOrder(tool, cluster, redis);
    }

    @BeforeEach
    void ready() {
        cluster.awaitReady();
    }

    @AfterEach
    void closeStreams() {
        cluster.closeStreams();
    }


    private List<SseRecorder> subscribeOnBoth(String pathAndQuery) {
        return List.of(cluster.subscribe(a, pathAndQuery), cluster.subscribe(b, pathAndQuery));
    }

    @Test
    void killedPubSubConnectionsWhilePublishingLoseNoEventOnAnyInstance() {
        List<SseRecorder> subscribers = subscribeOnBoth("/subscribe/kill");
        int n = 200;
        List<String> published = new ArrayList<>();
        long killed = 0;
        for (int i = 0; i < n; i++) {
            published.add(cluster.publish(a, "/kill/" + (i % 4), "e" + i));
            if (i == n / 4) {
                killed = redisCli.clientKill(KillArgs.Builder.typePubsub());
            }
        }

        assertTrue(killed >= 2, "both instances' pub/sub connections were killed: " + killed);
        for (SseRecorder s : subscribers) {
            assertEquals(published, ids(s.next(n)));
        }
        String last = cluster.publish(b, "/kill/last", "last");
        for (SseRecorder s : subscribers) {
            s.assertEvent(last, null, "last");
        }
    }

    @Test
    void pubSubReconnectWhileRedisHoldsBackCommandsKeepsStreamsOpenAndLosesNothing() {
        List<SseRecorder> subscribers = subscribeOnBoth("/subscribe/stall");
        String before = cluster.publish(a, "/stall", "before");
        for (SseRecorder s : subscribers) {
            s.assertEvent(before, null, "before");
        }

        // What a manual failover does to the old primary: writes, scripts and PUBLISH wait,
        // here for longer than the command timeout; subscribing still works.
        redisCli.dispatch(CommandType.CLIENT, new StatusOutput<>(StringCodec.UTF8),
                new CommandArgs<>(StringCodec.UTF8).add("PAUSE").add(STALL.toMillis()).add("WRITE"));
        assertTrue(redisCli.clientKill(KillArgs.Builder.typePubsub()) >= 2);
        for (Gateway g : cluster.instances()) {
            Await.until(Await.TIMEOUT, "readiness down on " + g.url("/"), () -> Cluster.readiness(g) == 503);
        }
        cluster.awaitReady();

        String after = cluster.publish(b, "/stall", "after");
        for (SseRecorder s : subscribers) {
            s.assertEvent(after, null, "after");
            assertFalse(s.hasEnded());
        }
    }

    @Test
    void whileRedisIsDownPublishesAnswer503AndStreamsStayOpenThenEverythingRecoversByItself() throws Exception {
        List<SseRecorder> subscribers = subscribeOnBoth("/subscribe/down");
        try (RawSse raw = new RawSse(b.port(), "/subscribe/down")) {
            raw.readUntil("retry: 3000\n\n");
            String before = cluster.publish(a, "/down", "before");
            for (SseRecorder s : subscribers) {
                s.assertEvent(before, null, "before");
            }
            raw.readUntil("data: before\n\n");

            redis.stop();

            for (Gateway g : cluster.instances()) {
                Await.until(Await.TIMEOUT, "readiness down on " + g.url("/"), () -> Cluster.readiness(g) == 503);
                Http.Reply refused = cluster.broadcast(g, "{\"namespace\":\"/down\",\"data\":\"refused\"}");
                assertEquals(503, refused.status(), refused.body());
                assertEquals("BROKER_UNAVAILABLE", Cluster.json(refused.body()).get("error").asText());
                assertEquals("1", refused.headers().get("Retry-After"));
            }
            raw.readMore(": keepalive\n\n");
            for (SseRecorder s : subscribers) {
                assertFalse(s.hasEnded(), "the stream stayed open");
            }

            redis.start();

            cluster.awaitReady();
            String afterA = cluster.publish(a, "/down", "after-a");
            String afterB = cluster.publish(b, "/down", "after-b");
            // A Redis without persistence came back empty: the open streams are told that history
            // was lost after the last event they got (the catch-up may already see after-a), ...
            for (SseRecorder s : subscribers) {
                Received gap = s.next();
                assertEquals("history-gap", gap.type());
                assertTrue(gap.data().equals(gapData(before, null)) || gap.data().equals(gapData(before, afterA)), gap.data());
                assertEquals(List.of(afterA, afterB), ids(s.next(2)));
            }
            raw.readMore("data: after-b\n\n");

            // ... and a client resuming with an id from before gets a gap, then the new history.
            SseRecorder resumed = cluster.subscribe(b, "/subscribe/down", before);
            resumed.assertEvent(null, "history-gap", gapData(before, afterA));
            assertEquals(List.of(afterA, afterB), ids(resumed.next(2)));
        }
    }

    private static String gapData(String lastEventId, String oldestRetainedId) {
        return "{\"lastEventId\":\"" + lastEventId + "\",\"oldestRetainedId\":"
                + (oldestRetainedId == null ? "null" : "\"" + oldestRetainedId + "\"") + "}";
    }

    @Test
    void afterFlushallAResumeFromBeforeGetsAGapThenWhatIsRetained() {
        String old = cluster.publish(a, "/flush", "old");
        cluster.publish(a, "/flush", "old too");

        redisCli.flushall();

        SseRecorder early = cluster.subscribe(b, "/subscribe/flush", old);
        early.assertEvent(null, "history-gap", gapData(old, null));
        String fresh = cluster.publish(a, "/flush", "fresh");
        early.assertEvent(fresh, null, "fresh");

        SseRecorder late = cluster.subscribe(a, "/subscribe/flush", old);
        late.assertEvent(null, "history-gap", gapData(old, fresh));
        late.assertEvent(fresh, null, "fresh");
    }

    @Test
    void aResumeFromAnEventTrimmedByCountGetsAGapThenTheRetainedOnes() {
        int n = MAX_LENGTH + 3;
        List<String> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            batch.add("{\"namespace\":\"/trim\",\"data\":\"t" + i + "\"}");
        }
        Http.Reply reply = cluster.broadcast(a, batch.toString());
        assertEquals(201, reply.status(), reply.body());
        List<String> published = new ArrayList<>();
        for (JsonTree id : Cluster.json(reply.body()).get("ids")) {
            published.add(id.asText());
        }

        SseRecorder s = cluster.subscribe(b, "/subscribe/trim", published.get(0));

        s.assertEvent(null, "history-gap", gapData(published.get(0), published.get(3)));
        assertEquals(published.subList(3, n), ids(s.next(MAX_LENGTH)));
    }
}
