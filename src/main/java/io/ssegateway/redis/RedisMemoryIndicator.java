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

import java.util.Map;

/**
 * Shows in {@code /health/readiness} whether Redis may evict the gateway's keys
 * ({@link EvictionPolicyCheck}). Always up: an evicting policy is a warning for the operator,
 * and the instance still serves (an eviction it sees turns into history-gap, not into loss).
 */
@Singleton
@Readiness
@Requires(property = Settings.REDIS_URI)
@Requires(missingProperty = Settings.REDIS_SHARDS)
final class RedisMemoryIndicator implements HealthIndicator {
    private final RedisBroker broker;

    RedisMemoryIndicator(RedisBroker broker) {
        this.broker = broker;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        EvictionPolicyCheck check = broker.eviction();
        EvictionPolicyCheck.Policy p = check.policy();
        return Mono.just(HealthResult.builder("redisMemory", HealthStatus.UP).details(Map.of(
                "maxmemoryPolicy", p.maxmemoryPolicy(),
                "maxmemory", p.maxmemory(),
                "canEvict", p.canEvict(),
                "source", p.source(),
                "evictionsSeen", check.evictionsSeen())).build());
    }
}
