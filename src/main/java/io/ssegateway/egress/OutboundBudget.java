package io.ssegateway.egress;

import io.netty.util.internal.PlatformDependent;
import io.ssegateway.config.GatewayConfig;
import io.ssegateway.core.Sink;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One memory budget for the bytes queued for every stream of this instance: what a stream has
 * gathered in the current turn plus what Netty still holds for its socket.
 *
 * <p>The per-connection bound ({@code sse.outbound-buffer}) alone let 400 clients that never
 * read hold 1 MiB each: direct memory ran out after 0.87 MB published, the failed allocation
 * skipped healthy subscribers and {@code /health} stopped answering. With the budget, once the
 * total passes it the largest backlogs are cut (counted as slow clients; they resume from
 * history) until the total is back under {@link #LOW_MARK_PERCENT}% of it.
 *
 * <p>Threads: streams report from their own event loops; a shed can run on any of them. Each
 * cut runs on the stream's own loop; a stream marked for a cut that writes before its loop
 * reaches the queued cut cuts itself then.
 */
@Singleton
public class OutboundBudget {
    private static final Logger LOG = LoggerFactory.getLogger(OutboundBudget.class);
    /**
     * Share of the JVM's direct memory the default budget takes. The rest is for what else is
     * off-heap: request bodies being read, replays, the allocator's partly used chunks (pooled
     * memory is held in chunks of several MiB per arena) and the shared frames of large events.
     */
    static final int DEFAULT_SHARE_PERCENT = 25;
    /**
     * A shed goes down to this share of the budget, not just under it: otherwise, with many
     * clients stuck at the same size, every event would cut one more of them.
     */
    static final int LOW_MARK_PERCENT = 75;
    /**
     * Past this share of the budget, backlogs (replays, and the live events held during them)
     * leave in slices of {@link #PRESSED_SLICE_BYTES}, not {@link Sink#SLICE_BYTES}. Each
     * replaying stream holds its slice until its write completes. With epoll the socket takes
     * a slice during the write; with io_uring the write's completion is read in a later loop
     * turn, so in the resume storm (5,000 clients 1,000 events behind) every stream held one:
     * 5,000 x 32 KB passed a 128 MB budget, the shed cut about 1,550 replaying clients, and
     * their reconnects replayed again (3,451 of 5,000 caught up in 15 s).
     */
    static final int SLICE_MARK_PERCENT = 50;
    static final int PRESSED_SLICE_BYTES = 4 * 1024;

    private final long limit;
    private final Connections connections;
    private final AtomicLong used = new AtomicLong();
    /**
     * Bytes of streams chosen for a cut that have not ended yet. A shed counts them as already
     * freed: otherwise each write before the cuts land would shed another quarter, and one
     * burst cut every stream, the readers with them.
     */
    private final AtomicLong releasing = new AtomicLong();
    private final AtomicBoolean shedding = new AtomicBoolean();

    public OutboundBudget(GatewayConfig config, Connections connections) {
        this.limit = config.outboundBudget() > 0 ? config.outboundBudget() : defaultLimit();
        this.connections = connections;
        LOG.info("event=outbound-budget bytes={} maxDirectMemory={}", limit, PlatformDependent.maxDirectMemory());
    }

    /** {@value #DEFAULT_SHARE_PERCENT}% of the direct memory Netty may use (the JVM's limit unless set). */
    static long defaultLimit() {
        return PlatformDependent.maxDirectMemory() / 100 * DEFAULT_SHARE_PERCENT;
    }

    public long limit() {
        return limit;
    }

    /** Bytes queued for all streams, as last reported. */
    public long used() {
        return used.get();
    }

    /** Bytes the next slice of a stream's backlog may carry, by how full the budget is now. */
    int sliceBytes() {
        return unreleased() < limit / 100 * SLICE_MARK_PERCENT ? Sink.SLICE_BYTES : PRESSED_SLICE_BYTES;
    }

    /** A stream's backlog changed by {@code delta}; sheds when the total passed the budget. */
    void add(long delta) {
        // The total the add returns, not a second read of it: this runs on every backlog change.
        if (used.addAndGet(delta) - releasing.get() > limit) {
            shed();
        }
    }

    /**
     * Bytes counted against the budget less those of streams a shed chose and that have not
     * ended yet: what a shed goes by.
     */
    long unreleased() {
        return used.get() - releasing.get();
    }

    /** A shed chose a stream holding {@code backlog}: counted as freed from now on. */
    void cutChosen(long backlog) {
        releasing.addAndGet(backlog);
    }

    /** A stream chosen by a shed ended; what it held was counted as freed when it was chosen. */
    void cutDone(long chosenAt) {
        releasing.addAndGet(-chosenAt);
    }

    /**
     * Cuts the largest backlogs until the total would be under the low mark. Only one shed runs
     * at a time; one that finds another under way leaves it the work.
     */
    private void shed() {
        if (!shedding.compareAndSet(false, true)) {
            return;
        }
        try {
            long excess = unreleased() - limit / 100 * LOW_MARK_PERCENT;
            if (excess <= 0) {
                return;
            }
            List<StreamWriter> candidates = new ArrayList<>();
            for (SseStream s : connections.streams()) {
                StreamWriter w = s.writer();
                if (w.share().backlog() > 0 && !w.share().isCutPending()) {
                    candidates.add(w);
                }
            }
            candidates.sort(Comparator.comparingLong((StreamWriter w) -> w.share().backlog()).reversed());
            long freed = 0;
            int cut = 0;
            for (StreamWriter s : candidates) {
                if (freed >= excess) {
                    break;
                }
                long backlog = s.share().backlog();
                freed += backlog;
                s.cutForBudget(backlog);
                cut++;
            }
            if (cut > 0) {
                LOG.info("event=outbound-budget-shed cut={} freed={} used={} limit={}", cut, freed, used.get(), limit);
            }
        } finally {
            shedding.set(false);
        }
    }
}
