package io.ssegateway.redis;

import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.micronaut.json.JsonMapper;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.ssegateway.core.Broker;
import io.ssegateway.core.BrokerListener;
import io.ssegateway.core.Event;
import io.ssegateway.core.EventDraft;
import io.ssegateway.core.EventId;
import io.ssegateway.core.GatewayException;
import io.ssegateway.core.HistoryPolicy;
import io.ssegateway.core.KeyedResult;
import io.ssegateway.core.KeyedStep;
import io.ssegateway.core.LocalBroker;
import io.ssegateway.core.Namespace;
import io.ssegateway.core.Reason;
import io.ssegateway.core.Replay;
import io.ssegateway.core.ReplayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Supplier;

/**
 * The broker for many instances: history in Redis Streams, live delivery over Redis pub/sub.
 * Keys, channels and the envelope are described in {@code docs/redis.md}.
 *
 * <p>How it keeps the promises of {@link Broker}:
 * <ul>
 *   <li>Atomic publish: one Lua script gives the id, appends to every namespace's stream and
 *       publishes on every namespace's channel. When Redis is unreachable the command is
 *       rejected at once: the future fails with {@code BROKER_UNAVAILABLE} and nothing was
 *       stored. A command that timed out after it was sent may still run, so that failure is
 *       {@code PUBLISH_OUTCOME_UNKNOWN} ({@link PublishFailure}).</li>
 *   <li>Total order: ids come from one counter and a clock that never goes back, both in
 *       Redis, and a script runs alone: the order of ids is the order of publication on every
 *       channel.</li>
 *   <li>Exact replay: a read-only script reads the epoch, head, horizons and a page of entries
 *       at one moment ({@link ReplayScript}), merging the streams so that it reads about what it
 *       returns; a long replay is several such pages, each below the last, and a trim between
 *       two of them is reported as a gap.</li>
 *   <li>Bounded replay cost: replays run on a connection of their own, so a large reply does
 *       not hold up the publish script or the probe queued behind it, at most
 *       {@link #REPLAY_CONCURRENCY} at once, identical reads shared ({@link ReplayQueue}).</li>
 *   <li>Never blocks: every call is asynchronous; the pub/sub callbacks only decode and hand
 *       on ({@link PubSubLink}).</li>
 * </ul>
 */
public final class RedisBroker implements Broker {
    private static final Logger LOG = LoggerFactory.getLogger(RedisBroker.class);
    /**
     * Replays in flight per instance. Each holds a reply of up to the replay limit in Redis'
     * output buffer and in this JVM at once (1.8 MB for 10,000 events of 180 bytes), and each
     * occupies Redis while it runs; more at once only lengthens the wait of a publish behind them.
     * With 2, the storm of the load tool's scenario r timed reads out (3 s) behind each other on
     * a loaded machine; one at a time per instance, with identical reads shared, did not.
     */
    static final int REPLAY_CONCURRENCY = 1;
    /**
     * Distinct replays that may wait. A storm at one position is one entry; this bounds a storm of
     * distinct positions, whose clients beyond it are closed and come back later with jitter.
     */
    static final int MAX_WAITING_REPLAYS = 10_000;

    /**
     * @param prefix the prefix of every key and channel ({@code sse.channel-prefix})
     * @param maxPayload raw payloads published by other tools larger than this are dropped
     */
    public record Settings(String prefix, HistoryPolicy history, int maxPayload, RedisConfig redis) {
    }

    private final StatefulRedisConnection<String, String> connection;
    private final RedisAsyncCommands<String, String> redis;
    private final StatefulRedisConnection<String, String> replayConnection;
    private final ReplayQueue replays;
    private final RedisKeys keys;
    private final PubSubLink link;
    private final PublishScript publishScript;
    private final ReplayScript replayScript;
    private final IndexSweep sweep;
    private final FailoverGuard guard;
    private final EvictionPolicyCheck eviction;
    private final RedisTimers timers;
    private volatile boolean closed;
    /** Follows the master of a {@code redis-sentinel://} URI; does nothing for any other. */
    private volatile MasterFollower follower = MasterFollower.NONE;

    private RedisBroker(RedisClient client, StatefulRedisConnection<String, String> connection,
                        StatefulRedisConnection<String, String> replayConnection, PubSubLink link,
                        RedisKeys keys, HistoryPolicy policy, RedisConfig config, JsonMapper json) {
        this.timers = new RedisTimers(client.getResources());
        this.connection = connection;
        this.redis = connection.async();
        this.replayConnection = replayConnection;
        this.keys = keys;
        this.link = link;
        // Two command timeouts: a batch's next step follows within one unless its attempt is gone.
        this.publishScript = new PublishScript(keys, policy, config.commandTimeout().multipliedBy(2), new Envelope(json));
        this.replayScript = new ReplayScript(keys, policy);
        RedisAsyncCommands<String, String> reads = replayConnection.async();
        this.replays = new ReplayQueue(REPLAY_CONCURRENCY, MAX_WAITING_REPLAYS, query -> replayScript.run(reads, query));
        // A catch-up after a pub/sub interruption reads on the replay connection: it waits for it.
        link.catchUpNeeds(replayConnection::isOpen);
        this.sweep = new IndexSweep(keys);
        this.guard = new FailoverGuard(keys, redis);
        link.guard(guard);
        this.eviction = new EvictionPolicyCheck(redis, guard);
    }

    /** {@link #connect(RedisClient, RedisURI, Settings, JsonMapper)} with no sentinels to watch. */
    public static RedisBroker connect(RedisClient client, Settings settings, JsonMapper json) {
        return connect(client, null, settings, json);
    }

    /**
     * Opens the command and pub/sub connections and subscribes. Blocks until Redis answered (a
     * startup step); throws when it cannot be reached, so that an instance does not start
     * without its broker. When {@code uri}, the address {@code client} was made for, names
     * sentinels, the connections follow the master they announce ({@link MasterFollower}).
     */
    public static RedisBroker connect(RedisClient client, RedisURI uri, Settings settings, JsonMapper json) {
        RedisKeys keys = new RedisKeys(settings.prefix());
        RedisConfig config = settings.redis();
        StatefulRedisConnection<String, String> connection = client.connect(StringCodec.UTF8);
        StatefulRedisPubSubConnection<String, String> pubsub = null;
        StatefulRedisConnection<String, String> replayConnection = null;
        try {
            replayConnection = client.connect(StringCodec.UTF8);
            pubsub = client.connectPubSub(StringCodec.UTF8);
            PubSubLink link = new PubSubLink(pubsub, connection.async(), keys, new Envelope(json), LocalBroker.newEpoch(),
                    settings.maxPayload(), config.probeTimeout());
            link.start(config.commandTimeout());
            RedisBroker broker = new RedisBroker(client, connection, replayConnection, link, keys, settings.history(), config, json);
            broker.start(config);
            broker.follower = MasterFollower.follow(client, uri, broker.timers,
                    Map.of("commands", connection, "replays", replayConnection), pubsub);
            return broker;
        } catch (Exception e) {
            if (pubsub != null) {
                pubsub.close();
            }
            if (replayConnection != null) {
                replayConnection.close();
            }
            connection.close();
            throw new GatewayException(Reason.BROKER_UNAVAILABLE, "cannot subscribe to Redis: " + e, e);
        }
    }

    private void start(RedisConfig config) {
        for (LuaScript s : List.of(publishScript.script(), replayScript.script(), sweep.script(), guard.script())) {
            s.load(redis).exceptionally(e -> {
                LOG.debug("event=script-load-failed script={} reason=\"{}\"", s.name(), e.toString());
                return null;
            });
        }
        // The first probe at once, so that a new instance is ready as soon as its link works.
        link.probe();
        every(config.probeInterval(), link::probe);
        every(config.sweepInterval(), () -> sweep.step(redis));
        eviction.readPolicy();
        every(config.probeInterval(), eviction::poll);
        eviction.readAgainOnReconnect(connection, timers);
        LOG.info("broker=redis prefix={} pattern={}", keys.prefix(), keys.pattern());
    }

    /** Runs {@code task} periodically until the broker closes; it must not block ({@link RedisTimers}). */
    ScheduledFuture<?> every(Duration period, Runnable task) {
        return timers.every(period, task);
    }

    /** Runs {@code task} once after {@code delay}; it must not block. */
    void later(Duration delay, Runnable task) {
        timers.later(delay, task);
    }

    RedisAsyncCommands<String, String> commands() {
        return redis;
    }

    RedisKeys keys() {
        return keys;
    }

    EvictionPolicyCheck eviction() {
        return eviction;
    }

    PubSubLink link() {
        return link;
    }

    @Override
    public CompletableFuture<Event> publish(EventDraft draft) {
        return classified(() -> publishScript.run(redis, draft).thenApply(id -> {
            guard.saw(id);
            return new Event(id, draft);
        }));
    }

    @Override
    public CompletableFuture<KeyedResult> publish(EventDraft draft, KeyedStep step) {
        return classified(() -> publishScript.run(redis, draft, step).thenApply(result -> {
            if (result instanceof KeyedResult.Published p) {
                guard.saw(p.event().id());
            }
            return result;
        }));
    }

    /** A publish whose failure says whether anything may have been stored ({@link PublishFailure}). */
    private <T> CompletableFuture<T> classified(Supplier<CompletableFuture<T>> call) {
        if (closed) {
            return CompletableFuture.failedFuture(new GatewayException(Reason.BROKER_UNAVAILABLE, "broker is closed"));
        }
        try {
            return call.get().handle((result, error) -> {
                if (error != null) {
                    throw PublishFailure.classify(error);
                }
                return result;
            });
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(PublishFailure.classify(e));
        }
    }

    @Override
    public CompletableFuture<Replay> replay(List<Namespace> topics, EventId after, int limit) {
        return replays.submit(new ReplayQueue.Key(topics, after, -1, limit));
    }

    @Override
    public CompletableFuture<Replay> replaySince(List<Namespace> topics, long sinceMillis, int limit) {
        return replays.submit(new ReplayQueue.Key(topics, null, Math.max(0, sinceMillis), limit));
    }

    /** This instance's replay queue, for metrics and tests. */
    public ReplayQueue replays() {
        return replays;
    }

    @Override
    public CompletableFuture<EventId> head() {
        try {
            return redis.mget(keys.epoch(), keys.millis(), keys.seq()).toCompletableFuture().thenApply(values -> {
                for (KeyValue<String, String> v : values) {
                    if (!v.hasValue()) {
                        return null;
                    }
                }
                return new EventId(values.get(0).getValue(),
                        Long.parseLong(values.get(1).getValue()), Long.parseLong(values.get(2).getValue()));
            });
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public void listen(BrokerListener listener) {
        link.listen(listener);
    }

    /** False while a command or replay connection is down or off the master, or the link is not known to deliver. */
    @Override
    public boolean isHealthy() {
        return !closed && connection.isOpen() && replayConnection.isOpen() && link.isLive() && follower.onMaster();
    }

    @Override
    public String kind() {
        return "redis";
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        follower.close();
        timers.cancelAll();
        link.close();
        replayConnection.close();
        connection.close();
    }
}
