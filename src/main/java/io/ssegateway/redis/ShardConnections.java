package io.ssegateway.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.micronaut.json.JsonMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * The Lettuce clients of the shards, one per Redis, on one set of client resources (event loops
 * and timers) tuned as Micronaut's own client is ({@link RedisClientTuning}). Micronaut's Redis
 * module makes a client for {@code redis.uri} only, so the shards' are made here.
 */
final class ShardConnections implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ShardConnections.class);

    private final ClientResources resources;
    private final List<RedisClient> clients = new ArrayList<>();

    private ShardConnections() {
        this.resources = RedisClientTuning.resources(DefaultClientResources.builder()).build();
    }

    /**
     * Connects to every shard and subscribes. Blocks until each answered (a startup step); throws
     * when one cannot be reached, so that an instance does not start without part of its broker.
     */
    static ShardedBroker connect(List<String> uris, RedisBroker.Settings settings, JsonMapper json) {
        ShardConnections connections = new ShardConnections();
        List<RedisBroker> brokers = new ArrayList<>();
        try {
            for (String uri : uris) {
                RedisURI address = RedisURI.create(uri);
                RedisClient client = RedisClient.create(connections.resources, address);
                client.setOptions(RedisClientTuning.options(settings.redis().commandTimeout()));
                connections.clients.add(client);
                brokers.add(RedisBroker.connect(client, address, settings, json));
                LOG.info("broker=redis shard={} uri={}", brokers.size() - 1, ShardUris.redacted(uri));
            }
        } catch (RuntimeException e) {
            brokers.forEach(RedisBroker::close);
            connections.close();
            throw e;
        }
        return new ShardedBroker(brokers, connections);
    }

    @Override
    public void close() {
        clients.forEach(RedisClient::shutdown);
        resources.shutdown();
    }
}
