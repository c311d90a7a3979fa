package io.ssegateway.cluster;

import io.ssegateway.redis.ShardedBroker;
import io.ssegateway.testing.Await;
import io.ssegateway.testing.Http;
import io.ssegateway.testing.RedisServer;
import io.ssegateway.testing.SseRecorder;
import io.ssegateway.testing.Closing;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One of two shards goes down and comes back: what readiness and publishes say meanwhile, and
 * that a stream reading both shards gets everything accepted, once.
 */
class ShardDownTest {
    private static RedisServer shard0;
    private static RedisServer shard1;
    private static Cluster cluster;

    @BeforeAll
    static void start() {
        shard0 = RedisServer.dedicated();
        shard1 = RedisServer.dedicated();
        cluster = Cluster.startSharded(2, shard0, shard1);
    }

    @AfterAll
    static void stop() {
        Closing.inOrder(cluster, shard0, shard1);
    }

    @Test
    void withAShardDownReadinessIsDownAndOnlyItsTreesRefusePublishesThenAllComesBack() {
        ShardedBroker ring = cluster.get(0).bean(ShardedBroker.class);
        String up = ShardedClusterTest.treeOn(ring, 0, 0) + "/n";
        String down = ShardedClusterTest.treeOn(ring, 1, 0) + "/n";
        SseRecorder all = cluster.subscribe(cluster.get(1), "/subscribe");
        cluster.publish(cluster.get(0), down, "before");
        assertEquals("before", all.next().data());

        shard1.stop();
        for (int i = 0; i < 2; i++) {
            var g = cluster.get(i);
            Await.until(Duration.ofSeconds(10), "readiness down on " + g.url("/"), () -> Cluster.readiness(g) == 503);
            String details = Http.get(g.url("/health/readiness"), null).body();
            assertTrue(details.contains("\"healthy\":false"), details);
        }
        Http.Reply refused = cluster.broadcast(cluster.get(0), "{\"namespace\":\"" + down + "\",\"data\":\"lost\"}");
        assertEquals(503, refused.status(), refused.body());
        assertEquals("BROKER_UNAVAILABLE", Cluster.json(refused.body()).get("error").asText());
        // The other shard's trees go on: published, stored and delivered.
        cluster.publish(cluster.get(0), up, "during");
        assertEquals("during", all.next().data());

        // Back empty, as after a crash without persistence: a new epoch on that shard.
        shard1.start();
        cluster.awaitReady();
        cluster.publish(cluster.get(1), down, "after");
        SseRecorder.Received next = all.next();
        if ("history-gap".equals(next.type())) {
            // The shard lost its history, and says so; nothing of the other shard comes again.
            next = all.next();
        }
        assertEquals("after", next.data());
        all.assertNoMore(Duration.ofMillis(500));
    }
}
