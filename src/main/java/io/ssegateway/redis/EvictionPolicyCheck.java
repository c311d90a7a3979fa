package io.ssegateway.redis;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Catches a Redis that may evict the gateway's keys. Under any {@code maxmemory-policy} but
 * {@code noeviction}, Redis drops keys when full: a history stream gone that way looks like a
 * namespace without history, and a resume would silently skip what it held.
 *
 * <ul>
 *   <li>The policy is read at start-up and after every reconnect (a failover may land on a
 *       server configured otherwise): {@code CONFIG GET}, or {@code INFO memory} where a managed
 *       Redis forbids {@code CONFIG}. A policy that can evict is logged as a WARN naming the
 *       setting, and shown in the readiness details.</li>
 *   <li>While it can evict, Redis' {@code evicted_keys} counter is read every probe interval.
 *       When it grows, some key is gone and nothing tells which, so the epoch is ended
 *       ({@link FailoverGuard#endEpoch}): every resume from before answers {@code history-gap}.
 *       The counter counts every key of the server, so a Redis shared with a cache ends the
 *       gateway's epochs often: a gap too many rather than a silent skip.</li>
 * </ul>
 */
final class EvictionPolicyCheck {
    private static final Logger LOG = LoggerFactory.getLogger(EvictionPolicyCheck.class);
    /** A command sent from the connected callback itself may meet a connection not yet activated. */
    private static final Duration RECONNECT_SETTLE = Duration.ofMillis(100);

    /** What the server said, and how it was asked ({@code config} or {@code info}). */
    record Policy(String maxmemoryPolicy, long maxmemory, String source) {
        boolean canEvict() {
            return !"noeviction".equals(maxmemoryPolicy);
        }
    }

    private final RedisAsyncCommands<String, String> redis;
    private final FailoverGuard guard;
    private volatile Policy policy = new Policy("unknown", 0, "none");
    private volatile long evictedKeys = -1;
    private volatile long evictionsSeen;

    EvictionPolicyCheck(RedisAsyncCommands<String, String> redis, FailoverGuard guard) {
        this.redis = redis;
        this.guard = guard;
    }

    Policy policy() {
        return policy;
    }

    /** Evictions counted since this instance started watching. */
    long evictionsSeen() {
        return evictionsSeen;
    }

    /** A reconnect may reach another server (a failover): its policy is read again. */
    void readAgainOnReconnect(StatefulRedisConnection<?, ?> connection, RedisTimers timers) {
        connection.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> handler, SocketAddress address) {
                timers.later(RECONNECT_SETTLE, EvictionPolicyCheck.this::readPolicy);
            }
        });
    }

    /** Reads the policy; WARNs when it can evict. Never fails. */
    CompletableFuture<Policy> readPolicy() {
        CompletableFuture<Policy> read;
        try {
            read = redis.configGet("maxmemory-policy", "maxmemory").toCompletableFuture()
                    .thenApply(EvictionPolicyCheck::fromConfig)
                    .exceptionallyCompose(e -> fromInfo());
        } catch (RuntimeException e) {
            read = fromInfo();
        }
        return read.handle((p, error) -> {
            if (error != null) {
                LOG.warn("event=maxmemory-policy-unknown reason=\"{}\"", error.toString());
                return policy;
            }
            Policy before = policy;
            policy = p;
            if (p.canEvict() && !p.equals(before)) {
                LOG.warn("event=redis-may-evict setting=maxmemory-policy value={} maxmemory={} source={}"
                        + " reason=\"evicted history is detected as a gap only; use noeviction\"",
                        p.maxmemoryPolicy(), p.maxmemory(), p.source());
            }
            return p;
        });
    }

    private static Policy fromConfig(Map<String, String> config) {
        String name = config.get("maxmemory-policy");
        if (name == null) {
            throw new IllegalStateException("CONFIG GET gave no maxmemory-policy");
        }
        return new Policy(name, Long.parseLong(config.getOrDefault("maxmemory", "0")), "config");
    }

    private CompletableFuture<Policy> fromInfo() {
        return redis.info("memory").toCompletableFuture().thenApply(info -> new Policy(
                field(info, "maxmemory_policy", "unknown"), Long.parseLong(field(info, "maxmemory", "0")), "info"));
    }

    /** Called every probe interval: ends the epoch when Redis evicted keys since the last call. */
    void poll() {
        if (!policy.canEvict()) {
            return;
        }
        redis.info("stats").thenAccept(info -> {
            long now = Long.parseLong(field(info, "evicted_keys", "0"));
            long before = evictedKeys;
            evictedKeys = now;
            // A counter lower than before: Redis restarted or CONFIG RESETSTAT; nothing to tell.
            if (before >= 0 && now > before) {
                evictionsSeen += now - before;
                LOG.warn("event=redis-evicted keys={} setting=maxmemory-policy value={} action=new-epoch",
                        now - before, policy.maxmemoryPolicy());
                guard.endEpoch();
            }
        });
    }

    private static String field(String info, String name, String otherwise) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1).trim();
            }
        }
        return otherwise;
    }
}
