package io.ssegateway.egress;

import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;
import io.ssegateway.core.Event;
import io.ssegateway.core.Namespace;
import io.ssegateway.core.Sink;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * One open {@code text/event-stream} response on a Netty channel: who it is
 * ({@link StreamIdentity}, what {@code /status} lists), how its bytes reach the client
 * ({@link StreamWriter}), and its life: the timers a route starts, the hooks that run when it
 * ends, whoever ends it.
 *
 * <p>Everything here runs on the channel's event loop, except what is said to run anywhere.
 */
public final class SseStream implements Sink {
    private static final Duration NEVER = Duration.ofNanos(Long.MAX_VALUE);

    private final Channel channel;
    private final Connections connections;
    private final StreamIdentity identity;
    private final StreamWriter writer;
    /** Sizes replay slices: smaller when the outbound budget runs short. */
    private final OutboundBudget budget;
    private final List<Runnable> closeHooks = new ArrayList<>(2);
    private boolean closed;

    SseStream(Channel channel, Connections connections, OutboundBudget budget, StreamIdentity identity,
              long keepaliveNanos) {
        this.channel = channel;
        this.connections = connections;
        this.identity = identity;
        this.budget = budget;
        this.writer = new StreamWriter(channel, connections, budget, identity, keepaliveNanos, this::ended);
    }

    @Override
    public Executor executor() {
        return channel.eventLoop();
    }

    io.netty.channel.EventLoop eventLoop() {
        return channel.eventLoop();
    }

    /** Who this stream is, for status pages. Any thread. */
    public StreamIdentity identity() {
        return identity;
    }

    StreamWriter writer() {
        return writer;
    }

    /** Set by the route for status pages: what this stream listens to. */
    public void describe(List<Namespace> namespaces, Supplier<String> lastEventId) {
        identity.describe(namespaces, lastEventId);
    }

    /**
     * Runs {@code task} on this stream's event loop every {@code period} (first after
     * {@code initialDelay}) until the stream ends.
     */
    public void every(java.time.Duration initialDelay, java.time.Duration period, Runnable task) {
        ScheduledFuture<?> timer = channel.eventLoop().scheduleAtFixedRate(() -> {
            if (!closed) {
                task.run();
            }
        }, initialDelay.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
        onClose(() -> timer.cancel(false));
    }

    /**
     * Ends the stream after {@code delay} (at once when it is not positive) unless it ended
     * before. A delay past what the timer can hold (nanoseconds in a long, some 290 years) is
     * taken as never.
     */
    public void closeAfter(Duration delay, String reason) {
        if (delay.compareTo(NEVER) >= 0) {
            return;
        }
        ScheduledFuture<?> timer = channel.eventLoop().schedule(() -> close(reason),
                Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        onClose(() -> timer.cancel(false));
    }

    /** Runs when the stream ends, whoever ended it. */
    public void onClose(Runnable hook) {
        if (closed) {
            hook.run();
        } else {
            closeHooks.add(hook);
        }
    }

    @Override
    public void send(Event event) {
        writer.send(event);
    }

    @Override
    public void sendRun(List<Event> run) {
        writer.sendRun(run);
    }

    /** Writes bytes that are already a complete SSE frame or comment. */
    public void sendFrame(byte[] frame) {
        writer.sendFrame(frame);
    }

    /** Asks for a flush at the end of the event loop's current batch of work. */
    @Override
    public void flush() {
        writer.flush();
    }

    /** Writes what was gathered now and runs {@code next} once the socket took all of it. */
    @Override
    public void flushThen(Runnable next) {
        writer.flushThen(next);
    }

    @Override
    public int sliceBytes() {
        return budget.sliceBytes();
    }

    /**
     * Queues the opening {@code retry:} and starts the keepalive timer; the caller flushes.
     * {@code closingRetry} gives the {@code retry:} of the stream's last frame when the server
     * ends it.
     */
    void open(long retryMillis, LongSupplier closingRetry) {
        writer.open(retryMillis, closingRetry);
    }

    /**
     * Ends the response cleanly and closes the connection, with a last {@code retry:} and the
     * last empty chunk ({@link StreamWriter#finish()}).
     */
    @Override
    public void close(String reason) {
        if (closed) {
            return;
        }
        writer.finish();
        ended();
    }

    /** The client went away (or we closed): release timers, run hooks once. */
    void ended() {
        if (closed) {
            return;
        }
        closed = true;
        writer.stop();
        connections.remove(this);
        for (Runnable hook : closeHooks) {
            hook.run();
        }
        closeHooks.clear();
    }

    /** Runs once the connection under the stream is closed, which may be a moment after the stream ended. */
    void onDisconnect(Runnable hook) {
        channel.closeFuture().addListener(f -> hook.run());
    }

    public boolean isClosed() {
        return closed;
    }

    /** True while the connection under the stream is open; it may outlive the stream briefly. */
    boolean isConnected() {
        return channel.isOpen();
    }
}
