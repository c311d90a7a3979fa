package io.ssegateway.bench;

/**
 * What one connection received of each publisher's sequence: how many distinct events, how
 * many it saw twice, and how many a {@code history-gap} told it were gone. A publisher's events
 * normally arrive in order; a window of 64 behind the newest absorbs reordering between
 * publisher connections without calling it a duplicate.
 */
final class SeqTracker {
    private static final int WINDOW = 64;

    /** Per publisher: the lowest sequence number not yet received. */
    private final long[] base;
    /** Per publisher: bit k set when {@code base + k} was received out of order. */
    private final long[] ahead;
    private final long[] unique;
    /** Per publisher: events skipped by the first event after a {@code history-gap}. */
    private final long[] gapped;
    /** Per publisher: a gap came and no event of this publisher since. */
    private final boolean[] afterGap;
    private long duplicates;

    SeqTracker(int publishers, long firstSeq) {
        base = new long[publishers];
        ahead = new long[publishers];
        unique = new long[publishers];
        gapped = new long[publishers];
        afterGap = new boolean[publishers];
        java.util.Arrays.fill(base, firstSeq);
    }

    /**
     * The server sent a {@code history-gap}: what it replays next starts at the oldest event it
     * still holds, so for each publisher, what the next event skips is announced as lost, not
     * silently missing.
     */
    void gap() {
        java.util.Arrays.fill(afterGap, true);
    }

    /** Records one received event; false when it was a duplicate or not ours. */
    boolean record(int publisher, long seq) {
        if (publisher < 0 || publisher >= base.length) {
            return false;
        }
        if (afterGap[publisher]) {
            afterGap[publisher] = false;
            skipTo(publisher, seq);
        }
        long b = base[publisher];
        if (seq < b) {
            duplicates++;
            return false;
        }
        long offset = seq - b;
        if (offset >= WINDOW) {
            // Far ahead: what lies between is counted missing unless it still comes (rare).
            long shift = offset - WINDOW + 1;
            ahead[publisher] = shift >= WINDOW ? 0 : ahead[publisher] >>> shift;
            b += shift;
            offset = WINDOW - 1;
        }
        long bit = 1L << offset;
        if ((ahead[publisher] & bit) != 0) {
            duplicates++;
            base[publisher] = b;
            return false;
        }
        long bits = ahead[publisher] | bit;
        // Slide past everything now contiguous.
        int run = Long.numberOfTrailingZeros(~bits);
        if (run == WINDOW) {
            bits = 0;
        } else {
            bits >>>= run;
        }
        base[publisher] = b + run;
        ahead[publisher] = bits;
        unique[publisher]++;
        return true;
    }

    /** Moves the base up to {@code seq}, counting what was not received below it as gapped. */
    private void skipTo(int publisher, long seq) {
        long span = seq - base[publisher];
        if (span <= 0) {
            return;
        }
        long bits = ahead[publisher];
        long receivedBelow = Long.bitCount(span >= WINDOW ? bits : bits & ((1L << span) - 1));
        gapped[publisher] += span - receivedBelow;
        base[publisher] = seq;
        ahead[publisher] = span >= WINDOW ? 0 : bits >>> span;
    }

    long unique(int publisher) {
        return unique[publisher];
    }

    /** The lowest sequence number of {@code publisher} not yet received: all below it arrived. */
    long contiguous(int publisher) {
        return base[publisher];
    }

    /** Events of {@code publisher} that a {@code history-gap} announced as lost. */
    long gapped(int publisher) {
        return gapped[publisher];
    }

    long duplicates() {
        return duplicates;
    }
}
