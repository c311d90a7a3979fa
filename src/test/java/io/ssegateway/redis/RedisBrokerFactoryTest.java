package io.ssegateway.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.PropertySource;
import io.ssegateway.core.Broker;
import io.ssegateway.core.ClusterView;
import io.ssegateway.core.LocalBroker;
import io.ssegateway.core.LocalClusterView;
import io.ssegateway.core.Publisher;
import io.ssegateway.testing.RedisServer;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** {@code redis.uri} chooses the broker. */
class RedisBrokerFactoryTest {

    /** Without the environment, so that a REDIS_URI set for the tests does not choose for them. */
    private static ApplicationContext run(Map<String, Object> properties) {
        return ApplicationContext.builder().environmentPropertySource(false).properties(properties).start();
    }

    @Test
    void redisUriMakesTheBrokerARedisBrokerWithAFailFastClient() {
        try (ApplicationContext context = run(Map.of(
                "redis.uri", RedisServer.shared().uri(), "sse.channel-prefix", RedisServer.uniquePrefix()))) {
            Broker broker = context.getBean(Broker.class);
            assertInstanceOf(RedisBroker.class, broker);
            assertEquals("redis", broker.kind());
            assertInstanceOf(InstanceRegistry.class, context.getBean(ClusterView.class));
            assertNotNull(context.getBean(Publisher.class));
            assertEquals(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS,
                    context.getBean(RedisClient.class).getOptions().getDisconnectedBehavior());
        }
    }

    /** As a deployment sets it: the variable REDIS_URI, mapped by Micronaut's environment convention. */
    @Test
    void theRedisUriVariableChoosesTheRedisBrokerAndOnlyIt() {
        PropertySource environment = PropertySource.of("environment", Map.of("REDIS_URI", RedisServer.shared().uri(),
                "SSE_CHANNEL_PREFIX", RedisServer.uniquePrefix()), PropertySource.PropertyConvention.ENVIRONMENT_VARIABLE);
        try (ApplicationContext context = ApplicationContext.builder().environmentPropertySource(false)
                .propertySources(environment).start()) {
            assertEquals(1, context.getBeansOfType(Broker.class).size());
            assertInstanceOf(RedisBroker.class, context.getBean(Broker.class));
            assertInstanceOf(InstanceRegistry.class, context.getBean(ClusterView.class));
        }
    }

    @Test
    void withoutRedisUriTheBrokerIsLocal() {
        try (ApplicationContext context = run(Map.of())) {
            assertEquals(1, context.getBeansOfType(Broker.class).size());
            assertInstanceOf(LocalBroker.class, context.getBean(Broker.class));
            assertInstanceOf(LocalClusterView.class, context.getBean(ClusterView.class));
        }
    }
}
