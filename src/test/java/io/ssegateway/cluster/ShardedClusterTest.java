package io.ssegateway.cluster;

import io.ssegateway.core.Namespace;
import io.ssegateway.redis.ShardedBroker;
import io.ssegateway.testing.Gateway;
import io.ssegateway.testing.Http;
import io.ssegateway.testing.RedisServer;
import io.ssegateway.testing.SseRecorder;
import io.ssegateway.testing.Closing;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two instances over two Redis servers ({@code SSE_REDIS_SHARDS}): each tree of namespaces on
 * its own shard, and streams that read both resume exactly, on either instance.
 */
class ShardedClusterTest {
    private static final Duration QUIET = Duration.ofMillis(500);

    private static RedisServer shard0;
    private static RedisServer shard1;
    private static Cluster cluster;
    private static RedisCli cli0;
    private static RedisCli cli1;
    /** A tree on each shard. */
    private static String on0;
    private static String on1;
    private static String alsoOn0;

    @BeforeAll
    static void start() {
        shard0 = RedisServer.dedicated();
        shard1 = RedisServer.dedicated();
        cluster = Cluster.startSharded(2, shard0, shard1);
        cli0 = new RedisCli(shard0.uri());
        cli1 = new RedisCli(shard1.uri());
        ShardedBroker ring = cluster.get(0).bean(ShardedBroker.class);
        on0 = treeOn(ring, 0, 0);
        on1 = treeOn(ring, 1, 0);
        alsoOn0 = treeOn(ring, 0, 1);
    }

    /** The {@code skip}+1-th namespace {@code /r0}, {@code /r1}… whose tree is on {@code shard}. */
    static String treeOn(ShardedBroker ring, int shard, int skip) {
        for (int i = 0; ; i++) {
            Namespace n = Namespace.parse("/r" + i);
            if (ring.shardOf(n) == shard && skip-- == 0) {
                return n.path();
            }
        }
    }

    @AfterEach
    void closeStreams() {
        cluster.closeStreams();
    }

    @AfterAll
    static void stop() {
        Closing.inOrder(cluster, cli0, cli1, shard0, shard1);
    }

    private static boolean stored(RedisCli cli, String namespace) {
        return cli.commands().exists(cluster.prefix() + "@history:" + namespace) == 1;
    }

    @Test
    void theShardListReplacesRedisUriAndEachTreeIsStoredOnItsShardOnly() {
        assertInstanceOf(ShardedBroker.class, cluster.get(1).bean(io.ssegateway.core.Broker.class));
        cluster.publish(cluster.get(0), on0 + "/x", "to-0");
        cluster.publish(cluster.get(1), on1 + "/y", "to-1");
        assertTrue(stored(cli0, on0 + "/x"));
        assertFalse(stored(cli1, on0 + "/x"), on0 + " reached the other shard");
        assertTrue(stored(cli1, on1 + "/y"));
        assertFalse(stored(cli0, on1 + "/y"), on1 + " reached the other shard");
    }

    @Test
    void aStreamOfAllShardsResumesExactlyOnTheOtherInstance() {
        resumesExactly("/subscribe", on0, on1);
    }

    @Test
    void aStreamOfTopicsOnTwoShardsResumesExactlyOnTheOtherInstance() {
        resumesExactly("/subscribe" + on1 + "?topic=" + on0, on1, on0);
    }

    private void resumesExactly(String stream, String treeA, String treeB) {
        String tag = Long.toString(System.nanoTime(), 36);
        SseRecorder first = cluster.subscribe(cluster.get(0), stream);
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String data = tag + "-" + i;
            cluster.publish(cluster.get(i % 2), (i % 2 == 0 ? treeA : treeB) + "/n", data);
            sent.add(data);
        }
        List<SseRecorder.Received> got = first.next(10);
        assertEquals(new HashSet<>(sent), new HashSet<>(got.stream().map(SseRecorder.Received::data).toList()));
        first.close();
        // Resume from the middle, as a client whose last five events were lost on the way.
        String resumeFrom = got.get(4).id();
        assertTrue(resumeFrom.contains("."), "a stream over two shards carries a position of each: " + resumeFrom);
        List<String> expected = new ArrayList<>(got.subList(5, 10).stream().map(SseRecorder.Received::data).toList());
        for (int i = 10; i < 16; i++) {
            String data = tag + "-" + i;
            cluster.publish(cluster.get(i % 2), (i % 2 == 0 ? treeA : treeB) + "/n", data);
            expected.add(data);
        }
        SseRecorder resumed = cluster.subscribe(cluster.get(1), stream, resumeFrom);
        List<SseRecorder.Received> replayed = resumed.next(expected.size());
        List<String> data = replayed.stream().map(SseRecorder.Received::data).toList();
        assertEquals(new HashSet<>(expected), new HashSet<>(data), "replayed " + data);
        assertEquals(expected.size(), new HashSet<>(data).size(), "repeated: " + data);
        assertInShardOrder(data);
        // Then live, once, and the last id resumes to nothing on the first instance.
        cluster.publish(cluster.get(0), treeB + "/n", tag + "-live");
        SseRecorder.Received live = resumed.next();
        assertEquals(tag + "-live", live.data());
        resumed.assertNoMore(QUIET);
        resumed.close();
        SseRecorder again = cluster.subscribe(cluster.get(0), stream, live.id());
        again.assertNoMore(QUIET);
    }

    /** Each shard's events in the order they were published (even numbers on one, odd on the other). */
    private static void assertInShardOrder(List<String> data) {
        int[] last = {-1, -1};
        for (String d : data) {
            int n = Integer.parseInt(d.substring(d.lastIndexOf('-') + 1));
            assertTrue(n > last[n % 2], "out of order: " + data);
            last[n % 2] = n;
        }
    }

    @Test
    void aRewindOverTwoShardsGivesTheNewestOfBothAndItsLastIdResumesToNothing() {
        String tag = Long.toString(System.nanoTime(), 36);
        String stream = "/subscribe" + on0 + "/rw?topic=" + on1 + "/rw";
        for (int i = 0; i < 6; i++) {
            cluster.publish(cluster.get(i % 2), (i % 2 == 0 ? on0 : on1) + "/rw", tag + "-" + i);
        }
        SseRecorder rewound = cluster.subscribe(cluster.get(1), stream + "&rewind=4");
        List<SseRecorder.Received> got = rewound.next(4);
        assertEquals(List.of(tag + "-2", tag + "-3", tag + "-4", tag + "-5"),
                got.stream().map(SseRecorder.Received::data).sorted().toList());
        rewound.assertNoMore(QUIET);
        SseRecorder resumed = cluster.subscribe(cluster.get(0), stream, got.get(3).id());
        resumed.assertNoMore(QUIET);
    }

    @Test
    void oneEventToTreesOnTwoShardsIsRefusedAndNothingIsPublished() {
        SseRecorder all = cluster.subscribe(cluster.get(0), "/subscribe");
        Http.Reply reply = cluster.broadcast(cluster.get(1),
                "{\"namespaces\":[\"" + on0 + "/split\",\"" + on1 + "/split\"],\"data\":\"both\"}");
        assertEquals(400, reply.status(), reply.body());
        assertEquals("INVALID_NAMESPACE", Cluster.json(reply.body()).get("error").asText());
        assertTrue(reply.body().contains("different Redis shards"), reply.body());
        // A batch is checked whole before its first event: the valid first one is not published either.
        Http.Reply batch = cluster.broadcast(cluster.get(1), "[{\"namespace\":\"" + on0 + "/split\",\"data\":\"first\"},"
                + "{\"namespaces\":[\"" + on0 + "/split\",\"" + on1 + "/split\"],\"data\":\"both\"}]");
        assertEquals(400, batch.status(), batch.body());
        assertFalse(stored(cli0, on0 + "/split") || stored(cli1, on1 + "/split"));
        // Trees on one shard still take one event, seen once.
        cluster.publishJson(cluster.get(1), "{\"namespaces\":[\"" + on0 + "/same\",\"" + alsoOn0 + "/same\"],\"data\":\"one\"}");
        assertEquals("one", all.next().data());
        all.assertNoMore(QUIET);
    }

    @Test
    void aBatchUnderOneIdempotencyKeyMustStayOnOneShard() {
        okhttp3.Request request = new okhttp3.Request.Builder().url(cluster.get(0).url("/broadcast"))
                .header("Authorization", "Bearer " + io.ssegateway.testing.TestTokens.publisher(cluster.get(0)))
                .header("Idempotency-Key", "spans-" + System.nanoTime())
                .post(okhttp3.RequestBody.create("[{\"namespace\":\"" + on0 + "/k\",\"data\":\"1\"},"
                        + "{\"namespace\":\"" + on1 + "/k\",\"data\":\"2\"}]", Http.JSON))
                .build();
        Http.Reply reply = Http.send(request);
        assertEquals(400, reply.status(), reply.body());
        assertTrue(reply.body().contains("Idempotency-Key"), reply.body());
        assertFalse(stored(cli0, on0 + "/k") || stored(cli1, on1 + "/k"));
    }

    @Test
    void anIdFromOneRedisIsAGapThenTheNewest() {
        String id = cluster.publish(cluster.get(0), on0 + "/plain", "p1");
        assertFalse(id.contains("."), "a publish answers the event's position on its shard: " + id);
        SseRecorder s = cluster.subscribe(cluster.get(1), "/subscribe" + on0 + "/plain?topic=" + on1 + "/plain", id);
        SseRecorder.Received gap = s.next();
        assertEquals("history-gap", gap.type());
        assertEquals("p1", s.next().data());
        s.assertNoMore(QUIET);
    }
}
