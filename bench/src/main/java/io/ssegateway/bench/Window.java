package io.ssegateway.bench;

/**
 * The measured part of a run, in {@link System#nanoTime()}: deliveries received and events sent
 * inside it count; warm-up and drain do not. Set by the main thread, read by the event loops.
 */
final class Window {
    private volatile long start = Long.MAX_VALUE;
    private volatile long end = Long.MAX_VALUE;

    void open(long startNanos, long endNanos) {
        end = endNanos;
        start = startNanos;
    }

    long start() {
        return start;
    }

    long end() {
        return end;
    }

    boolean contains(long nanos) {
        return nanos >= start && nanos < end;
    }

    double seconds() {
        return (end - start) / 1e9;
    }
}
