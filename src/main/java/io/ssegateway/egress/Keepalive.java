package io.ssegateway.egress;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * The {@code : keepalive} comment of an idle stream: sent once nothing has been written for the
 * interval, so that proxies and load balancers that close idle connections (30 s at an API
 * Gateway edge, 60 s for ingress-nginx) leave the stream open. A stream that writes pushes it
 * back; a busy stream sends none.
 *
 * <p>Event loop only.
 */
final class Keepalive {
    private final EventLoop loop;
    private final long intervalNanos;
    private final Runnable send;
    private long lastWriteNanos = System.nanoTime();
    private ScheduledFuture<?> timer;
    private boolean stopped;

    /** {@code send} writes and flushes the comment; an interval that is not positive means none. */
    Keepalive(EventLoop loop, long intervalNanos, Runnable send) {
        this.loop = loop;
        this.intervalNanos = intervalNanos;
        this.send = send;
    }

    /** The stream wrote to the client just now. */
    void wrote() {
        lastWriteNanos = System.nanoTime();
    }

    void start() {
        schedule(intervalNanos);
    }

    void stop() {
        stopped = true;
        if (timer != null) {
            timer.cancel(false);
        }
    }

    private void schedule(long delayNanos) {
        if (stopped || intervalNanos <= 0) {
            return;
        }
        timer = loop.schedule(this::tick, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void tick() {
        long idle = System.nanoTime() - lastWriteNanos;
        if (idle >= intervalNanos) {
            send.run();
            schedule(intervalNanos);
        } else {
            schedule(intervalNanos - idle);
        }
    }
}
