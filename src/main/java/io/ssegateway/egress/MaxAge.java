package io.ssegateway.egress;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The age at which one stream is ended ({@code SSE_MAX_CONNECTION_AGE}), shortened at random.
 *
 * <p>Streams opened together (a deploy, a reconnect wave) would otherwise all end together, one
 * age later, and again after that: the wave never spreads out. Only shortened, never lengthened:
 * the setting is there to stay under a platform's request cap (Cloud Run's timeout, Knative's
 * revision timeout), so no stream may outlive it.
 */
final class MaxAge {
    /** Longer is never in practice, and would overflow the nanoseconds the jitter is drawn in. */
    private static final Duration FOREVER = Duration.ofDays(365L * 100);

    private MaxAge() {
    }

    /** An age in {@code [maxAge × (1 − jitter), maxAge]}; {@code jitter} is clamped to 0..1. */
    static Duration jittered(Duration maxAge, double jitter) {
        if (maxAge.compareTo(FOREVER) > 0) {
            return maxAge;
        }
        double fraction = Math.min(1, Math.max(0, jitter));
        long span = (long) (maxAge.toNanos() * fraction);
        long cut = span <= 0 ? 0 : ThreadLocalRandom.current().nextLong(span + 1);
        return maxAge.minusNanos(cut);
    }
}
