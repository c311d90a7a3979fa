package io.ssegateway.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.resource.ClientResources;
import io.ssegateway.core.HistoryPolicy;
import io.ssegateway.testing.RedisServer;

import java.time.Duration;

/** Clients and brokers for tests, tuned as the gateway tunes them, with short probe timings. */
final class RedisTesting {
    /** Probes every 100 ms so that a silent link shows within half a second. */
    static final RedisConfig FAST = new RedisConfig(
            Duration.ofSeconds(2), Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofMillis(200), Duration.ofMillis(200));
    static final int MAX_PAYLOAD = 65536;

    private RedisTesting() {
    }

    /** A client as the gateway configures it; the caller shuts it down. */
    static RedisClient client(String uri) {
        ClientResources resources = RedisClientTuning.resources(ClientResources.builder()).ioThreadPoolSize(2)
                .computationThreadPoolSize(2).build();
        RedisClient client = RedisClient.create(resources, RedisURI.create(uri));
        client.setOptions(RedisClientTuning.options(FAST.commandTimeout()));
        return client;
    }

    static void shutdown(RedisClient client) {
        ClientResources resources = client.getResources();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, java.util.concurrent.TimeUnit.SECONDS);
    }

    static RedisBroker broker(RedisClient client, HistoryPolicy policy) {
        return broker(client, RedisServer.uniquePrefix(), policy);
    }

    static RedisBroker broker(RedisClient client, String prefix, HistoryPolicy policy) {
        return RedisBroker.connect(client, new RedisBroker.Settings(prefix, policy, MAX_PAYLOAD, FAST));
    }
}
