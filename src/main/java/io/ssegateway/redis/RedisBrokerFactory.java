package io.ssegateway.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.micronaut.configuration.lettuce.ClientResourcesMutator;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.json.JsonMapper;
import io.ssegateway.config.GatewayConfig;
import io.ssegateway.config.HistoryConfig;
import io.ssegateway.config.Settings;
import io.ssegateway.core.ClusterView;
import io.ssegateway.core.InstanceInfo;
import jakarta.inject.Singleton;

/**
 * The redis-mode beans, made whenever {@code redis.uri} ({@code REDIS_URI}) is set; otherwise
 * {@link io.ssegateway.config.CoreFactory} makes the local ones. The Lettuce client is
 * Micronaut's (so every {@code redis.*} setting applies), tuned here to fail fast
 * ({@link RedisClientTuning}). With {@code sse.redis.shards} set, {@link ShardedBrokerFactory}
 * makes them instead.
 */
@Factory
@Requires(property = Settings.REDIS_URI)
@Requires(missingProperty = Settings.REDIS_SHARDS)
public class RedisBrokerFactory {

    @Singleton
    @Bean(preDestroy = "close")
    RedisBroker redisBroker(RedisClient client, @Property(name = Settings.REDIS_URI) String uri, GatewayConfig gateway,
                            HistoryConfig history, RedisConfig redis, JsonMapper json) {
        // The URI Micronaut made the client for: a Sentinel one is also watched for master switches.
        return RedisBroker.connect(client, RedisURI.create(uri),
                new RedisBroker.Settings(gateway.channelPrefix(), history.policy(), gateway.maxPayload(), redis), json);
    }

    @Singleton
    @Bean(preDestroy = "close")
    InstanceRegistry clusterView(RedisBroker broker, JsonMapper json, RedisConfig redis, GatewayConfig gateway) {
        return new InstanceRegistry(broker, json, InstanceInfo.configuredOrNewId(gateway.instanceId()), redis.heartbeat());
    }

    /** Reconnects soon after Redis is back, for every client Micronaut makes. */
    @Singleton
    ClientResourcesMutator reconnectDelay() {
        return (builder, config) -> RedisClientTuning.resources(builder);
    }

    /** Fail-fast options on Micronaut's client, set before any connection is made from it. */
    @Singleton
    BeanCreatedEventListener<RedisClient> failFast(RedisConfig redis) {
        return new BeanCreatedEventListener<>() {
            @Override
            public RedisClient onCreated(BeanCreatedEvent<RedisClient> event) {
                RedisClient client = event.getBean();
                client.setOptions(RedisClientTuning.options(redis.commandTimeout()));
                return client;
            }
        };
    }
}
