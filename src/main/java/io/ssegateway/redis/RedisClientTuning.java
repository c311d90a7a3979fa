package io.ssegateway.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * How the gateway's Lettuce client behaves when Redis is slow or gone: fail fast, come back by
 * itself.
 * <ul>
 *   <li>Commands issued while disconnected are rejected at once rather than queued: a publish
 *       answers 503 and the caller may retry, instead of waiting on a queue that may never
 *       drain or, worse, running long after the caller gave up.</li>
 *   <li>Every command has a timeout.</li>
 *   <li>Reconnects are automatic, retried at most {@link #MAX_RECONNECT_DELAY} apart, so an
 *       instance is ready again soon after Redis is. After a Sentinel failover that killed the
 *       master, a connection waits out the retry it had scheduled before it asks a sentinel
 *       again (Lettuce cannot bring it forward): one interval is the gateway's delay after
 *       {@code +switch-master}. A retry is one TCP connect (and a sentinel lookup), so one a
 *       second per connection is cheap even through a long outage.</li>
 *   <li>TCP keepalive, so that a peer that vanished without closing is noticed.</li>
 * </ul>
 */
final class RedisClientTuning {
    static final Duration MAX_RECONNECT_DELAY = Duration.ofSeconds(1);
    private static final Duration MIN_RECONNECT_DELAY = Duration.ofMillis(50);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private RedisClientTuning() {
    }

    static ClientOptions options(Duration commandTimeout) {
        return ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(CONNECT_TIMEOUT)
                        .keepAlive(SocketOptions.KeepAliveOptions.builder()
                                .enable()
                                .idle(Duration.ofSeconds(15))
                                .interval(Duration.ofSeconds(5))
                                .count(3)
                                .build())
                        .build())
                .build();
    }

    static ClientResources.Builder resources(ClientResources.Builder builder) {
        return builder.reconnectDelay(Delay.exponential(MIN_RECONNECT_DELAY, MAX_RECONNECT_DELAY, 2, TimeUnit.MILLISECONDS));
    }
}
