package io.ssegateway.deploy;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.ssegateway.deploy.Manifests.list;
import static io.ssegateway.deploy.Manifests.map;
import static io.ssegateway.deploy.Manifests.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pods share events only through Redis: the chart bundles a throwaway one on request, otherwise takes
 * an external URI, and refuses to run several pods that would each be an island.
 */
class ChartRedisTest {

    private static final String REDIS = Chart.FULLNAME + "-redis";

    @Test
    void bundledRedisObjectsExistOnlyWhenEnabled() {
        for (String scenario : List.of("default", "external-redis-hpa", "existing-secret", "fifo-sidecar")) {
            Manifests manifests = Chart.scenario(scenario);
            assertTrue(manifests.find("Deployment", REDIS).isEmpty(), scenario);
            assertTrue(manifests.find("Service", REDIS).isEmpty(), scenario);
        }
        Manifests bundled = Chart.scenario("bundled-redis");
        bundled.get("Deployment", REDIS);
        bundled.get("Service", REDIS);
    }

    @Test
    void redisUriPointsAtTheBundledRedisService() {
        Manifests manifests = Chart.scenario("bundled-redis");
        Map<String, Object> service = manifests.get("Service", REDIS);
        int port = ((Number) list(service, "spec", "ports").stream()
                .map(p -> map(p)).filter(p -> "redis".equals(p.get("name"))).findFirst().orElseThrow().get("port")).intValue();
        assertEquals("redis://" + REDIS + ":" + port,
                str(manifests.env(manifests.gateway(), "REDIS_URI").orElseThrow(), "value"));
        Map<String, Object> redisPodLabels = map(manifests.get("Deployment", REDIS), "spec", "template", "metadata", "labels");
        map(service, "spec", "selector").forEach((k, v) -> assertEquals(v, redisPodLabels.get(k), k));
    }

    @Test
    void bundledRedisKeepsNothingOnDisk() {
        Map<String, Object> redis = map(Chart.scenario("bundled-redis").get("Deployment", REDIS), "spec", "template", "spec");
        List<Object> args = list(redis, "containers", 0, "args");
        assertEquals("", args.get(args.indexOf("--save") + 1));
        assertEquals("no", args.get(args.indexOf("--appendonly") + 1));
        assertEquals("redis:7-alpine", str(redis, "containers", 0, "image"));
    }

    @Test
    void theGatewayDoesNotSelectTheRedisPods() {
        Manifests manifests = Chart.scenario("bundled-redis");
        Map<String, Object> redisPodLabels = map(manifests.get("Deployment", REDIS), "spec", "template", "metadata", "labels");
        Map<String, Object> gatewaySelector = map(manifests.get("Service", Chart.FULLNAME), "spec", "selector");
        assertTrue(gatewaySelector.entrySet().stream().anyMatch(e -> !e.getValue().equals(redisPodLabels.get(e.getKey()))));
    }

    @Test
    void morePodsWithoutRedisAreRefusedBecauseEachWouldBeAnIsland() {
        String refusal = Chart.refusal("replicaCount=3", "jwt.secret=ci-only-secret-0123456789abcdef0123456789");
        assertTrue(refusal.contains("replicaCount > 1 needs Redis"), refusal);
    }

    @Test
    void autoscalingWithoutRedisIsRefused() {
        String refusal = Chart.refusal("autoscaling.enabled=true", "jwt.secret=ci-only-secret-0123456789abcdef0123456789");
        assertTrue(refusal.contains("autoscaling needs Redis"), refusal);
    }

    @Test
    void bundledAndExternalRedisAreExclusive() {
        String refusal = Chart.refusal("redis.enabled=true", "externalRedis.uri=redis://elsewhere:6379");
        assertTrue(refusal.contains("exclusive"), refusal);
    }
}
