package io.ssegateway.testing;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The first {@code +switch-master} any of the given sentinels announces, with the moment this
 * JVM heard it: where a test measures the gateway's own part of a failover from, the moment
 * Sentinel says the new master is ready. Subscribed to every sentinel, since the one that led
 * the failover announces it first and any may be down.
 */
public final class SwitchRecorder implements AutoCloseable {
    /** A switch to the master on {@code port}, heard at {@code atNanos} ({@link System#nanoTime()}). */
    public record Switch(int port, long atNanos) {
    }

    private final ClientResources resources = ClientResources.builder().ioThreadPoolSize(1).computationThreadPoolSize(1).build();
    private final RedisClient client = RedisClient.create(resources);
    private final List<StatefulRedisPubSubConnection<String, String>> connections = new ArrayList<>();
    private final AtomicReference<Switch> first = new AtomicReference<>();

    /** Subscribes on every sentinel of {@code ports} and returns once each confirmed. */
    public static SwitchRecorder on(String masterId, List<Integer> ports) {
        SwitchRecorder r = new SwitchRecorder();
        try {
            for (int port : ports) {
                StatefulRedisPubSubConnection<String, String> c = r.client.connectPubSub(StringCodec.UTF8,
                        RedisURI.create("127.0.0.1", port));
                r.connections.add(c);
                c.addListener(new RedisPubSubAdapter<>() {
                    @Override
                    public void message(String channel, String message) {
                        long now = System.nanoTime();
                        // <master-name> <old-ip> <old-port> <new-ip> <new-port>
                        String[] f = message.split(" ");
                        if (f.length == 5 && f[0].equals(masterId)) {
                            r.first.compareAndSet(null, new Switch(Integer.parseInt(f[4]), now));
                        }
                    }
                });
                c.sync().subscribe("+switch-master");
            }
            return r;
        } catch (RuntimeException e) {
            r.close();
            throw e;
        }
    }

    /** The first switch heard; fails when none came within {@code timeout}. */
    public Switch first(Duration timeout) {
        return Await.value(timeout, "a +switch-master from a sentinel", first::get);
    }

    @Override
    public void close() {
        connections.forEach(StatefulRedisPubSubConnection::close);
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
