package io.ssegateway.egress;

import io.ssegateway.config.GatewayConfig;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The {@code retry:} a client is told when the server refuses or ends its stream: a delay drawn
 * at random from {@code SSE_RECONNECT_DELAY_MIN}..{@code SSE_RECONNECT_DELAY_MAX} for each
 * client. The same number for everyone would bring a drained instance's clients, or those an
 * instance at its connection limit turned away, back at the same instant: a reconnect storm on
 * whichever instance they land on.
 */
@Singleton
public final class ReconnectDelay {
    private final long minMillis;
    private final long maxMillis;

    public ReconnectDelay(GatewayConfig config) {
        this(config.reconnectDelayMin(), config.reconnectDelayMax());
    }

    ReconnectDelay(Duration min, Duration max) {
        if (min.isNegative() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("sse.reconnect-delay-min (SSE_RECONNECT_DELAY_MIN) must be at least 0 and"
                    + " at most sse.reconnect-delay-max (SSE_RECONNECT_DELAY_MAX); got " + min + " and " + max);
        }
        this.minMillis = min.toMillis();
        this.maxMillis = max.toMillis();
    }

    /** A fresh delay in milliseconds, uniform over the configured range (both ends included). */
    public long nextMillis() {
        return ThreadLocalRandom.current().nextLong(minMillis, maxMillis + 1);
    }
}
