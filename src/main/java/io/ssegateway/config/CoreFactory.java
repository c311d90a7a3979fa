package io.ssegateway.config;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.ssegateway.core.Broker;
import io.ssegateway.core.ClusterView;
import io.ssegateway.core.Hub;
import io.ssegateway.core.InstanceInfo;
import io.ssegateway.core.LocalClusterView;
import io.ssegateway.core.LocalBroker;
import io.ssegateway.core.Publisher;
import io.ssegateway.core.StoredBytesLimit;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;

/**
 * Wires the pure-Java core into the application: the broker and cluster view (local unless
 * {@code redis.uri} is set, see {@code RedisBrokerFactory}), the hub that fans out the broker's
 * events, and the one publisher every ingress uses.
 */
@Factory
public class CoreFactory {
    private static final Logger LOG = LoggerFactory.getLogger(CoreFactory.class);

    /**
     * The embedded broker, when nothing names a Redis. Another way of naming Redis (several
     * shards) adds its own {@code @Requires(missingProperty = ...)} here and beside the next one:
     * the conditions all hold, or the Redis factory's beans are the ones made.
     */
    @Singleton
    @Requires(missingProperty = Settings.REDIS_URI)
    @Requires(missingProperty = Settings.REDIS_SHARDS)
    @Bean(preDestroy = "close")
    Broker localBroker(HistoryConfig history) {
        LOG.warn("broker=local Running as a single instance with in-memory history. "
                + "Set REDIS_URI=redis://host:6379 to scale out over Redis.");
        return new LocalBroker(history.policy(), Clock.systemUTC());
    }

    @Singleton
    @Requires(missingProperty = Settings.REDIS_URI)
    @Requires(missingProperty = Settings.REDIS_SHARDS)
    ClusterView localClusterView(GatewayConfig config) {
        return new LocalClusterView(InstanceInfo.configuredOrNewId(config.instanceId()));
    }

    /** Created at startup, so the broker's live subscription is up before the first client. */
    @Context
    Hub hub(Broker broker, GatewayConfig config) {
        Hub hub = new Hub(broker, new Hub.Settings(config.replayLimit(), config.holdLimit()));
        hub.start();
        return hub;
    }

    @Singleton
    Publisher publisher(Broker broker, GatewayConfig config) {
        return new Publisher(broker, config.maxPayload(), new StoredBytesLimit(config.maxPublishBytes()));
    }
}
