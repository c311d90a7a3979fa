package io.ssegateway.config;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
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

    @Singleton
    @Requires(missingProperty = "redis.uri")
    @Requires(missingProperty = "sse.redis.shards")
    @Bean(preDestroy = "close")
    Broker localBroker(HistoryConfig history) {
        LOG.warn("broker=local Running as a single instance with in-memory history. "
                + "Set REDIS_URI=redis://host:6379 to scale out over Redis.");
        return new LocalBroker(history.policy(), Clock.systemUTC());
    }

    @Singleton
    @Requires(missingProperty = "redis.uri")
    @Requires(missingProperty = "sse.redis.shards")
    ClusterView localClusterView(@Value("${sse.instance-id:}") String instanceId) {
        return new LocalClusterView(InstanceInfo.configuredOrNewId(instanceId));
    }

    /** Created at startup, so the broker's live subscription is up before the first client. */
    @Context
    Hub hub(Broker broker, GatewayConfig config) {
        Hub hub = new Hub(broker, new Hub.Settings(config.replayLimit(), config.holdLimit()));
        hub.start();
        return hub;
    }

    @Singleton
    Publisher publisher(Broker broker, GatewayConfig config,
                        @Value("${sse.max-publish-bytes:" + StoredBytesLimit.DEFAULT_BYTES + "}") long maxPublishBytes) {
        return new Publisher(broker, config.maxPayload(), new StoredBytesLimit(maxPublishBytes));
    }
}
