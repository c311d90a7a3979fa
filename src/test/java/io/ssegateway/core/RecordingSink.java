package io.ssegateway.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

/** A sink on its own single thread that records what it is sent; waits with timeouts. */
final class RecordingSink implements Sink, AutoCloseable {
    private final ExecutorService executor = Executors.newSingleThreadExecutor();
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    volatile String closedWith;
    /** Sink thread only: bytes sent since the last flush. */
    private int unflushed;
    /** The most bytes one flush carried: what a transport would write in one go. */
    volatile int largestFlush;

    @Override
    public ExecutorService executor() {
        return executor;
    }

    @Override
    public void send(Event event) {
        unflushed += event.frame().length;
        events.add(event);
    }

    @Override
    public void flush() {
        largestFlush = Math.max(largestFlush, unflushed);
        unflushed = 0;
    }

    @Override
    public void close(String reason) {
        closedWith = reason;
    }

    Event next() throws InterruptedException {
        Event e = events.poll(5, TimeUnit.SECONDS);
        if (e == null) {
            fail("no event within 5 s");
        }
        return e;
    }

    List<String> nextData(int n) throws InterruptedException {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(next().data());
        }
        return out;
    }

    /** Asserts nothing more arrives: waits for the sink's thread to be idle, then checks. */
    void assertNoMore() throws Exception {
        executor.submit(() -> { }).get(5, TimeUnit.SECONDS);
        assertNull(events.poll(Duration.ofMillis(50).toMillis(), TimeUnit.MILLISECONDS));
    }

    /** Runs a task on the sink's thread and waits for it. */
    <T> T onThread(java.util.concurrent.Callable<T> task) throws Exception {
        return executor.submit(task).get(5, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
