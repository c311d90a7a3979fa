package io.ssegateway.redis;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.json.JsonMapper;
import io.ssegateway.config.GatewayConfig;
import io.ssegateway.config.HistoryConfig;
import io.ssegateway.config.Settings;
import io.ssegateway.core.InstanceInfo;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * The sharded redis-mode beans, made when {@code sse.redis.shards} ({@code SSE_REDIS_SHARDS})
 * is set; it then replaces {@code redis.uri}. The instance registry (cluster status, client
 * counts) lives on the first shard: it is one small hash and one channel, not worth spreading.
 */
@Factory
@Requires(property = Settings.REDIS_SHARDS)
public class ShardedBrokerFactory {

    /** Micronaut hands a comma-separated value over as a list; the pieces are joined and read again. */
    @Singleton
    @Bean(preDestroy = "close")
    ShardedBroker shardedBroker(@Value("${" + Settings.REDIS_SHARDS + "}") List<String> shards, GatewayConfig gateway,
                                HistoryConfig history, RedisConfig redis, JsonMapper json) {
        return ShardConnections.connect(ShardUris.parse(String.join(",", shards)),
                new RedisBroker.Settings(gateway.channelPrefix(), history.policy(), gateway.maxPayload(), redis), json);
    }

    @Singleton
    @Bean(preDestroy = "close")
    InstanceRegistry clusterView(ShardedBroker broker, JsonMapper json, RedisConfig redis, GatewayConfig gateway) {
        return new InstanceRegistry(broker.shards().get(0), json, InstanceInfo.configuredOrNewId(gateway.instanceId()),
                redis.heartbeat());
    }
}
