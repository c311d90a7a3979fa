package io.ssegateway.security;

import io.micronaut.core.annotation.Internal;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A token bucket per key (a client address, a user name): {@code burst} attempts, then one more
 * per {@code refill}. Holds at most {@code maxKeys} keys, the least recently used forgotten
 * first, so that keys an attacker makes up cannot grow memory. Thread-safe.
 */
@Internal
final class AttemptBuckets {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final int burst;
    private final long refillNanos;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets;

    private static final class Bucket {
        double tokens;
        long updated;

        Bucket(double tokens, long updated) {
            this.tokens = tokens;
            this.updated = updated;
        }
    }

    AttemptBuckets(int burst, Duration refill, int maxKeys, LongSupplier nanoTime) {
        this.burst = burst;
        this.refillNanos = refill.toNanos();
        this.nanoTime = nanoTime;
        this.buckets = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
                return size() > maxKeys;
            }
        };
    }

    /**
     * Takes one attempt for {@code key}: 0 when it was granted, otherwise the seconds (at least 1)
     * until the next one will be.
     */
    synchronized long take(String key) {
        long now = nanoTime.getAsLong();
        Bucket b = buckets.computeIfAbsent(key, k -> new Bucket(burst, now));
        b.tokens = Math.min(burst, b.tokens + (double) (now - b.updated) / refillNanos);
        b.updated = now;
        if (b.tokens >= 1) {
            b.tokens -= 1;
            return 0;
        }
        long waitNanos = (long) Math.ceil((1 - b.tokens) * refillNanos);
        return Math.max(1, (waitNanos + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND);
    }

    /** Gives back an attempt taken for {@code key}: it succeeded, and successes are not counted. */
    synchronized void giveBack(String key) {
        Bucket b = buckets.get(key);
        if (b != null) {
            b.tokens = Math.min(burst, b.tokens + 1);
        }
    }
}
