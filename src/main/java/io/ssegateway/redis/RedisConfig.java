package io.ssegateway.redis;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import io.ssegateway.config.Settings;

import java.time.Duration;

/**
 * Tuning of the Redis broker, under {@code sse.redis.*}. The Redis address itself is
 * {@code redis.uri} ({@code REDIS_URI}), read by Micronaut's Redis module.
 *
 * @param commandTimeout how long a command may take before it fails (a publish then answers 504: its outcome is unknown)
 * @param probeInterval how often the pub/sub link sends itself a probe
 * @param probeTimeout how long without a returning probe before the link counts as silent and
 *     the instance as not ready
 * @param heartbeat how often this instance renews its entry in the instance registry; an entry
 *     not renewed for three heartbeats expires
 * @param sweepInterval how often one batch of the namespace index is checked for expired
 *     histories
 */
@ConfigurationProperties(Settings.REDIS)
public record RedisConfig(
        @Bindable(defaultValue = "3s") Duration commandTimeout,
        @Bindable(defaultValue = "1s") Duration probeInterval,
        @Bindable(defaultValue = "3s") Duration probeTimeout,
        @Bindable(defaultValue = "5s") Duration heartbeat,
        @Bindable(defaultValue = "10s") Duration sweepInterval) {

    public static final RedisConfig DEFAULTS = new RedisConfig(
            Duration.ofSeconds(3), Duration.ofSeconds(1), Duration.ofSeconds(3), Duration.ofSeconds(5), Duration.ofSeconds(10));
}
