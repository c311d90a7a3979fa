package io.ssegateway.cluster;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * Another program's connection to the gateway's Redis, as {@code redis-cli} would open one: the
 * tests publish raw payloads and make trouble (kill, pause, flush) through it.
 */
final class RedisCli implements AutoCloseable {
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;

    RedisCli(String uri) {
        client = RedisClient.create(uri);
        connection = client.connect();
    }

    RedisCommands<String, String> commands() {
        return connection.sync();
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
