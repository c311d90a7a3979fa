package io.ssegateway.egress;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelFutureListener;
import io.netty.util.concurrent.ScheduledFuture;
import io.ssegateway.core.Event;
import io.ssegateway.core.Namespace;
import io.ssegateway.core.SseEncoder;
import io.ssegateway.core.Sink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * One open {@code text/event-stream} response on a Netty channel.
 *
 * <p>Everything here runs on the channel's event loop. What a turn of the loop writes is
 * gathered into one chunk ({@link ChunkBuffer}) and sent by {@link #flush()}, so a burst of
 * events leaves in one buffer and one system call. When the bytes queued for the client would
 * pass the channel's high water mark, the client is not keeping up: it is cut (and counted)
 * instead of letting its backlog grow the server's memory; it resumes from history when it
 * reconnects. The hub's fan-out tasks never wait for a client, so a stuck client holds no more
 * than that bound.
 */
public final class SseStream implements Sink {
    private static final Logger LOG = LoggerFactory.getLogger(SseStream.class);
    /**
     * Frames up to this size are copied into the connection's chunk of the turn; larger ones
     * are written as views of one shared copy, where copying would cost more than the view.
     */
    static final int COPY_LIMIT = 4096;
    /**
     * How long a clean close waits for the client to take the last chunk. A client that stopped
     * reading would otherwise keep the connection, and the bytes queued for it, for ever.
     */
    static final Duration CLOSE_GRACE = Duration.ofSeconds(5);
    private static final Duration NEVER = Duration.ofNanos(Long.MAX_VALUE);

    private final Channel channel;
    private final Connections connections;
    private final OutboundBudget budget;
    private final String route;
    private final String remote;
    private final String endpoint;
    private final Instant connectedAt = Instant.now();
    private final long keepaliveNanos;
    private final List<Runnable> closeHooks = new ArrayList<>(2);
    private volatile List<Namespace> namespaces = List.of();
    private volatile Supplier<String> lastEventId = () -> null;
    private long lastWriteNanos = System.nanoTime();
    private final ChunkBuffer chunk = new ChunkBuffer();
    private long room;
    /** Bytes this stream counts against the {@link OutboundBudget}; written on the loop, read by a shed. */
    private volatile long backlog;
    /** Chunk bytes gathered since the last report to the budget. */
    private int unreported;
    /** Set by a shed on another loop: this stream is among the largest backlogs and is cut. */
    private volatile boolean cutPending;
    private int deliveredSinceFlush;
    private boolean pending;
    private boolean flushRequested;
    private boolean closed;
    private ScheduledFuture<?> keepalive;
    private LongSupplier closingRetry;

    SseStream(Channel channel, Connections connections, OutboundBudget budget, String route, String remote,
              String endpoint, long keepaliveNanos) {
        this.channel = channel;
        this.connections = connections;
        this.budget = budget;
        this.route = route;
        this.remote = remote;
        this.endpoint = endpoint;
        this.keepaliveNanos = keepaliveNanos;
    }

    @Override
    public Executor executor() {
        return channel.eventLoop();
    }

    io.netty.channel.EventLoop eventLoop() {
        return channel.eventLoop();
    }

    public String remote() {
        return remote;
    }

    /** The request path, such as {@code /subscribe/pets}. */
    public String endpoint() {
        return endpoint;
    }

    /** The name of the route that serves this stream, such as {@code subscribe}. */
    public String route() {
        return route;
    }

    public Instant connectedAt() {
        return connectedAt;
    }

    public List<Namespace> namespaces() {
        return namespaces;
    }

    /** Set by the route for status pages: what this stream listens to. */
    public void describe(List<Namespace> namespaces, Supplier<String> lastEventId) {
        this.namespaces = List.copyOf(namespaces);
        this.lastEventId = lastEventId;
    }

    public String lastEventId() {
        return lastEventId.get();
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
        byte[] frame = event.frame();
        if (frame.length <= COPY_LIMIT) {
            append(frame);
        } else {
            writeShared(event);
        }
        deliveredSinceFlush++;
    }

    /** Writes bytes that are already a complete SSE frame or comment. */
    public void sendFrame(byte[] frame) {
        append(frame);
    }

    private void append(byte[] frame) {
        if (closed) {
            return;
        }
        // What this turn gathers counts against the same bound as what Netty already holds;
        // nothing else writes to the channel until the chunk leaves, so the room is read once.
        if (chunk.size() == 0) {
            room = channel.bytesBeforeUnwritable();
        }
        if (chunk.size() + frame.length > room || cutPending) {
            cutSlow();
            return;
        }
        try {
            chunk.append(channel.alloc(), frame);
        } catch (OutOfMemoryError e) {
            outOfDirectMemory(e);
            return;
        }
        pending = true;
        unreported += frame.length;
        if (unreported >= REPORT_EVERY) {
            report();
        }
    }

    /**
     * Gathered bytes are reported to the budget at each flush, and within a turn every this
     * many: so what a burst gathers before its flush is never more than this per stream out of
     * the budget's sight, and a fan-out does not touch the shared counter on every event.
     */
    static final int REPORT_EVERY = 8 * 1024;

    /** Tells the budget what this stream holds now: its gathered chunk and what Netty queued. */
    private void report() {
        unreported = 0;
        var queued = channel.unsafe().outboundBuffer();
        long now = closed ? 0 : chunk.size() + (queued == null ? 0 : queued.totalPendingWriteBytes());
        long delta = now - backlog;
        if (delta != 0) {
            backlog = now;
            budget.add(delta);
        }
    }

    /** Bytes counted against the budget for this stream. Any thread. */
    long backlog() {
        return backlog;
    }

    boolean isCutPending() {
        return cutPending;
    }

    /**
     * Chosen by a shed as one of the largest backlogs: cut on this stream's loop, or sooner if
     * it writes first. Any thread.
     */
    void cutForBudget(long backlog) {
        cutPending = true;
        Runnable cut = () -> {
            if (!closed) {
                LOG.info("event=outbound-budget-cut remote={} endpoint={} backlog={}", remote, endpoint, this.backlog);
                cutSlow();
            }
            // Given back here, once, whether this task or a write (or the client) ended the stream.
            budget.cutDone(backlog);
        };
        try {
            channel.eventLoop().execute(cut);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // The loop is shutting down and takes its connections with it.
            budget.cutDone(backlog);
        }
    }

    /**
     * The allocator could not give a buffer for this client. The budget keeps what streams queue
     * to a share of direct memory, so this means something else holds it; this stream is cut,
     * which frees what it held, and resumes from history. Exiting instead (as
     * {@code ExitOnOutOfMemoryError} does for the heap) would drop every client for one failed
     * allocation that the cut recovers from.
     */
    private void outOfDirectMemory(OutOfMemoryError e) {
        LOG.error("event=direct-memory-exhausted remote={} endpoint={} used={} error={}", remote, endpoint,
                budget.used(), e.getMessage());
        cutSlow();
    }

    private void writeShared(Event event) {
        if (closed) {
            return;
        }
        writeGathered();
        if (!channel.isWritable() || cutPending) {
            cutSlow();
            return;
        }
        ByteBuf shared;
        try {
            shared = sharedChunk(event);
        } catch (OutOfMemoryError e) {
            outOfDirectMemory(e);
            return;
        }
        channel.write(shared.retainedDuplicate(), channel.voidPromise());
        pending = true;
        report();
    }

    /**
     * One off-heap chunk per large event, made by the first connection that writes it and shared
     * by all: each write is a view of it, not a copy. The base buffer is never released; it
     * wraps a JDK direct buffer, which the garbage collector frees with the event.
     */
    private static ByteBuf sharedChunk(Event event) {
        Object cached = event.transportFrame();
        if (cached instanceof ByteBuf buf) {
            return buf;
        }
        ByteBuf buf = ChunkBuffer.sharedChunk(event.frame());
        event.transportFrame(buf);
        return buf;
    }

    private void writeGathered() {
        ByteBuf gathered = chunk.take();
        if (gathered != null) {
            channel.write(gathered, channel.voidPromise());
        }
    }

    /**
     * The client is not keeping up: cut it and count it. The connection is reset, not closed:
     * a client that does not read would take the last chunk never, and what sits in the kernel's
     * buffer for it minutes at its pace (the load tool's slow readers saw the close only after
     * their run ended). It resumes from history when it reconnects, so nothing dropped is lost.
     */
    private void cutSlow() {
        if (!channel.isActive()) {
            // No room because the client went away, not because it fell behind: a closed channel
            // has none. Netty tells the router a moment later; the stream ends now, uncounted.
            // Counted, it made every closed tab an overload alarm, and SO_LINGER on the closed
            // socket threw ClosedChannelException out of the fan-out task.
            LOG.debug("event=stream-peer-closed remote={} endpoint={}", remote, endpoint);
            chunk.release();
            ended();
            return;
        }
        connections.countSlow();
        LOG.info("event=slow-client-cut remote={} endpoint={}", remote, endpoint);
        chunk.release();
        channel.config().setOption(ChannelOption.SO_LINGER, 0);
        channel.close();
        ended();
    }

    /** Asks for a flush at the end of the event loop's current batch of work. */
    @Override
    public void flush() {
        if (pending && !closed && !flushRequested) {
            flushRequested = true;
            FlushBatcher.of(channel.eventLoop()).request(this);
        }
    }

    /** Writes what was gathered now and runs {@code next} once the socket took all of it. */
    @Override
    public void flushThen(Runnable next) {
        if (closed) {
            return;
        }
        ByteBuf gathered = chunk.take();
        pending = false;
        lastWriteNanos = System.nanoTime();
        connections.countDelivered(deliveredSinceFlush);
        deliveredSinceFlush = 0;
        ChannelFuture written = gathered != null ? channel.writeAndFlush(gathered) : channel.writeAndFlush(Unpooled.EMPTY_BUFFER);
        report();
        written.addListener(f -> {
            report();
            if (f.isSuccess() && !closed) {
                next.run();
            }
        });
    }

    void flushNow() {
        flushRequested = false;
        if (pending && !closed) {
            pending = false;
            lastWriteNanos = System.nanoTime();
            writeGathered();
            channel.flush();
            report();
            // Counted per flush, not per event: a shared counter per delivery was measurable.
            connections.countDelivered(deliveredSinceFlush);
            deliveredSinceFlush = 0;
        }
    }

    /**
     * Queues the opening {@code retry:} and starts the keepalive timer; the caller flushes.
     * {@code closingRetry} gives the {@code retry:} of the stream's last frame when the server
     * ends it.
     */
    void open(long retryMillis, LongSupplier closingRetry) {
        this.closingRetry = closingRetry;
        append(SseEncoder.retry(retryMillis));
        scheduleKeepalive(keepaliveNanos);
    }

    private void scheduleKeepalive(long delayNanos) {
        if (closed || keepaliveNanos <= 0) {
            return;
        }
        keepalive = channel.eventLoop().schedule(this::keepaliveTick, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void keepaliveTick() {
        long idle = System.nanoTime() - lastWriteNanos;
        if (idle >= keepaliveNanos) {
            append(SseEncoder.keepalive());
            flush();
            scheduleKeepalive(keepaliveNanos);
        } else {
            scheduleKeepalive(keepaliveNanos - idle);
        }
    }

    /**
     * Ends the response cleanly and closes the connection: a last {@code retry:} with a random
     * delay (so the clients of a drain or of streams opened together do not reconnect in one
     * burst), then the last empty chunk, so the client sees a complete response, not a cut.
     */
    @Override
    public void close(String reason) {
        if (closed) {
            return;
        }
        if (channel.isActive()) {
            if (closingRetry != null) {
                // Past the outbound bound if need be: a few bytes, and the stream ends with them.
                chunk.append(channel.alloc(), SseEncoder.retry(closingRetry.getAsLong()));
            }
            writeGathered();
            channel.writeAndFlush(ChunkBuffer.LAST.duplicate()).addListener(ChannelFutureListener.CLOSE);
            Runnable cut = channel::close;
            ScheduledFuture<?> timer = channel.eventLoop().schedule(cut, CLOSE_GRACE.toNanos(), TimeUnit.NANOSECONDS);
            channel.closeFuture().addListener(f -> timer.cancel(false));
        }
        ended();
    }

    /** The client went away (or we closed): release timers, run hooks once. */
    void ended() {
        if (closed) {
            return;
        }
        closed = true;
        chunk.release();
        report();
        if (keepalive != null) {
            keepalive.cancel(false);
        }
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
