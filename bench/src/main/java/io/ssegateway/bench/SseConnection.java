package io.ssegateway.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.util.concurrent.TimeUnit;

/**
 * One subscriber: sends its GET, parses the stream, and records each event of ours against its
 * {@link SeqTracker} and its loop's {@link LoopStats}. A slow subscriber reads a little at a
 * time on a timer, so the server's outbound buffer for it fills up.
 *
 * <p>With {@code --reconnect} it behaves as an EventSource: whenever its stream ends or a
 * connection attempt fails, it connects again after a short delay, with the id of the last event
 * it received. It is the handler of one channel at a time, and the same instance (its tracker,
 * its resume id) serves each next channel: hence {@link ChannelHandler.Sharable}. Without it
 * Netty refused the handler on the second channel, every reconnect failed unseen, and the events
 * a reader missed after its first cut were all counted as missed.
 */
@ChannelHandler.Sharable
final class SseConnection extends ChannelInboundHandlerAdapter implements SseParser.Listener {
    private final SseClients clients;
    final SseClients.Target target;
    final int index;
    final boolean slow;
    final SeqTracker tracker;
    private final LoopStats stats;
    private final byte[] scratch;
    private SseParser parser;
    private long readNanos;
    private String resumeId;

    boolean opened;
    boolean everOpened;
    boolean cut;
    int status;
    /** Storm: when every event up to the catch-up mark had arrived, or 0. */
    long caughtUpNanos;
    /** Resume storm: the whole replay arrived. */
    boolean replayDone;
    private int replayedEvents;
    long openStartNanos;
    /** Storm: when the first connection was established (TCP), its response head arrived, its first event; 0 before. */
    long connectedNanos;
    long headNanos;
    long firstEventNanos;
    /** The id the server gave lane 0's event 0: where a storm's clients resume from. */
    volatile String firstId;

    SseConnection(SseClients clients, SseClients.Target target, int index, boolean slow, SeqTracker tracker,
                  LoopStats stats, byte[] scratch, String resumeId) {
        this.clients = clients;
        this.target = target;
        this.index = index;
        this.slow = slow;
        this.tracker = tracker;
        this.stats = stats;
        this.scratch = scratch;
        this.resumeId = resumeId;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (connectedNanos == 0) {
            connectedNanos = System.nanoTime();
        }
        parser = new SseParser(this);
        ctx.writeAndFlush(ctx.alloc().buffer().writeBytes(target.request(resumeId)));
        if (slow) {
            ctx.read();
            if (!clients.options.stall) {
                scheduleSlowRead(ctx);
            }
        }
    }

    private void scheduleSlowRead(ChannelHandlerContext ctx) {
        ctx.executor().schedule(() -> {
            if (ctx.channel().isActive()) {
                ctx.read();
                scheduleSlowRead(ctx);
            }
        }, clients.options.slowIntervalMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        try {
            readNanos = System.nanoTime();
            if (buf.hasArray()) {
                parser.feed(buf.array(), buf.arrayOffset() + buf.readerIndex(), buf.readableBytes());
            } else {
                int left = buf.readableBytes();
                int at = buf.readerIndex();
                while (left > 0) {
                    int n = Math.min(left, scratch.length);
                    buf.getBytes(at, scratch, 0, n);
                    parser.feed(scratch, 0, n);
                    at += n;
                    left -= n;
                }
            }
        } finally {
            buf.release();
        }
    }

    @Override
    public void opened(int status) {
        this.status = status;
        if (status == 200) {
            if (headNanos == 0) {
                headNanos = readNanos;
            }
            opened = true;
            everOpened = true;
            clients.opened(this);
        } else {
            stats.failedOpens++;
        }
    }

    @Override
    public void event(Payload.Fields f) {
        long now = readNanos;
        Window w = clients.window;
        if (w.contains(now)) {
            stats.deliveriesInWindow++;
        }
        stats.deliveriesTotal++;
        if (firstEventNanos == 0) {
            firstEventNanos = now;
        }
        if (f.publisher == 0 && f.seq == 0 && firstId == null) {
            firstId = parser.lastEventId();
        }
        int target = clients.replayTarget;
        // Counted before the tracker: a history filled by concurrent batches is not in sequence order.
        if (target > 0 && !replayDone && ++replayedEvents >= target) {
            replayDone = true;
            clients.replayed(now);
        }
        if (!tracker.record(f.publisher, f.seq)) {
            stats.duplicates++;
            return;
        }
        if (!slow && w.contains(f.sentNanos)) {
            stats.latencyMicros.recordValue(Math.max(1, (now - f.sentNanos) / 1000));
        }
        long mark = clients.catchUpSeq;
        if (caughtUpNanos == 0 && mark >= 0 && tracker.contiguous(0) > mark) {
            caughtUpNanos = now;
            clients.caughtUp(this);
        }
    }

    @Override
    public void gap() {
        stats.gaps++;
        tracker.gap();
    }

    @Override
    public void ended() {
        // The server ends a stream to shed or drain it; the socket closes next.
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        boolean wasOpen = opened;
        opened = false;
        // The id of this stream's last event, or, when it had none, the one it resumed from.
        String id = parser.lastEventId();
        if (id != null) {
            resumeId = id;
        }
        if (wasOpen && clients.running()) {
            stats.disconnects++;
            if (!slow) {
                stats.readerCuts++;
            }
            cut = true;
        }
        // Also a stream refused before its head (a 503 while the server sheds): try again.
        if (everOpened) {
            reconnectLater(ctx.channel().eventLoop());
        }
    }

    /** With {@code --reconnect}, connects again after the delay, resuming after {@link #resumeId}. */
    void reconnectLater(io.netty.channel.EventLoop loop) {
        if (clients.options.reconnect && clients.running()) {
            stats.reconnects++;
            loop.schedule(() -> clients.connect(this), clients.options.reconnectDelayMillis, TimeUnit.MILLISECONDS);
        }
    }

    /** True while a stream of this subscriber is open. */
    boolean isOpen() {
        return opened;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
