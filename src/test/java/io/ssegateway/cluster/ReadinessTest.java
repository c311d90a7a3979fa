package io.ssegateway.cluster;

import io.ssegateway.testing.Gateway;
import io.ssegateway.testing.RawHttp;
import io.ssegateway.testing.RedisServer;
import io.ssegateway.testing.Closing;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Readiness answers from the gateway's own view of the broker, at once, and never waits on a
 * Redis command: when it waited on a PING, one Redis stall took every instance out of rotation
 * together and their probes timed out while streams were still being served.
 */
class ReadinessTest {
    /** Longer than a probe may take to answer; the health checks must not wait it out. */
    private static final Duration STALL = Duration.ofSeconds(3);
    private static RedisServer redis;
    private static Cluster cluster;
    private static RedisCli tool;

    @BeforeAll
    static void start() {
        redis = RedisServer.dedicated();
        cluster = Cluster.start(1, redis, Map.of());
        tool = new RedisCli(redis.uri());
    }

    @AfterAll
    static void stop() {
        Closing.inOrder(cluster, tool, redis);
    }

    @Test
    void healthAndReadinessAnswerPromptlyWhileRedisStalls() throws Exception {
        Gateway g = cluster.get(0);
        assertEquals(200, RawHttp.exchange(g.port(), "GET", "/health/readiness", null).status());
        // Ends by itself after STALL.
        tool.commands().clientPause(STALL.toMillis());
        awaitStalled();
        for (String path : new String[] {"/health/readiness", "/health"}) {
            long t0 = System.nanoTime();
            RawHttp.exchange(g.port(), "GET", path, null);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms < 1000, path + " took " + ms + " ms while Redis stalled");
        }
    }

    /** Until a PING of a client of its own goes unanswered: Redis is then pausing commands. */
    private static void awaitStalled() throws Exception {
        java.net.URI uri = java.net.URI.create(redis.uri());
        long deadline = System.nanoTime() + STALL.toNanos() / 2;
        while (System.nanoTime() < deadline) {
            try (java.net.Socket s = new java.net.Socket(uri.getHost(), uri.getPort())) {
                s.setSoTimeout(100);
                s.getOutputStream().write("PING\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                s.getInputStream().read();
            } catch (java.net.SocketTimeoutException stalled) {
                return;
            }
        }
        throw new AssertionError("Redis did not pause");
    }
}
