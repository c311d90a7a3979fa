package io.ssegateway.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

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
        until(timeout, "the condition", condition);
    }

    /** Waits until {@code condition} holds; fails naming {@code what} after {@code timeout}. */
    public static void until(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    /** Waits until {@code value} gives a non-null result and returns it. */
    public static <T> T value(Duration timeout, String what, Supplier<T> value) {
        Object[] result = new Object[1];
        until(timeout, what, () -> (result[0] = value.get()) != null);
        @SuppressWarnings("unchecked")
        T t = (T) result[0];
        return t;
    }
}
