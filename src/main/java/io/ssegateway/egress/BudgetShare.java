package io.ssegateway.egress;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One stream's share of the {@link OutboundBudget}: the bytes it last reported holding, and
 * whether a shed chose it for a cut.
 *
 * <p>Threads: the stream's event loop reports; a shed on any loop reads the backlog and marks
 * the cut, so those two are volatile.
 */
final class BudgetShare {
    /**
     * Gathered bytes are reported to the budget at each flush, and within a turn every this
     * many: so what a burst gathers before its flush is never more than this per stream out of
     * the budget's sight, and a fan-out does not touch the shared counter on every event.
     */
    static final int REPORT_EVERY = 8 * 1024;

    private final OutboundBudget budget;
    /** Bytes this stream counts against the {@link OutboundBudget}; written on the loop, read by a shed. */
    private volatile long backlog;
    /** Chunk bytes gathered since the last report to the budget. */
    private int unreported;
    /** Set by a shed on another loop: this stream is among the largest backlogs and is cut. */
    private volatile boolean cutPending;
    /** The backlog a shed counted as freed when it chose this stream; written before {@link #cutPending}. */
    private volatile long chosen;
    /** Whether {@link #chosen} went back to the budget: once, by whichever comes first. */
    private final AtomicBoolean givenBack = new AtomicBoolean();

    BudgetShare(OutboundBudget budget) {
        this.budget = budget;
    }

    /** Counts bytes gathered into the chunk; true when so many went unreported that it is time to report. */
    boolean gathered(int bytes) {
        unreported += bytes;
        return unreported >= REPORT_EVERY;
    }

    /** The stream holds {@code now} bytes (0 once it ended): the budget hears the difference. Loop only. */
    void holds(long now) {
        unreported = 0;
        long delta = now - backlog;
        if (delta != 0) {
            backlog = now;
            budget.add(delta);
            if (now == 0 && cutPending) {
                // Freed before the shed's cut reached this loop (the stream wrote and cut itself,
                // or its client left). Given back only when the cut ran, these bytes were off the
                // count twice meanwhile, as freed and as still to free: behind a second of queued
                // fan-out the budget then let the other streams gather several times its size.
                giveBack();
            }
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
     * Chosen by a shed as one of the largest backlogs: {@code cutIfOpen} runs on the stream's
     * loop, or the stream cuts itself sooner if it writes first. Any thread.
     */
    void cut(long backlog, Executor loop, Runnable cutIfOpen) {
        chosen = backlog;
        budget.cutChosen(backlog);
        cutPending = true;
        Runnable cut = () -> {
            cutIfOpen.run();
            giveBack();
        };
        try {
            loop.execute(cut);
        } catch (RejectedExecutionException e) {
            // The loop is shutting down and takes its connections with it.
            giveBack();
        }
    }

    private void giveBack() {
        if (givenBack.compareAndSet(false, true)) {
            budget.cutDone(chosen);
        }
    }
}
