package io.ssegateway.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.resource.ClientResources;
import io.micronaut.json.JsonMapper;
import io.ssegateway.core.HistoryPolicy;
import io.ssegateway.testing.RedisServer;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Clients and brokers for tests, tuned as the gateway tunes them, with short probe timings. */
final class RedisTesting {
    /** Probes every 100 ms so that a silent link shows within half a second. */
    static final RedisConfig FAST = new RedisConfig(
            Duration.ofSeconds(2), Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofMillis(200), Duration.ofMillis(200));
    static final int MAX_PAYLOAD = 65536;
    /** The mapper the application context would inject: micronaut-serde, found on the class path. */
    static final JsonMapper JSON = JsonMapper.createDefault();
    static final Envelope ENVELOPE = new Envelope(JSON);

    private static RedisClient shared;

    private RedisTesting() {
    }

    /** One client on {@link RedisServer#shared()} for every test class; shut down when the JVM exits. */
    static synchronized RedisClient sharedClient() {
        if (shared == null) {
            shared = client(RedisServer.shared().uri());
            RedisClient c = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(c)));
        }
        return shared;
    }

    /** A test that needs a Redis of its own, to stop or flush, and a client on it. */
    interface OwnRedisTest {
        void run(RedisServer server, RedisClient client) throws Exception;
    }

    static void onOwnRedis(OwnRedisTest test) throws Exception {
        try (RedisServer server = RedisServer.dedicated()) {
            RedisClient own = client(server.uri());
            try {
                test.run(server, own);
            } finally {
                shutdown(own);
            }
        }
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
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    static RedisBroker broker(RedisClient client, HistoryPolicy policy) {
        return broker(client, RedisServer.uniquePrefix(), policy);
    }

    static RedisBroker broker(RedisClient client, String prefix, HistoryPolicy policy) {
        return RedisBroker.connect(client, new RedisBroker.Settings(prefix, policy, MAX_PAYLOAD, FAST), JSON);
    }
}
