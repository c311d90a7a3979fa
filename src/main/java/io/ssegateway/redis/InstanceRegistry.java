package io.ssegateway.redis;

import io.lettuce.core.KeyValue;
import io.lettuce.core.Range;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.micronaut.json.JsonMapper;
import io.ssegateway.core.ChangeListeners;
import io.ssegateway.core.ClusterView;
import io.ssegateway.core.InstanceInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The cluster view in redis mode: every instance keeps an entry in Redis and renews it each
 * heartbeat, and announces changes of its counts on a channel, so that every instance knows
 * every live instance's counts within moments.
 *
 * <ul>
 *   <li>{@code P@instances}: a sorted set of instance ids scored by when their entry expires
 *       (milliseconds since the epoch, the writer's clock). Readers take the scores in the
 *       future; entries a full time-to-live past expiry are removed, which never races with a
 *       renewal since a live instance's score is always ahead.</li>
 *   <li>{@code P@instance:<id>}: the instance's last report, JSON
 *       {@code {"id":…,"streams":…}}, expiring with the entry.</li>
 *   <li>channel {@code P@counts}: the same JSON whenever an instance's counts change (at most
 *       every {@link #ANNOUNCE_DELAY}), or {@code {"id":…,"gone":true}} when it stops.</li>
 * </ul>
 */
public final class InstanceRegistry implements ClusterView, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceRegistry.class);
    /** A burst of connects and disconnects becomes one announcement. */
    static final Duration ANNOUNCE_DELAY = Duration.ofMillis(200);
    /** An entry lives this many heartbeats: one lost renewal does not make an instance vanish. */
    private static final int TTL_HEARTBEATS = 3;

    private final RedisBroker broker;
    private final RedisAsyncCommands<String, String> redis;
    private final RedisKeys keys;
    private final JsonMapper json;
    private final long ttlMillis;
    private final ChangeListeners listeners = new ChangeListeners();
    private final AtomicBoolean announcePending = new AtomicBoolean();
    private final ScheduledFuture<?> heartbeat;
    private volatile InstanceInfo self;
    private volatile Map<String, InstanceInfo> others = Map.of();
    private volatile boolean closed;

    public InstanceRegistry(RedisBroker broker, JsonMapper json, String instanceId, Duration heartbeat) {
        this.broker = broker;
        this.json = json;
        this.redis = broker.commands();
        this.keys = broker.keys();
        this.ttlMillis = heartbeat.toMillis() * TTL_HEARTBEATS;
        this.self = new InstanceInfo(instanceId, 0);
        broker.link().onCounts(this::onAnnouncement);
        beat();
        this.heartbeat = broker.every(heartbeat, this::beat);
    }

    @Override
    public String instanceId() {
        return self.id();
    }

    @Override
    public void report(int streams) {
        InstanceInfo now = new InstanceInfo(self.id(), streams);
        if (now.equals(self)) {
            return;
        }
        self = now;
        listeners.fire();
        if (announcePending.compareAndSet(false, true)) {
            broker.later(ANNOUNCE_DELAY, this::announce);
        }
    }

    @Override
    public List<InstanceInfo> instances() {
        List<InstanceInfo> all = new ArrayList<>();
        all.add(self);
        all.addAll(others.values());
        return all;
    }

    @Override
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(Runnable listener) {
        listeners.remove(listener);
    }

    private void announce() {
        announcePending.set(false);
        if (!closed) {
            store();
            redis.publish(keys.countsChannel(), encode(self));
        }
    }

    /** Renews this instance's entry and reads back everyone's. */
    private void beat() {
        store();
        long now = System.currentTimeMillis();
        redis.zremrangebyscore(keys.instances(), Range.create(0, now - ttlMillis));
        redis.zrangebyscore(keys.instances(), Range.create(now, Long.MAX_VALUE)).thenCompose(ids -> {
            ids.remove(self.id());
            if (ids.isEmpty()) {
                return CompletableFuture.completedFuture(List.<KeyValue<String, String>>of());
            }
            return redis.mget(ids.stream().map(keys::instance).toArray(String[]::new));
        }).thenAccept(values -> {
            Map<String, InstanceInfo> live = new HashMap<>();
            for (KeyValue<String, String> v : values) {
                InstanceInfo info = v.hasValue() ? decode(v.getValue()) : null;
                if (info != null) {
                    live.put(info.id(), info);
                }
            }
            if (!live.equals(others)) {
                others = Map.copyOf(live);
                listeners.fire();
            }
        }).exceptionally(e -> {
            LOG.debug("event=registry-read-failed reason=\"{}\"", e.toString());
            return null;
        });
    }

    private void store() {
        if (closed) {
            return;
        }
        redis.set(keys.instance(self.id()), encode(self), SetArgs.Builder.px(ttlMillis));
        redis.zadd(keys.instances(), System.currentTimeMillis() + ttlMillis, self.id());
    }

    private void onAnnouncement(String message) {
        InstanceReport report = read(message);
        String id = report == null ? null : report.id();
        if (id == null || id.equals(self.id())) {
            return;
        }
        Map<String, InstanceInfo> next = new HashMap<>(others);
        if (report.isDeparture()) {
            next.remove(id);
        } else {
            InstanceInfo info = info(report);
            if (info == null) {
                return;
            }
            next.put(id, info);
        }
        if (!next.equals(others)) {
            others = Map.copyOf(next);
            listeners.fire();
        }
    }

    private String encode(InstanceInfo info) {
        return write(InstanceReport.of(info.id(), info.streams()));
    }

    /** Null when it is not a report: one bad message must not disturb the view. */
    private InstanceInfo decode(String message) {
        return info(read(message));
    }

    private static InstanceInfo info(InstanceReport report) {
        return report == null || report.id() == null || report.streams() == null ? null
                : new InstanceInfo(report.id(), report.streams());
    }

    private InstanceReport read(String message) {
        try {
            return json.readValue(message, InstanceReport.class);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private String write(InstanceReport report) {
        try {
            return json.writeValueAsString(report);
        } catch (IOException e) {
            throw new IllegalStateException("a report of a string and numbers always encodes", e);
        }
    }

    /** Leaves the cluster at once rather than when the entry expires. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        heartbeat.cancel(false);
        try {
            redis.publish(keys.countsChannel(), write(InstanceReport.departure(self.id())));
            redis.del(keys.instance(self.id()));
            redis.zrem(keys.instances(), self.id());
        } catch (RuntimeException e) {
            // The connection is gone already: the entry expires on its own.
            LOG.debug("event=registry-leave-failed reason=\"{}\"", e.toString());
        }
    }
}
