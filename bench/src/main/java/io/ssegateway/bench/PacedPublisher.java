package io.ssegateway.bench;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Publishes our payloads on several lanes (connections), each its own publisher with its own
 * sequence, at a total rate or as fast as the server answers. A lane keeps at most
 * {@code window} publishes unanswered, so "as fast as possible" means as fast as the server
 * accepts, never an unbounded queue in the tool.
 *
 * <p>All lane state lives on one event loop; subclasses send there and report answers there.
 */
abstract class PacedPublisher implements AutoCloseable {
    /** How often the pacer looks at the clock: fine enough for 50 events/s and for 100k/s. */
    private static final long TICK_MICROS = 500;

    protected final EventLoopGroup loop = Transport.group(1, "publisher");
    private final int lanes;
    private final int window;
    private final long[] sent;
    private final long[] seq;
    private final int[] outstanding;
    private final AtomicLongArray accepted;
    /** Per lane, the send times of the publishes not yet answered, oldest first. */
    private final java.util.ArrayDeque<long[]>[] sentAt;
    /** Publish round trips (send to answer) in microseconds; loop only until read after stop. */
    final org.HdrHistogram.Histogram answerMicros = new org.HdrHistogram.Histogram(1, 120_000_000L, 3);
    private volatile long errors;
    private volatile int inFlight;

    private int payloadBytes = Payload.TARGET_BYTES;
    private double ratePerLane;
    private long limitPerLane;
    private long startNanos;
    private long[] sentAtStart;
    private boolean active;
    private ScheduledFuture<?> ticker;

    PacedPublisher(int lanes, int window) {
        this.lanes = lanes;
        this.window = window;
        this.sent = new long[lanes];
        this.seq = new long[lanes];
        this.outstanding = new int[lanes];
        this.accepted = new AtomicLongArray(lanes);
        @SuppressWarnings("unchecked")
        java.util.ArrayDeque<long[]>[] queues = new java.util.ArrayDeque[lanes];
        for (int i = 0; i < lanes; i++) {
            queues[i] = new java.util.ArrayDeque<>();
        }
        this.sentAt = queues;
    }

    int lanes() {
        return lanes;
    }

    /** Pads each payload to about this many bytes (default {@link Payload#TARGET_BYTES}). */
    PacedPublisher payloadBytes(int bytes) {
        this.payloadBytes = bytes;
        return this;
    }

    /** Sends one payload on {@code lane}; the answer must come back as {@link #answered}. */
    protected abstract void send(int lane, String payload);

    /** False while a lane cannot send (reconnecting); the pacer tries again on its next tick. */
    protected boolean ready(int lane) {
        return true;
    }

    /** Connects the lanes. */
    abstract void connect() throws Exception;

    /**
     * Starts publishing at {@code ratePerSecond} in total (0: as fast as answers come back),
     * at most {@code limitPerLane} events per lane, continuing each lane's sequence.
     */
    void start(double ratePerSecond, long limitPerLane) throws Exception {
        loop.submit(() -> {
            this.ratePerLane = ratePerSecond / lanes;
            this.limitPerLane = limitPerLane;
            this.startNanos = System.nanoTime();
            this.sentAtStart = sent.clone();
            this.active = true;
            for (int lane = 0; lane < lanes; lane++) {
                pump(lane);
            }
            ticker = loop.scheduleAtFixedRate(this::tick, TICK_MICROS, TICK_MICROS, TimeUnit.MICROSECONDS);
        }).get(5, TimeUnit.SECONDS);
    }

    void stop() throws Exception {
        loop.submit(() -> {
            active = false;
            if (ticker != null) {
                ticker.cancel(false);
            }
        }).get(5, TimeUnit.SECONDS);
    }

    /** Waits until every publish sent has been answered. */
    boolean awaitAnswers(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (inFlight > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return inFlight == 0;
    }

    /** Waits until this round's limit was sent and answered (or the timeout passed). */
    boolean awaitLimit(long timeoutMillis) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (System.nanoTime() < deadline) {
            boolean done = loop.submit(() -> {
                for (int lane = 0; lane < lanes; lane++) {
                    if (sent[lane] - sentAtStart[lane] < limitPerLane || outstanding[lane] > 0) {
                        return false;
                    }
                }
                return true;
            }).get(5, TimeUnit.SECONDS);
            if (done) {
                return true;
            }
            Thread.sleep(5);
        }
        return false;
    }

    private void tick() {
        for (int lane = 0; lane < lanes; lane++) {
            pump(lane);
        }
    }

    private void pump(int lane) {
        if (!active) {
            return;
        }
        long due = limitPerLane;
        if (ratePerLane > 0) {
            double elapsed = (System.nanoTime() - startNanos) / 1e9;
            due = Math.min(due, (long) Math.floor(elapsed * ratePerLane) + 1);
        }
        long base = sentAtStart[lane];
        while (sent[lane] - base < due && outstanding[lane] < window && ready(lane)) {
            long s = seq[lane]++;
            sent[lane]++;
            outstanding[lane]++;
            inFlight++;
            long now = System.nanoTime();
            sentAt[lane].add(new long[] {now});
            send(lane, Payload.encode(lane, s, now, payloadBytes));
        }
    }

    /** On the loop: the publish sent longest ago on {@code lane} was answered. */
    protected void answered(int lane, boolean ok) {
        long[] sent = sentAt[lane].poll();
        if (sent != null && ok) {
            answerMicros.recordValue(Math.max(1, (System.nanoTime() - sent[0]) / 1000));
        }
        outstanding[lane]--;
        inFlight--;
        if (ok) {
            accepted.incrementAndGet(lane);
        } else {
            errors++;
        }
        pump(lane);
    }

    /** On the loop: a lane's connection was lost with publishes unanswered. */
    protected void lost(int lane) {
        sentAt[lane].clear();
        errors += outstanding[lane];
        inFlight -= outstanding[lane];
        outstanding[lane] = 0;
    }

    long[] accepted() {
        long[] out = new long[lanes];
        for (int i = 0; i < lanes; i++) {
            out[i] = accepted.get(i);
        }
        return out;
    }

    long acceptedTotal() {
        long total = 0;
        for (int i = 0; i < lanes; i++) {
            total += accepted.get(i);
        }
        return total;
    }

    long errors() {
        return errors;
    }

    /** The sequence number the next publish of lane 0 gets. */
    long nextSeq() throws Exception {
        return loop.submit(() -> seq[0]).get(5, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
