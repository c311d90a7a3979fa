package io.ssegateway.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.micronaut.core.annotation.Internal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Hears every sentinel of a {@code redis-sentinel://} URI announce a new master
 * ({@code +switch-master}) and passes the new address on at once. Lettuce alone finds a new
 * master only when a connection breaks and a reconnect asks a sentinel; after a graceful
 * {@code SENTINEL FAILOVER} the old master's connections do not break until Sentinel demotes it,
 * seconds later, and every write made there meanwhile is lost.
 *
 * <p>Every sentinel is watched, not one: a sentinel may be down, and each announces the switch
 * itself when it learns of it. The same switch therefore arrives several times; its receiver
 * must be idempotent. A sentinel that cannot be reached at start is tried again every
 * {@link #RETRY}; once connected, Lettuce reconnects and subscribes again by itself. Callbacks
 * run on Lettuce's event loop and must not block.
 */
@Internal
final class SentinelWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SentinelWatch.class);
    static final String CHANNEL = "+switch-master";
    /** How soon a sentinel that could not be reached is tried again; the others still watch meanwhile. */
    static final Duration RETRY = Duration.ofSeconds(5);

    /** The watch of a Redis without Sentinel: nothing to hear. */
    static final SentinelWatch NONE = new SentinelWatch(null, null, master -> { });

    private final RedisClient client;
    private final String masterId;
    private final Consumer<InetSocketAddress> onSwitch;
    private final List<StatefulRedisPubSubConnection<String, String>> connections = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private SentinelWatch(RedisClient client, String masterId, Consumer<InetSocketAddress> onSwitch) {
        this.client = client;
        this.masterId = masterId;
        this.onSwitch = onSwitch;
    }

    /** Starts watching the sentinels of {@code uri} for {@code onSwitch}, without waiting for them. */
    static SentinelWatch start(RedisClient client, RedisURI uri, Consumer<InetSocketAddress> onSwitch) {
        SentinelWatch watch = new SentinelWatch(client, uri.getSentinelMasterId(), onSwitch);
        uri.getSentinels().forEach(watch::connect);
        return watch;
    }

    private void connect(RedisURI sentinel) {
        if (closed) {
            return;
        }
        client.connectPubSubAsync(StringCodec.UTF8, sentinel).thenCompose(c -> {
            connections.add(c);
            if (closed) {
                c.closeAsync();
            }
            c.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    heard(message);
                }
            });
            return c.async().subscribe(CHANNEL).toCompletableFuture().whenComplete((ok, error) -> {
                if (error != null) {
                    connections.remove(c);
                    c.closeAsync();
                }
            });
        }).whenComplete((ignored, error) -> {
            if (error != null && !closed) {
                LOG.warn("event=sentinel-watch-failed sentinel={}:{} retryIn={} reason=\"{}\"",
                        sentinel.getHost(), sentinel.getPort(), RETRY, error.toString());
                client.getResources().eventExecutorGroup().schedule(() -> connect(sentinel), RETRY.toMillis(),
                        TimeUnit.MILLISECONDS);
            }
        });
    }

    /** {@code <master-name> <old-ip> <old-port> <new-ip> <new-port>}, as Sentinel publishes it. */
    private void heard(String message) {
        String[] f = message.split(" ");
        if (f.length != 5 || !f[0].equals(masterId)) {
            return;
        }
        InetSocketAddress master;
        try {
            master = InetSocketAddress.createUnresolved(f[3], Integer.parseInt(f[4]));
        } catch (IllegalArgumentException e) {
            LOG.warn("event=switch-master-dropped message=\"{}\"", message);
            return;
        }
        LOG.info("event=switch-master master={} from={}:{} to={}:{}", f[0], f[1], f[2], f[3], f[4]);
        onSwitch.accept(master);
    }

    @Override
    public void close() {
        closed = true;
        connections.forEach(StatefulRedisPubSubConnection::closeAsync);
    }
}
