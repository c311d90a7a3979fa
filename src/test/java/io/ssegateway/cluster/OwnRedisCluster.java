package io.ssegateway.cluster;

import io.lettuce.core.api.sync.RedisCommands;
import io.ssegateway.testing.RedisServer;

import java.util.Map;

/**
 * Instances on a Redis server of their own, for tests that pause, fill or stop it, with a
 * {@code redis-cli}-like connection to make that trouble. Closing stops all three.
 */
final class OwnRedisCluster implements AutoCloseable {
    final RedisServer redis;
    final Cluster cluster;
    final RedisCli tool;

    private OwnRedisCluster(RedisServer redis, Cluster cluster, RedisCli tool) {
        this.redis = redis;
        this.cluster = cluster;
        this.tool = tool;
    }

    static OwnRedisCluster start(int size, Map<String, Object> extra, Map<String, Object> firstOnly) {
        RedisServer redis = RedisServer.dedicated();
        try {
            Cluster cluster = Cluster.start(size, redis, extra, firstOnly);
            return new OwnRedisCluster(redis, cluster, new RedisCli(redis.uri()));
        } catch (RuntimeException e) {
            redis.close();
            throw e;
        }
    }

    RedisCommands<String, String> commands() {
        return tool.commands();
    }

    @Override
    public void close() {
        tool.close();
        cluster.close();
        redis.close();
    }
}
