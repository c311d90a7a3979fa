package io.ssegateway.bench;

import org.HdrHistogram.Histogram;

/**
 * What the connections of one client event loop measured. Written only by that loop's thread;
 * read after a task on the same loop has run, which orders the reads after the writes.
 */
final class LoopStats {
    /** Publish-to-deliver latency in microseconds, 1 µs to 2 min, three significant digits. */
    final Histogram latencyMicros = new Histogram(1, 120_000_000L, 3);
    long deliveriesInWindow;
    long deliveriesTotal;
    long duplicates;
    long gaps;
    long disconnects;
    /** Disconnects of connections that read (not the slow ones). */
    long readerCuts;
    long reconnects;
    long failedOpens;

    void add(LoopStats other) {
        latencyMicros.add(other.latencyMicros);
        deliveriesInWindow += other.deliveriesInWindow;
        deliveriesTotal += other.deliveriesTotal;
        duplicates += other.duplicates;
        gaps += other.gaps;
        disconnects += other.disconnects;
        readerCuts += other.readerCuts;
        reconnects += other.reconnects;
        failedOpens += other.failedOpens;
    }
}
