package io.ssegateway.redis;

import io.ssegateway.testing.JsonTree;
import io.ssegateway.testing.Await;
import io.ssegateway.testing.Gateway;
import io.ssegateway.testing.Http;
import io.ssegateway.testing.RedisServer;
import io.ssegateway.testing.Resp;
import io.ssegateway.testing.SseRecorder;
import io.ssegateway.testing.TestTokens;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Redis that may evict the gateway's keys is named in the readiness details, read with CONFIG or,
 * where CONFIG is forbidden, with INFO; and a resume that meets evicted history says
 * history-gap. Each test on a Redis of its own under allkeys-lru with a small maxmemory.
 */
class EvictionPolicyCheckTest {
    /** Room above a fresh server's own use for a few dozen large events, so eviction starts soon. */
    private static final long HEADROOM = 2L * 1024 * 1024;
    private static final int LARGE = 32 * 1024;
    /** Enough large events to overflow the headroom several times. */
    private static final int MAX_FILL = 500;

    private static int port(RedisServer redis) {
        return URI.create(redis.uri()).getPort();
    }

    private static void evictingPolicy(int port) {
        long used = Long.parseLong(Resp.infoField((String) Resp.once(port, "INFO", "memory"), "used_memory"));
        Resp.once(port, "CONFIG", "SET", "maxmemory-policy", "allkeys-lru");
        Resp.once(port, "CONFIG", "SET", "maxmemory", Long.toString(used + HEADROOM));
    }

    private static Gateway gateway(String uri) {
        return Gateway.start(Map.of("redis.uri", uri, "sse.channel-prefix", RedisServer.uniquePrefix(),
                "jwt.secret", TestTokens.SECRET, "sse.redis.probe-interval", "100ms", "sse.redis.probe-timeout", "1s"));
    }

    private static JsonTree memoryDetails(Gateway g) {
        try {
            JsonTree health = JsonTree.parse(Http.get(g.url("/health/readiness"), null).body());
            JsonTree policy = health.findParent("maxmemoryPolicy");
            return policy == null ? JsonTree.parse("{}") : policy;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void anEvictingPolicyIsShownAndAResumeOverEvictedHistorySaysHistoryGap() {
        try (RedisServer redis = RedisServer.dedicated()) {
            int port = port(redis);
            evictingPolicy(port);
            try (Gateway g = gateway(redis.uri())) {
                Await.until(Await.TIMEOUT, "the policy in readiness details",
                        () -> "allkeys-lru".equals(memoryDetails(g).path("maxmemoryPolicy").asText()));
                JsonTree details = memoryDetails(g);
                assertTrue(details.path("canEvict").asBoolean(), details.toString());
                assertEquals("config", details.path("source").asText());

                String early = g.publish("/ev/first", "message", "early").id().toString();
                String large = "x".repeat(LARGE);
                for (int i = 0; i < MAX_FILL && evicted(port) == 0; i++) {
                    g.publish("/ev/n" + (i % 50), "message", large);
                }
                assertTrue(evicted(port) > 0, "Redis evicted keys");
                Await.until(Await.TIMEOUT, "the eviction noticed", () -> memoryDetails(g).path("evictionsSeen").asLong() > 0);

                try (SseRecorder resumed = SseRecorder.open(g.url("/subscribe/ev"), early)) {
                    assertEquals(200, resumed.awaitOpen().code());
                    assertEquals("history-gap", resumed.next().type(), "a resume over evicted history is told so");
                }
            }
        }
    }

    @Test
    void whereConfigIsForbiddenThePolicyIsReadFromInfo() {
        try (RedisServer redis = RedisServer.dedicated()) {
            int port = port(redis);
            evictingPolicy(port);
            // As managed Redis does: the gateway's user may not run CONFIG.
            Resp.once(port, "ACL", "SETUSER", "gateway", "on", ">secret", "~*", "&*", "+@all", "-config");
            URI base = URI.create(redis.uri());
            try (Gateway g = gateway("redis://gateway:secret@" + base.getHost() + ":" + base.getPort())) {
                Await.until(Await.TIMEOUT, "the policy in readiness details",
                        () -> "allkeys-lru".equals(memoryDetails(g).path("maxmemoryPolicy").asText()));
                assertEquals("info", memoryDetails(g).path("source").asText());
            }
        }
    }

    private static long evicted(int port) {
        return Long.parseLong(Resp.infoField((String) Resp.once(port, "INFO", "stats"), "evicted_keys"));
    }
}
