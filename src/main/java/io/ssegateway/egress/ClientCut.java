package io.ssegateway.egress;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a {@link StreamWriter} lets go of a client it cannot write to: one that fell behind (what
 * is queued for it would pass the channel's high water mark), one a budget shed chose, one the
 * allocator had no buffer for, or one that is already gone.
 *
 * <p>Why a type of its own: the writer finds that there is no room; what that means is decided
 * here, once for every write path (copied frames, shared views, replay runs, the closing
 * {@code retry:}): which ends are counted as slow and which are not, that a cut resets the
 * connection instead of closing it, and the line each one logs. Every cut lets go of the chunk
 * being gathered and ends the stream; the client resumes from history when it reconnects.
 *
 * <p>Event loop only, like the writer it serves.
 */
final class ClientCut {
    /**
     * Under the writer's name: a log level or filter set for {@code io.ssegateway.egress.StreamWriter}
     * is what reaches these lines.
     */
    private static final Logger LOG = LoggerFactory.getLogger(StreamWriter.class);

    private final Channel channel;
    private final Connections connections;
    private final OutboundBudget budget;
    private final String remote;
    private final String endpoint;
    /** The writer's chunk of the turn, let go of with the client. */
    private final ChunkBuffer chunk;
    /** The stream's end, run when a cut ends the client or finds it gone. */
    private final Runnable ended;

    ClientCut(Channel channel, Connections connections, OutboundBudget budget, StreamIdentity identity,
              ChunkBuffer chunk, Runnable ended) {
        this.channel = channel;
        this.connections = connections;
        this.budget = budget;
        this.remote = identity.remote();
        this.endpoint = identity.endpoint();
        this.chunk = chunk;
        this.ended = ended;
    }

    /**
     * The client is not keeping up: cut it and count it. The connection is reset, not closed:
     * a client that does not read would take the last chunk never, and what sits in the kernel's
     * buffer for it minutes at its pace (the load tool's slow readers saw the close only after
     * their run ended). It resumes from history when it reconnects, so nothing dropped is lost.
     */
    void slow() {
        if (!channel.isActive()) {
            // No room because the client went away, not because it fell behind: the stream ends
            // now, uncounted. Counted, it made every closed tab an overload alarm, and SO_LINGER
            // on the closed socket threw ClosedChannelException out of the fan-out task.
            LOG.debug("event=stream-peer-closed remote={} endpoint={}", remote, endpoint);
            chunk.release();
            ended.run();
            return;
        }
        connections.countSlow();
        LOG.info("event=slow-client-cut remote={} endpoint={}", remote, endpoint);
        chunk.release();
        channel.config().setOption(ChannelOption.SO_LINGER, 0);
        channel.close();
        ended.run();
    }

    /** A shed chose this open stream, holding {@code backlog}, as one of the largest backlogs. */
    void forBudget(long backlog) {
        LOG.info("event=outbound-budget-cut remote={} endpoint={} backlog={}", remote, endpoint, backlog);
        slow();
    }

    /**
     * The allocator could not give a buffer for this client. The budget keeps what streams queue
     * to a share of direct memory, so this means something else holds it; this stream is cut,
     * which frees what it held, and resumes from history. Exiting instead (as
     * {@code ExitOnOutOfMemoryError} does for the heap) would drop every client for one failed
     * allocation that the cut recovers from.
     */
    void outOfDirectMemory(OutOfMemoryError e) {
        LOG.error("event=direct-memory-exhausted remote={} endpoint={} used={} error={}", remote, endpoint,
                budget.used(), e.getMessage());
        slow();
    }
}
