package io.ssegateway.egress;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.util.concurrent.ScheduledFuture;
import io.ssegateway.core.Event;
import io.ssegateway.core.SseEncoder;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * How bytes reach one stream's client: the chunk of the turn, the backpressure cut, flush
 * batching and keepalive. Who the stream is, and its timers and close hooks, are
 * {@link SseStream}'s.
 *
 * <p>Everything here runs on the channel's event loop. What a turn of the loop writes is
 * gathered into one chunk ({@link ChunkBuffer}) and sent by {@link #flush()}, so a burst of
 * events leaves in one buffer and one system call. When the bytes queued for the client would
 * pass the channel's high water mark, the client is not keeping up: it is cut (and counted, by
 * {@link ClientCut}) instead of letting its backlog grow the server's memory; it resumes from
 * history when it reconnects. The hub's fan-out tasks never wait for a client, so a stuck
 * client holds no more than that bound.
 */
final class StreamWriter {
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

    private final Channel channel;
    private final Connections connections;
    private final BudgetShare share;
    private final Keepalive keepalive;
    private final ChunkBuffer chunk = new ChunkBuffer();
    /** Ends the stream when this writer cuts the client or finds it gone. */
    private final ClientCut cut;
    private long room;
    private int deliveredSinceFlush;
    private boolean pending;
    private boolean flushRequested;
    private boolean closed;
    private LongSupplier closingRetry;

    StreamWriter(Channel channel, Connections connections, OutboundBudget budget, StreamIdentity identity,
                 long keepaliveNanos, Runnable ended) {
        this.channel = channel;
        this.connections = connections;
        this.share = new BudgetShare(budget);
        this.cut = new ClientCut(channel, connections, budget, identity, chunk, ended);
        this.keepalive = new Keepalive(channel.eventLoop(), keepaliveNanos, () -> {
            append(SseEncoder.keepalive());
            flush();
        });
    }

    void send(Event event) {
        byte[] frame = event.frame();
        if (frame.length <= COPY_LIMIT) {
            append(frame);
        } else {
            writeShared(event);
        }
        deliveredSinceFlush++;
    }

    /** Writes bytes that are already a complete SSE frame or comment. */
    void sendFrame(byte[] frame) {
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
        if (chunk.size() + frame.length > room || share.isCutPending()) {
            cut.slow();
            return;
        }
        try {
            chunk.append(channel.alloc(), frame);
        } catch (OutOfMemoryError e) {
            cut.outOfDirectMemory(e);
            return;
        }
        pending = true;
        if (share.gathered(frame.length)) {
            report();
        }
    }

    /** Tells the budget what this stream holds now: its gathered chunk and what Netty queued. */
    private void report() {
        var queued = channel.unsafe().outboundBuffer();
        share.holds(closed ? 0 : chunk.size() + (queued == null ? 0 : queued.totalPendingWriteBytes()));
    }

    /** What this stream counts against the budget, for a shed to read and mark. */
    BudgetShare share() {
        return share;
    }

    /**
     * Chosen by a shed as one of the largest backlogs: cut on this stream's loop, or sooner if
     * it writes first. Any thread.
     */
    void cutForBudget(long backlog) {
        share.cut(backlog, channel.eventLoop(), () -> {
            if (!closed) {
                cut.forBudget(share.backlog());
            }
        });
    }

    private void writeShared(Event event) {
        if (closed) {
            return;
        }
        writeGathered();
        if (!channel.isWritable() || share.isCutPending()) {
            cut.slow();
            return;
        }
        try {
            writeView(ChunkBuffer.sharedChunk(event));
        } catch (OutOfMemoryError e) {
            cut.outOfDirectMemory(e);
        }
    }

    /** A run of a replay ({@link io.ssegateway.core.Sink#sendRun}): a view of its shared chunk, or copied when short. */
    void sendRun(List<Event> run) {
        if (run.size() < SharedRuns.MIN_EVENTS) {
            run.forEach(this::send);
            return;
        }
        if (closed) {
            return;
        }
        writeGathered();
        try {
            ByteBuf shared = SharedRuns.of(channel.eventLoop()).chunkOf(run);
            // The bound the frames copied one by one would meet: the run must fit below the high water mark.
            if (shared.readableBytes() > channel.bytesBeforeUnwritable() || share.isCutPending()) {
                cut.slow();
                return;
            }
            writeView(shared);
        } catch (OutOfMemoryError e) {
            cut.outOfDirectMemory(e);
            return;
        }
        deliveredSinceFlush += run.size();
    }

    private void writeView(ByteBuf shared) {
        channel.write(shared.retainedDuplicate(), channel.voidPromise());
        pending = true;
        report();
    }

    private void writeGathered() {
        ByteBuf gathered = chunk.take();
        if (gathered != null) {
            channel.write(gathered, channel.voidPromise());
        }
    }

    /** Asks for a flush at the end of the event loop's current batch of work. */
    void flush() {
        if (pending && !closed && !flushRequested) {
            flushRequested = true;
            FlushBatcher.of(channel.eventLoop()).request(this);
        }
    }

    /** Writes what was gathered now; once the socket took all of it, queues {@code next} on the loop. */
    void flushThen(Runnable next) {
        if (closed) {
            return;
        }
        ByteBuf gathered = chunk.take();
        sentTurn();
        ChannelFuture written = gathered != null ? channel.writeAndFlush(gathered) : channel.writeAndFlush(Unpooled.EMPTY_BUFFER);
        report();
        // Not run in the completion, which fires inside the loop's I/O pass: there every writable
        // stream's next slice ran before a publish or readiness check on the loop was read. Nor
        // queued as a task of its own: the loop runs every such task before it reads again.
        written.addListener(f -> {
            report();
            if (f.isSuccess() && !closed) {
                SliceTurns.of(channel.eventLoop()).add(() -> {
                    if (!closed) {
                        next.run();
                    }
                });
            }
        });
    }

    void flushNow() {
        flushRequested = false;
        if (pending && !closed) {
            writeGathered();
            channel.flush();
            report();
            sentTurn();
        }
    }

    /** The turn's chunk has gone: counted per flush, not per event (a shared counter per delivery was measurable). */
    private void sentTurn() {
        pending = false;
        keepalive.wrote();
        connections.countDelivered(deliveredSinceFlush);
        deliveredSinceFlush = 0;
    }

    /**
     * Queues the opening {@code retry:} and starts the keepalive timer; the caller flushes.
     * {@code closingRetry} gives the {@code retry:} of the stream's last frame when the server
     * ends it.
     */
    void open(long retryMillis, LongSupplier closingRetry) {
        this.closingRetry = closingRetry;
        append(SseEncoder.retry(retryMillis));
        keepalive.start();
    }

    /**
     * Ends the response cleanly and closes the connection: a last {@code retry:} with a random
     * delay (so the clients of a drain or of streams opened together do not reconnect in one
     * burst), then the last empty chunk, so the client sees a complete response, not a cut.
     * With no buffer for that {@code retry:}, the connection is reset as on a failed write.
     */
    void finish() {
        if (channel.isActive()) {
            if (closingRetry != null) {
                try {
                    // Past the outbound bound if need be: a few bytes, and the stream ends with them.
                    chunk.append(channel.alloc(), SseEncoder.retry(closingRetry.getAsLong()));
                } catch (OutOfMemoryError e) {
                    // Thrown out of here, it left the stream open with only keepalives written to
                    // it, and a reader missed every later event with no end to resume from.
                    cut.outOfDirectMemory(e);
                    return;
                }
            }
            writeGathered();
            channel.writeAndFlush(ChunkBuffer.LAST.duplicate()).addListener(ChannelFutureListener.CLOSE);
            Runnable cut = channel::close;
            ScheduledFuture<?> timer = channel.eventLoop().schedule(cut, CLOSE_GRACE.toNanos(), TimeUnit.NANOSECONDS);
            channel.closeFuture().addListener(f -> timer.cancel(false));
        }
    }

    /** The stream ended: nothing more is written, what was gathered is let go, the budget is told. */
    void stop() {
        closed = true;
        chunk.release();
        report();
        keepalive.stop();
    }
}
