package io.ssegateway.redis;

import io.micronaut.context.annotation.Requires;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import io.ssegateway.config.Settings;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shows in {@code /health/readiness} each shard's state: whether its link delivers and whether
 * its Redis may evict the gateway's keys ({@link EvictionPolicyCheck}). Down while any shard is:
 * the instance would take streams whose events of that shard it cannot deliver, and which it
 * could not even tell of the loss (the broker's readiness says the same; this one says which).
 */
@Singleton
@Readiness
@Requires(property = Settings.REDIS_SHARDS)
final class RedisShardsIndicator implements HealthIndicator {
    private final ShardedBroker broker;

    RedisShardsIndicator(ShardedBroker broker) {
        this.broker = broker;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        List<Map<String, Object>> shards = new ArrayList<>();
        boolean all = true;
        for (RedisBroker b : broker.shards()) {
            EvictionPolicyCheck.Policy p = b.eviction().policy();
            Map<String, Object> shard = new LinkedHashMap<>();
            shard.put("shard", shards.size());
            shard.put("healthy", b.isHealthy());
            shard.put("maxmemoryPolicy", p.maxmemoryPolicy());
            shard.put("canEvict", p.canEvict());
            shard.put("evictionsSeen", b.eviction().evictionsSeen());
            shards.add(shard);
            all &= b.isHealthy();
        }
        return Mono.just(HealthResult.builder("redisShards", all ? HealthStatus.UP : HealthStatus.DOWN)
                .details(Map.of("shards", shards)).build());
    }
}
