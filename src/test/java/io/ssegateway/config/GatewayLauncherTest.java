package io.ssegateway.config;

import io.micronaut.configuration.lettuce.DefaultRedisConfiguration;
import io.micronaut.context.ApplicationContext;
import io.ssegateway.core.Broker;
import io.ssegateway.redis.RedisBroker;
import io.ssegateway.testing.RedisServer;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The context the launcher builds (without its HTTP server): Micronaut Redis's beans only in
 * Redis mode, so a local-broker start does not load them.
 */
class GatewayLauncherTest {

    @Test
    void aLocalBrokerStartHasNoMicronautRedisBeans() {
        try (ApplicationContext context = start(Map.of())) {
            assertFalse(context.containsBean(DefaultRedisConfiguration.class));
        }
    }

    @Test
    void redisModeStillUsesMicronautsRedisClient() {
        Map<String, Object> redis = Map.of("redis.uri", RedisServer.shared().uri(), "sse.channel-prefix", RedisServer.uniquePrefix());
        try (ApplicationContext context = start(redis)) {
            assertTrue(context.containsBean(DefaultRedisConfiguration.class));
            assertInstanceOf(RedisBroker.class, context.getBean(Broker.class));
        }
    }

    @Test
    void anExplicitRedisEnabledStillDecides() {
        try (ApplicationContext context = start(Map.of("redis.enabled", "true"))) {
            assertTrue(context.containsBean(DefaultRedisConfiguration.class));
        }
    }

    private static ApplicationContext start(Map<String, Object> properties) {
        Map<String, Object> all = new HashMap<>(properties);
        all.put("sse.control.port", 0);
        all.put("jwt.secret", "gateway-launcher-test-secret-gateway-launcher-test");
        ApplicationContext context = new GatewayLauncher().properties(all).build();
        context.start();
        return context;
    }
}
