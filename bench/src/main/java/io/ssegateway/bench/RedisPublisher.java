package io.ssegateway.bench;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;

import java.util.ArrayList;
import java.util.List;

/**
 * Publishes with Redis {@code PUBLISH}, as {@code redis-cli} does: the raw path, which reaches
 * the gateway's subscribers live but bypasses its history and ids. One Lettuce connection per
 * lane keeps each lane's order.
 */
final class RedisPublisher extends PacedPublisher {
    private final String uri;
    private final String channel;
    private final List<StatefulRedisConnection<String, String>> connections = new ArrayList<>();
    private final List<RedisAsyncCommands<String, String>> commands = new ArrayList<>();
    private RedisClient client;

    RedisPublisher(String uri, String channel, int lanes, int window) {
        super(lanes, window);
        this.uri = uri;
        this.channel = channel;
    }

    @Override
    void connect() {
        client = RedisClient.create(uri);
        for (int lane = 0; lane < lanes(); lane++) {
            StatefulRedisConnection<String, String> c = client.connect();
            connections.add(c);
            commands.add(c.async());
        }
    }

    @Override
    protected void send(int lane, String payload) {
        commands.get(lane).publish(channel, payload).whenComplete((receivers, error) ->
                loop.execute(() -> answered(lane, error == null)));
    }

    @Override
    public void close() {
        for (StatefulRedisConnection<String, String> c : connections) {
            c.close();
        }
        if (client != null) {
            client.shutdown();
        }
        super.close();
    }
}
