package io.ssegateway.core;

import java.time.Duration;

/**
 * How much history each namespace keeps: at most {@code maxLength} events, none older than
 * {@code maxAge}. A resume from before what is kept gets a history gap.
 */
public record HistoryPolicy(int maxLength, Duration maxAge) {
    public static final HistoryPolicy DEFAULTS = new HistoryPolicy(1000, Duration.ofHours(1));

    public HistoryPolicy {
        if (maxLength < 1) {
            throw new IllegalArgumentException("history max length must be at least 1");
        }
        if (maxAge == null || maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("history max age must be positive");
        }
    }
}
