package io.ssegateway.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition until it holds or a timeout passes: how tests wait, instead of sleeping. */
public final class Await {
    public static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final long POLL_NANOS = 5_000_000L;

    private Await() {
    }

    public static void until(BooleanSupplier condition) {
        until(TIMEOUT, condition);
    }

    public static void until(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(POLL_NANOS);
        }
    }
}
